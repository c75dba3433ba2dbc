public import Foundation
public import OneGridDomain
public import OneGridStore

/// Dispute screening (矛盾纠纷排查): a grid worker's or a centre's round recorded with what it
/// checked and found, a risk found opened as a dispute case in one step, and which areas' rounds
/// are overdue against the cadence in force. The API, the pages and the tests come through here.
public struct ScreeningRounds: Sendable {
    let services: OneGridServices
    let store: any ScreeningStore

    public init(services: OneGridServices) {
        self.services = services
        self.store = SQLScreeningStore(database: services.database)
    }

    /// A grid worker walks the grid; a centre's dispatcher records the village's, town's or city's round.
    public static let recorders: Set<Role> = [.gridWorker, .dispatcher]
    /// Who reads the rounds and what is overdue: those who screen, and the leaders and mediators
    /// who act on what screening finds.
    public static let readers: Set<Role> = [.gridWorker, .dispatcher, .leader, .mediator]
    /// A round list shows the newest this many.
    public static let listSize = 100

    /// Records the post's round of its own area now (at `now` in the tests and the demo).
    public func record(_ form: ScreeningRoundForm, by principal: Principal, at now: Date? = nil) async throws -> ScreeningRound {
        let post = principal.post
        guard Self.recorders.contains(post.role) else {
            throw DomainError(.forbidden, "a \(post.role.rawValue) does not record screening rounds")
        }
        guard (post.role == .gridWorker) == (post.areaLevel == .grid), try await cadence().days(at: post.areaLevel) != nil else {
            throw DomainError(.forbidden, "a \(post.role.rawValue) of a \(post.areaLevel.rawValue) keeps no screening rounds")
        }
        let round = try form.round(by: post, level: post.areaLevel, at: now ?? services.clock.now)
        return try await store.record([(round, services.directory.lineage(of: post.areaID))])[0]
    }

    /// One round, to a post whose area covers it.
    public func round(_ id: Int64, for principal: Principal) async throws -> ScreeningRound {
        guard Self.readers.contains(principal.post.role), let round = try await store.round(id: id),
            services.directory.covers(principal.post, areaID: round.areaID)
        else { throw DomainError.notFound("screening round \(id)", field: "id") }
        return round
    }

    /// The rounds of an area and where each area under it stands against its cadence.
    public struct Overview: Sendable {
        public var area: Area
        public var cadence: ScreeningCadence
        /// Newest first, at most `listSize`.
        public var rounds: [ScreeningRound]
        /// Every area under it (itself included) at a level that keeps rounds, most overdue first.
        public var due: [ScreeningDue]

        public var overdue: [ScreeningDue] { due.filter(\.isOverdue) }
    }

    /// The overview of `areaID` (the post's own when nil), which the post's area must cover.
    public func overview(for principal: Principal, areaID: Int64? = nil, at now: Date? = nil) async throws -> Overview {
        let directory = services.directory
        let areaID = areaID ?? principal.post.areaID
        guard Self.readers.contains(principal.post.role), let area = directory.areas[areaID], directory.covers(principal.post, areaID: areaID)
        else { throw DomainError.notFound("area \(areaID) within the post's area", field: "area") }
        let cadence = try await cadence()
        let last = try await store.lastRounds(under: area)
        let now = now ?? services.clock.now
        let calendar = Figures.calendar
        let due = directory.areas(under: area.id).compactMap { area in
            cadence.days(at: area.level).map { ScreeningDue(area: area, lastDoneAt: last[area.id], days: $0, now: now, calendar: calendar) }
        }.sorted { ($0.colour, $1.dueAt ?? .distantPast, $1.area.code) > ($1.colour, $0.dueAt ?? .distantPast, $0.area.code) }
        return Overview(area: area, cadence: cadence, rounds: try await store.rounds(under: area, limit: Self.listSize), due: due)
    }

    /// What a dispatcher adds to a risk found to open it as a dispute case: the dispute's own
    /// form, its category, and the grid where it lies when the round was not a grid's.
    public struct DisputeRequest: Codable, Sendable {
        public var categoryCode: String?
        public var gridID: Int64?
        public var dispute: DisputeForm

        public init(categoryCode: String?, gridID: Int64? = nil, dispute: DisputeForm) {
            self.categoryCode = categoryCode
            self.gridID = gridID
            self.dispute = dispute
        }
    }

    /// Opens the risk `finding` of round `roundID` as a dispute case in one step: the case is
    /// reported as screening found it and its dispute registered through `Mediation`, then the
    /// finding points to it. Everything that can be refused is checked before the first write;
    /// a retry after a failure between the two writes finds the same case by its key.
    public func openDispute(
        _ request: DisputeRequest, from roundID: Int64, finding number: Int, by principal: Principal
    ) async throws -> Mediation.File {
        let round = try await round(roundID, for: principal)
        guard let finding = round.findings.first(where: { $0.number == number }) else {
            throw DomainError.notFound("risk \(number) of screening round \(roundID)", field: "finding")
        }
        if let caseID = finding.caseID {
            throw DomainError(.notAllowedInState, "risk \(number) of round \(roundID) is dispute case \(caseID) already", field: "finding")
        }
        let directory = services.directory
        guard let code = request.categoryCode, let category = directory.category(code: code), category.kind == .dispute else {
            throw DomainError.invalid(field: "categoryCode", "expected the code of a dispute category")
        }
        let gridID = round.level == .grid ? round.areaID : request.gridID
        guard let gridID, directory.areas[gridID]?.level == .grid, directory.lineage(of: gridID).contains(where: { $0.id == round.areaID })
        else { throw DomainError.invalid(field: "gridID", "expected the grid of the round's area where the risk lies") }
        let rule = try await services.settings.value(.majorDisputeRule) ?? .default
        // The dispute's form refused by its field before the case is written.
        _ = try Dispute.register(request.dispute, caseID: 0, categoryKind: .dispute, rule: rule, at: services.clock.now)
        let form = IntakeForm(
            title: String(finding.text.prefix(60)), description: finding.text, categoryCode: code,
            channel: round.level == .grid ? Channel.gridWorker.rawValue : nil, gridID: gridID)
        let draft = try services.intake.draft(form, by: principal, idempotencyKey: nil, at: services.clock.now)
        let routing = draft.routing
        guard principal.post.role == .dispatcher, principal.post.areaLevel <= routing.handlingLevel,
            routing.areas[principal.post.areaLevel] == principal.post.areaID
        else {
            throw DomainError(
                .forbidden, "the dispute goes to the \(routing.handlingLevel.rawValue) centre; only a dispatcher whose centre holds it opens it")
        }
        let intake = try await services.intake.report(form, by: principal, idempotencyKey: "screening-\(roundID)-\(number)")
        let file =
            if try await services.mediation.dispute(caseID: intake.record.id) != nil {
                try await services.mediationSteps.file(of: intake.record.id, for: principal)
            } else {
                try await services.mediationSteps.register(request.dispute, on: intake.record.id, by: principal)
            }
        guard try await store.link(roundID: roundID, finding: number, toCase: intake.record.id) else {
            throw DomainError(.versionConflict, "risk \(number) of round \(roundID) was opened as another case meanwhile", field: "finding")
        }
        return file
    }

    /// The cadence in force: the stored one, the seed's where none is.
    public func cadence() async throws -> ScreeningCadence {
        try await services.settings.value(.screeningCadence) ?? .default
    }

    /// Stores a new cadence; what is overdue is judged by it from now on.
    public func setCadence(gridDays: Int?, villageDays: Int?, townDays: Int?, cityDays: Int?, by principal: Principal) async throws
        -> ScreeningCadence
    {
        try AdministrationMediation.requireAdministrator(principal)
        let cadence = try ScreeningCadence.parse(gridDays: gridDays, villageDays: villageDays, townDays: townDays, cityDays: cityDays)
        let details = [
            "gridDays": String(cadence.gridDays), "villageDays": String(cadence.villageDays), "townDays": String(cadence.townDays),
            "cityDays": String(cadence.cityDays),
        ]
        try await services.recording("settings.screeningCadence", subject: "screening cadence", details, by: principal) {
            try await services.settings.set(.screeningCadence, to: cadence, at: services.clock.now)
        }
        return cadence
    }
}

extension OneGridServices {
    public var screening: ScreeningRounds { ScreeningRounds(services: self) }
}
