import Foundation
public import OneGridDomain
public import OneGridStore

/// The assessment use case (考核, DOMAIN.md §7): each level's units scored from the case record
/// over a period, ranked and graded by the configured settings; a unit's score sheet down to the
/// cases behind each indicator; cards; closing a period for good. The pages, the JSON API and
/// the demo all come here.
public struct Assessment: Sendable {
    let services: OneGridServices
    let store: any AssessmentStore

    public init(services: OneGridServices) {
        self.services = services
        self.store = SQLAssessmentStore(database: services.database)
    }

    /// Who reads assessments: within their own area.
    public static let readers: Set<Role> = [.leader, .dispatcher, .administrator]
    /// Cards are a leader's act.
    public static let cardGivers: Set<Role> = [.leader]
    /// Settings and closing a period are the city administrator's.
    public static let administrators: Set<Role> = [.administrator]

    /// A unit as a table names it.
    public struct Unit: Sendable, Hashable {
        public var kind: AssessmentUnitKind
        public var id: Int64
        public var name: String
        /// Where it sits: the area above an area, a department's or a person's area.
        public var place: String
    }

    public struct Row: Sendable {
        public var unit: Unit
        public var result: AssessmentResult
    }

    public struct Table: Sendable {
        public var period: AssessmentPeriod
        public var kind: AssessmentUnitKind
        /// Set once the period is closed: its results are the snapshot's.
        public var closed: ClosedAssessmentPeriod?
        public var settings: AssessmentSettings
        /// Ranked, best first; units without anything to count last.
        public var rows: [Row]
        public var cards: [AssessmentCard]
    }

    public struct Sheet: Sendable {
        public var period: AssessmentPeriod
        public var closed: ClosedAssessmentPeriod?
        public var settings: AssessmentSettings
        public var unit: Unit
        public var result: AssessmentResult
        public var cards: [AssessmentCard]
        /// The indicator whose cases are listed, and those cases (its denominator, each marked
        /// whether it counted in the numerator).
        public var indicator: AssessmentIndicator?
        public var cases: [AssessedCase]
    }

    /// The period's source: the snapshot once closed, the cases now otherwise.
    func source(_ period: AssessmentPeriod) async throws -> (AssessmentSource, ClosedAssessmentPeriod?) {
        if let closed = try await store.closedPeriod(period) {
            return (AssessmentSource(period: period, settings: closed.settings, now: closed.closedAt, closed: true), closed)
        }
        let now = services.clock.now
        return (AssessmentSource(period: period, settings: try await store.settings(), now: now, closed: false), nil)
    }

    func requireReader(_ post: Post) throws {
        guard Self.readers.contains(post.role) else { throw DomainError(.forbidden, "a \(post.role.rawValue) does not read assessments") }
    }

    /// The units of a kind a post sees: those in its area.
    func units(_ kind: AssessmentUnitKind, for post: Post) async throws -> [Unit] {
        let directory = services.directory
        func place(_ areaID: Int64?) -> String { areaID.flatMap { directory.areas[$0]?.name } ?? "" }
        switch kind {
        case .town, .village, .grid, .hotline:
            let level: AdminLevel = kind == .village ? .village : kind == .grid ? .grid : .town
            return directory.areas.values.filter { $0.level == level && $0.retiredAt == nil && directory.covers(post, areaID: $0.id) }
                .sorted { $0.code < $1.code }
                .map { Unit(kind: kind, id: $0.id, name: $0.name, place: place($0.parentID)) }
        case .department:
            return directory.departments.values.filter { $0.retiredAt == nil && directory.covers(post, areaID: $0.areaID) }
                .sorted { $0.id < $1.id }
                .map { Unit(kind: kind, id: $0.id, name: $0.name, place: place($0.areaID)) }
        case .gridWorker, .dispatcher:
            let role: Role = kind == .gridWorker ? .gridWorker : .dispatcher
            var seen = Set<Int64>()
            return try await store.people(holding: role).filter { directory.covers(post, areaID: $0.areaID) && seen.insert($0.userID).inserted }
                .map { Unit(kind: kind, id: $0.userID, name: $0.name, place: place($0.areaID)) }
        }
    }

    /// A level's table: every unit of the kind in the post's area, scored, ranked and graded.
    public func table(_ kind: AssessmentUnitKind, period: AssessmentPeriod, for principal: Principal) async throws -> Table {
        let post = principal.post
        try requireReader(post)
        let (source, closed) = try await source(period)
        let units = try await units(kind, for: post)
        let cards = try await store.cards(period: period, kind: kind)
        // The whole city needs no list of units: the statement groups them all.
        let wholeCity = services.directory.areas[post.areaID]?.level == .city
        var ids = units.map(\.id)
        let stationed = kind == .department ? stationedParents(of: units) : [:]
        ids += stationed.values.filter { !ids.contains($0) }
        let counts = try await store.counts(kind, from: source, units: wholeCity ? nil : ids)
        func result(_ id: Int64) -> AssessmentResult {
            AssessmentResult(
                kind: kind, unitID: id, counts: counts[id] ?? [:],
                cardPoints: cards.filter { $0.unitID == id }.reduce(0) { $0 + $1.points }, settings: source.settings)
        }
        var results = units.map { unit in
            var scored = result(unit.id)
            if let parent = stationed[unit.id], let own = scored.score, let parentScore = result(parent).score {
                let settings = source.settings
                scored.stationedScore = (own * settings.stationedTownShare + parentScore * settings.stationedDepartmentShare) / 100
            }
            return scored
        }
        results = AssessmentResult.ranked(results)
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        return Table(
            period: period, kind: kind, closed: closed, settings: source.settings,
            rows: results.compactMap { result in byID[result.unitID].map { Row(unit: $0, result: result) } },
            cards: cards.filter { byID[$0.unitID] != nil })
    }

    /// Stationed agencies (派驻机构: departments at town level) and their parent department, the
    /// same kind of department in the town's county.
    func stationedParents(of units: [Unit]) -> [Int64: Int64] {
        let directory = services.directory
        var parents: [Int64: Int64] = [:]
        for unit in units {
            guard let department = directory.departments[unit.id], department.level == .town,
                let county = directory.areas[department.areaID]?.parentID,
                let parent = directory.department(kind: department.kind, areaID: county)
            else { continue }
            parents[unit.id] = parent.id
        }
        return parents
    }

    /// One unit's score sheet; with an indicator, the cases behind it (at most `limit`).
    public func sheet(
        _ kind: AssessmentUnitKind, unitID: Int64, period: AssessmentPeriod, indicator: AssessmentIndicator?, for principal: Principal,
        limit: Int = 500
    ) async throws -> Sheet {
        let post = principal.post
        try requireReader(post)
        guard let unit = try await units(kind, for: post).first(where: { $0.id == unitID }) else {
            throw DomainError.notFound("\(kind.rawValue) \(unitID) within the post's area", field: "unit")
        }
        if let indicator, !kind.indicators.contains(indicator) {
            throw DomainError.invalid(field: "indicator", "a \(kind.rawValue) is scored on \(kind.indicators.map(\.rawValue).joined(separator: ", "))")
        }
        let (source, closed) = try await source(period)
        let counts = try await store.counts(kind, from: source, units: [unitID])
        let cards = try await store.cards(period: period, kind: kind).filter { $0.unitID == unitID }
        let result = AssessmentResult(
            kind: kind, unitID: unitID, counts: counts[unitID] ?? [:], cardPoints: cards.reduce(0) { $0 + $1.points }, settings: source.settings)
        var cases: [AssessedCase] = []
        if let indicator { cases = try await store.cases(kind, unitID: unitID, indicator: indicator, from: source, limit: limit) }
        return Sheet(
            period: period, closed: closed, settings: source.settings, unit: unit, result: result, cards: cards, indicator: indicator, cases: cases)
    }

    /// Closes an ended period: its results are stored and never change again.
    public func close(_ period: AssessmentPeriod, by principal: Principal) async throws -> ClosedAssessmentPeriod {
        guard Self.administrators.contains(principal.post.role) else { throw DomainError(.forbidden, "only an administrator closes a period") }
        let now = services.clock.now
        guard period.hasEnded(at: now) else {
            throw DomainError.invalid(field: "period", "the period \(period.key) has not ended yet: it can be closed from its last day on")
        }
        return try await store.close(period, settings: try await store.settings(), by: principal.user.id, at: now)
    }

    /// A card for a unit the leader sees, deducting the configured points from its score for the period.
    public func giveCard(
        _ colour: CardColour, to kind: AssessmentUnitKind, unitID: Int64, period: AssessmentPeriod, reason: String, caseID: Int64?,
        by principal: Principal
    ) async throws -> AssessmentCard {
        guard Self.cardGivers.contains(principal.post.role) else { throw DomainError(.forbidden, "cards are given by a leader") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw DomainError.invalid(field: "reason", "the reason for the card") }
        guard reason.count <= 500 else { throw DomainError.invalid(field: "reason", "at most 500 characters") }
        guard try await units(kind, for: principal.post).contains(where: { $0.id == unitID }) else {
            throw DomainError.notFound("\(kind.rawValue) \(unitID) within the post's area", field: "unit")
        }
        if let caseID, try await services.cases.record(id: caseID) == nil {
            throw DomainError.invalid(field: "caseID", "no case \(caseID)")
        }
        let settings = try await store.settings()
        return try await store.add(
            AssessmentCard(
                id: 0, period: period.key, kind: kind, unitID: unitID, colour: colour, points: settings.cardPoints[colour] ?? 0, reason: reason,
                caseID: caseID, byUserID: principal.user.id, at: services.clock.now))
    }

    public func settings() async throws -> AssessmentSettings {
        try await store.settings()
    }

    /// Stores new settings once they validate; an open period is then scored by them, a closed one keeps its own.
    public func save(_ settings: AssessmentSettings, by principal: Principal) async throws -> AssessmentSettings {
        guard Self.administrators.contains(principal.post.role) else { throw DomainError(.forbidden, "only an administrator sets the assessment") }
        let valid = try settings.validated()
        try await store.save(valid, at: services.clock.now)
        return valid
    }

    /// The periods a picker offers: the last twelve months and four quarters, newest first, with
    /// whether each is closed.
    public func periods() async throws -> [(period: AssessmentPeriod, closed: Bool)] {
        let current = AssessmentPeriod.current(at: services.clock.now).first
        let closed = Set(try await store.closedPeriods().map(\.period))
        let months = (0..<12).map { AssessmentPeriod(month: current.adding(months: -$0)) }
        let quarterStart = current.adding(months: -((current.month - 1) % 3))
        let quarters = (0..<4).map { index -> AssessmentPeriod in
            let first = quarterStart.adding(months: -3 * index)
            return AssessmentPeriod(year: first.year, quarter: (first.month + 2) / 3)
        }
        return (months + quarters).map { ($0, closed.contains($0)) }
    }
}

extension OneGridServices {
    public var assessment: Assessment { Assessment(services: self) }
}
