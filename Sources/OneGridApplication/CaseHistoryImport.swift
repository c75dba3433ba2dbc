public import Foundation
public import OneGridDomain
public import OneGridStore

/// Bringing an earlier system's cases in (`onegrid import cases`): every row checked first, then
/// the cases written with whole timelines through the store's bulk path for history, so
/// `onegrid audit verify` checks them like any other. Each case keeps its number (its id),
/// dates and status; its timeline walks the main flow to that status, each step decided by
/// `CaseWorkflow` and recorded as taken by the importing account in the role the step needs
/// (dispatcher, the handling department), at the times the file gives.
public struct CaseHistoryImport: Sendable {
    let services: OneGridServices

    /// Who may import: a dispatcher or an administrator, for cases inside their area.
    public static let importers: Set<Role> = [.dispatcher, .administrator]

    /// Cases per transaction: a commit costs little next to 5,000 cases, and memory stays flat.
    public static let batchSize = 5_000

    public struct Outcome: Sendable {
        /// Cases written.
        public var written: Int
        /// Every refused row, in the file's order; with any, nothing was written unless partial.
        public var problems: [ImportProblem]
    }

    /// Checks `rows` and writes them: all of them, or with any row refused none, unless
    /// `partial`, which writes the good ones. A number already recorded is refused, so a second
    /// import of a file writes nothing twice.
    public func importCases(
        _ rows: [CaseImport.Row], readProblems: [ImportProblem] = [], partial: Bool = false, by principal: Principal,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Outcome {
        guard Self.importers.contains(principal.post.role) else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not import cases")
        }
        let calendar = services.calendar
        var plan = CaseImport(rows, directory: services.directory, areaID: principal.post.areaID, calendar: calendar)
        plan.problems += readProblems
        let store = SQLCaseStore(database: services.database)
        plan.refuse(alreadyRecorded: try await store.recordedCaseIDs(among: plan.planned.map(\.id)))
        // Every timeline is decided before anything is written, so a step the workflow refuses
        // refuses its row like a bad cell. They are decided again batch by batch as they are
        // written: a million timelines held at once would take gigabytes.
        let planner = services.planner
        let directory = services.directory
        var refused = Set(plan.problems.map(\.line))
        for item in plan.planned where !refused.contains(item.line) {
            do {
                _ = try Self.historical(item, by: principal, directory: directory, planner: planner)
            } catch let error as DomainError {
                plan.problems.append(ImportProblem(line: item.line, field: error.field ?? CaseImport.Column.status.rawValue, expected: error.message))
                refused.insert(item.line)
            }
        }
        let problems = plan.sortedProblems
        let written = plan.planned.filter { !refused.contains($0.line) }
        guard problems.isEmpty || partial, !written.isEmpty else { return Outcome(written: 0, problems: problems) }
        try await store.importHistory(total: written.count, batch: Self.batchSize, progress: progress) { range in
            try written[range].map { try Self.historical($0, by: principal, directory: directory, planner: planner) }
        }
        return Outcome(written: written.count, problems: problems)
    }

    /// The rows of an NDJSON file: one JSON object a line, its keys the CSV's column names, its
    /// values strings or numbers.
    public static func rows(ndjson data: Data) -> (rows: [CaseImport.Row], problems: [ImportProblem]) {
        let read = ImportRecord.records(ndjson: data) { CaseImport.Column(rawValue: $0) != nil }
        let rows = read.records.map { record in
            CaseImport.Row(line: record.line, cells: Dictionary(uniqueKeysWithValues: record.cells.compactMap { key, text in CaseImport.Column(rawValue: key).map { ($0, text) } }))
        }
        return (rows, read.problems)
    }

    /// A case's timeline from its report to its status.
    private static func historical(
        _ item: CaseImport.Planned, by principal: Principal, directory: Directory, planner: DeadlinePlanner
    ) throws -> HistoricalCase {
        let category = item.category
        let routing = CaseRouting.route(areas: item.areas, category: category, department: directory.department(kind:areaID:))
        // The case was handled where its department is, whatever the category's default level.
        var file = CaseFile(
            id: item.id, status: .reported, version: 1, categoryID: category.id, areas: item.areas,
            handlingLevel: item.department?.level ?? routing.handlingLevel, handlingAreaID: item.department?.areaID ?? routing.handlingAreaID,
            suggestedDepartmentID: item.department?.id ?? routing.suggestedDepartmentID)
        let importer = principal.post
        var report = TimelineEvent.report(
            caseID: item.id, by: importer, atMillis: item.reportedAt.millisecondsSince1970, channel: item.channel, categoryID: category.id)
        report.details["imported"] = "true"
        var events = [report]
        func take(_ action: CaseAction, at date: Date?, as role: Role, input: CaseActionInput = CaseActionInput()) throws {
            guard file.status != item.status else { return }
            let at = max(date ?? item.reportedAt, Date(millisecondsSince1970: events[events.count - 1].atMillis))
            let department = item.department
            let post = Post(
                id: importer.id, userID: importer.userID, role: role,
                areaID: role == .departmentHandler ? department?.areaID ?? file.handlingAreaID : file.handlingAreaID,
                areaLevel: role == .departmentHandler ? department?.level ?? file.handlingLevel : file.handlingLevel,
                departmentID: role == .departmentHandler ? department?.id : nil)
            let transition = try CaseWorkflow.decide(
                action, on: file, input: input, by: post, context: CaseActionContext(now: at, department: department, category: category))
            events.append(TimelineEvent(transition, caseID: item.id, sequence: events.count + 1, by: post, atMillis: at.millisecondsSince1970, previousHash: ""))
            file = transition.file
        }
        if item.status == .rejected {
            try take(.reject, at: item.closedAt, as: .dispatcher, input: CaseActionInput(note: item.result))
        } else {
            let handled = item.handledAt ?? item.closedAt
            try take(.accept, at: nil, as: .dispatcher)
            try take(.dispatch, at: nil, as: .dispatcher, input: CaseActionInput(departmentID: item.department?.id))
            try take(.start, at: nil, as: .departmentHandler)
            try take(.feedBack, at: handled, as: .departmentHandler, input: CaseActionInput(note: item.result))
            try take(.verifyPass, at: handled, as: .dispatcher)
            if let rating = item.rating { try take(.rate, at: item.closedAt ?? handled, as: .dispatcher, input: CaseActionInput(rating: rating)) }
            try take(.close, at: item.closedAt, as: .dispatcher)
            try take(.archive, at: item.closedAt, as: .dispatcher)
        }
        let dueAt = planner.calendar.due(from: item.reportedAt, limit: category.handlingLimit)
        return HistoricalCase(
                // An open case carries its running clock, so the sweeper takes it up as it comes due.
                file: planner.restore(file, category: category, reportedAt: item.reportedAt), platform: category.platform, channel: item.channel,
                title: item.title, description: item.description, address: item.address, location: item.location,
                reporter: Reporter(name: item.reporterName, phone: item.reporterPhone), dueAt: dueAt, events: events)
    }
}

extension OneGridServices {
    public var caseHistoryImport: CaseHistoryImport { CaseHistoryImport(services: self) }
}
