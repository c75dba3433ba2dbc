public import Foundation
public import OneGridDomain
public import OneGridStore

/// Visits (走访): a grid worker logs one to a household, place or organisation of their grid,
/// turns what was found into a case in one step, and sees who is due this week; the village
/// and town see the overdue per grid and per worker.
public struct Visits: Sendable {
    let services: OneGridServices

    /// What the phone sends.
    public struct Form: Codable, Sendable {
        /// `household`, `place` or `organisation`.
        public var subject: String
        public var subjectID: Int64
        /// When, if not now (a visit written down after the walk).
        public var visitedAt: Date?
        public var location: GeoPoint?
        public var whom: String
        public var findings: String
        /// Attachments as their evidence lines, uploaded beforehand.
        public var evidence: [String]?

        public init(
            subject: String, subjectID: Int64, visitedAt: Date? = nil, location: GeoPoint? = nil, whom: String, findings: String,
            evidence: [String]? = nil
        ) {
            self.subject = subject
            self.subjectID = subjectID
            self.visitedAt = visitedAt
            self.location = location
            self.whom = whom
            self.findings = findings
            self.evidence = evidence
        }
    }

    /// The kinds a visit goes to: a person is visited at home.
    public static let visited: [BaseSubject] = [.household, .place, .organisation]

    /// Logs a visit. With an `idempotencyKey` (a phone's outbox) a visit sent again is the one
    /// already logged, checked as before and written once.
    public func log(_ form: Form, by principal: Principal, idempotencyKey: String? = nil) async throws -> Visit {
        let post = principal.post
        guard BaseDataPolicy.visitors.contains(post.role) else {
            throw DomainError(.forbidden, "a \(post.role.rawValue) does not log visits; allowed for: gridWorker")
        }
        guard let kind = BaseSubject(rawValue: form.subject), Self.visited.contains(kind) else {
            throw DomainError.invalid(field: "subject", "expected household, place or organisation")
        }
        let subject = SubjectRef(kind, form.subjectID)
        let visible = try await services.gridBaseData.visibleSubject(subject, to: post)
        guard visible.areas.grid == post.areaID else {
            throw DomainError.invalid(field: "subjectID", "the \(kind.rawValue) lies outside the grid of this post")
        }
        let now = services.clock.now
        let visitedAt = form.visitedAt ?? now
        guard visitedAt <= now.addingTimeInterval(300) else { throw DomainError.invalid(field: "visitedAt", "expected a time not in the future") }
        let whom = form.whom.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(whom.count) else { throw DomainError.invalid(field: "whom", "expected whom you met, 1–100 characters") }
        let findings = form.findings.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2_000).contains(findings.count) else {
            throw DomainError.invalid(field: "findings", "expected what was found, 1–2,000 characters")
        }
        let evidence = form.evidence ?? []
        guard evidence.count <= 9, evidence.allSatisfy({ Attachment(evidence: $0) != nil }) else {
            throw DomainError.invalid(field: "evidence", "expected at most 9 uploaded attachments, each as its upload named it")
        }
        let position = try VisitSchedule.position(of: form.location, gridID: visible.areas.grid, in: services.directory)
        let visit = Visit(
            id: 0, subject: subject, areas: visible.areas, userID: principal.user.id, postID: post.id, visitedAt: visitedAt,
            location: form.location, position: position, whom: whom, findings: findings, evidence: evidence)
        return try await services.baseData.log(visit, nextDueAt: try await nextDue(subject, after: visitedAt), idempotencyKey: idempotencyKey).visit
    }

    /// Logs a visit and, when `reporting` is given, makes what was found a case. What intake would
    /// surely refuse is refused before the visit is written, so a sent form is a visit and its
    /// case or nothing (intake checks the rest, as for any report); sent again with its key, it
    /// is the same visit and the same case.
    public func log(
        _ form: Form, reporting asked: IntakeForm?, by principal: Principal, idempotencyKey: String? = nil
    ) async throws -> (visit: Visit, intake: Intake?) {
        if let asked {
            guard !asked.title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DomainError.invalid(field: "case.title", "a case made of the visit needs a title")
            }
            guard asked.categoryCode != nil || asked.categoryID != nil else {
                throw DomainError.invalid(field: "case.categoryCode", "a case made of the visit needs a categoryCode or categoryID")
            }
        }
        let visit = try await log(form, by: principal, idempotencyKey: idempotencyKey)
        guard let asked else { return (visit, nil) }
        let turned = try await turnIntoCase(visitID: visit.id, asked, by: principal)
        return (turned.visit, turned.intake)
    }

    /// When the record's next visit falls due after one at `date`, by its kinds' cadences.
    func nextDue(_ subject: SubjectRef, after date: Date) async throws -> Date? {
        let kinds = try await services.baseData.kinds()
        let cadences = Dictionary(uniqueKeysWithValues: kinds.compactMap { kind in kind.cadence.map { (kind.code, $0) } })
        let store = services.baseData
        let codes: [String] =
            switch subject.subject {
            case .household: try await store.kindsOfPeople(inHousehold: subject.id)
            case .place: [try await store.place(id: subject.id)?.kind].compactMap { $0 }
            case .organisation: [try await store.organisation(id: subject.id)?.kind].compactMap { $0 }
            case .resident: []
            }
        return VisitSchedule.dueAt(cadences: codes.compactMap { cadences[$0] }, lastVisit: date, recordedAt: date, calendar: services.calendar.civil)
    }

    /// Turns a visit's findings into a case through intake, as the grid worker's own report, and
    /// links the two both ways. A retry returns the same case (the visit is its idempotency key).
    public func turnIntoCase(visitID: Int64, _ form: IntakeForm, by principal: Principal) async throws -> (visit: Visit, intake: Intake) {
        guard let visit = try await services.baseData.visit(id: visitID), visit.userID == principal.user.id,
            visit.areas[principal.post.areaLevel] == principal.post.areaID
        else { throw DomainError.notFound("visit \(visitID)", field: "visitID") }
        var form = form
        if (form.description ?? "").isEmpty { form.description = visit.findings }
        if form.location == nil || visit.position != .inGrid {
            form.location = visit.position == .inGrid ? visit.location : nil
            if form.location == nil { form.gridID = visit.areas.grid }
        }
        let intake = try await services.intake.report(form, by: principal, idempotencyKey: "visit-\(visitID)")
        if visit.caseID != intake.record.id {
            try await services.baseData.attach(caseID: intake.record.id, toVisit: visitID, by: principal, at: services.clock.now)
        }
        var linked = visit
        linked.caseID = intake.record.id
        return (linked, intake)
    }

    /// What a grid worker should visit by the end of this week, the overdue first.
    public func dueThisWeek(for post: Post, limit: Int = 200) async throws -> [DueVisit] {
        guard post.role == .gridWorker else { throw DomainError(.forbidden, "the due list is a grid worker's") }
        let week = VisitSchedule.week(containing: services.clock.now, calendar: services.calendar.civil)
        return try await services.baseData.dueVisits(inGrid: post.areaID, before: week.end, limit: limit)
    }

    /// Overdue visits and visits done this month, per grid and per grid worker, in a village, town or above.
    public struct Overdue: Sendable {
        public struct Line: Sendable {
            public var grid: Area
            public var worker: User?
            public var overdue: Int
            public var visitsThisMonth: Int
        }

        public var grids: [Line]
        public var workers: [Line]
    }

    public func overdue(in areaID: Int64? = nil, for post: Post) async throws -> Overdue {
        guard post.role != .citizen, post.role != .departmentHandler else {
            throw DomainError(.forbidden, "a \(post.role.rawValue) does not follow visits")
        }
        let directory = services.directory
        let area = areaID ?? post.areaID
        guard let chosen = directory.areas[area], directory.lineage(of: area).contains(where: { $0.id == post.areaID }) else {
            throw DomainError.notFound("area \(area)", field: "area")
        }
        let grids = directory.areas.values.filter { $0.level == .grid && $0.retiredAt == nil && directory.path(ofGrid: $0.id)?[chosen.level] == chosen.id }
            .sorted { $0.code < $1.code }
        let calendar = services.calendar.civil
        let now = services.clock.now
        let monthStart = calendar.dateInterval(of: .month, for: now)!.start
        let ids = grids.map(\.id)
        let overdue = try await services.baseData.dueCounts(inGrids: ids, before: calendar.startOfDay(for: now))
        let byGrid = try await services.baseData.visitCounts(inGrids: ids, from: monthStart, byWorker: false)
        let byWorker = try await services.baseData.visitCounts(inGrids: ids, from: monthStart, byWorker: true)
        var workers: [Overdue.Line] = []
        for grid in grids {
            for worker in try await services.people.gridWorkers(gridID: grid.id) {
                workers.append(.init(grid: grid, worker: worker, overdue: overdue[grid.id] ?? 0, visitsThisMonth: byWorker[worker.id] ?? 0))
            }
        }
        return Overdue(
            grids: grids.map { .init(grid: $0, worker: nil, overdue: overdue[$0.id] ?? 0, visitsThisMonth: byGrid[$0.id] ?? 0) },
            workers: workers)
    }
}
