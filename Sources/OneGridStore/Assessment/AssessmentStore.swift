public import Foundation
public import OneGridDomain
import SQLKit

/// What an assessment is read from: the cases as they stand now (an open period), or the
/// snapshot a closed period keeps.
public struct AssessmentSource: Sendable {
    public var period: AssessmentPeriod
    public var settings: AssessmentSettings
    /// The moment overdue is judged at: now, or when the period closed.
    public var now: Date
    public var closed: Bool

    public init(period: AssessmentPeriod, settings: AssessmentSettings, now: Date, closed: Bool) {
        self.period = period
        self.settings = settings
        self.now = now
        self.closed = closed
    }
}

/// A closed period: when, by whom, under which settings.
public struct ClosedAssessmentPeriod: Sendable, Hashable {
    public var period: AssessmentPeriod
    public var closedAt: Date
    public var closedByUserID: Int64
    public var settings: AssessmentSettings
}

/// A case behind an indicator, and whether it counted in the numerator.
public struct AssessedCase: Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var status: CaseStatus
    public var createdAt: Date
    public var counted: Bool
}

/// The counts of DOMAIN.md §7, each a set-based aggregate over the period's cases grouped by
/// unit: one statement per unit kind and grouping, never a loop over cases.
public protocol AssessmentStore: Sendable {
    /// The stored settings, or the defaults when an administrator never saved any.
    func settings() async throws -> AssessmentSettings
    func save(_ settings: AssessmentSettings, at now: Date) async throws
    /// Each unit's counts per indicator; `units` restricts the units (nil: all of the kind).
    func counts(_ kind: AssessmentUnitKind, from source: AssessmentSource, units: [Int64]?) async throws -> [Int64: [AssessmentIndicator: IndicatorCount]]
    /// The cases in an indicator's denominator for one unit, in case order, at most `limit`.
    func cases(
        _ kind: AssessmentUnitKind, unitID: Int64, indicator: AssessmentIndicator, from source: AssessmentSource, limit: Int
    ) async throws -> [AssessedCase]
    func closedPeriod(_ period: AssessmentPeriod) async throws -> ClosedAssessmentPeriod?
    func closedPeriods() async throws -> [ClosedAssessmentPeriod]
    /// Closes a period: its cases' facts, assists and every unit's counts are stored and never
    /// change again. Refuses a period already closed.
    func close(_ period: AssessmentPeriod, settings: AssessmentSettings, by userID: Int64, at now: Date) async throws -> ClosedAssessmentPeriod
    func cards(period: AssessmentPeriod, kind: AssessmentUnitKind?) async throws -> [AssessmentCard]
    /// Records a card; refused once its period is closed.
    func add(_ card: AssessmentCard) async throws -> AssessmentCard
    /// The people holding a post of `role`, with their name and the post's area: the grid
    /// workers and dispatchers assessed.
    func people(holding role: Role) async throws -> [AssessedPerson]
}

public struct AssessedPerson: Sendable, Hashable {
    public var userID: Int64
    public var name: String
    public var areaID: Int64
}

extension SettingKey where Value == AssessmentSettings {
    /// The assessment's weights, grades, cards and limits, as JSON.
    public static var assessment: Self {
        Self(
            name: "assessment.settings",
            parse: { text in
                do {
                    return try JSONDecoder().decode(AssessmentSettings.self, from: Data(text.utf8))
                } catch {
                    throw StoreError.corrupt("the setting assessment.settings is not assessment settings: \(error)")
                }
            },
            format: { AssessmentSettingsText.encode($0) })
    }
}

enum AssessmentSettingsText {
    /// Settings are numbers in keyed objects: encoding them cannot fail.
    static func encode(_ settings: AssessmentSettings) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(settings)) ?? Data(), as: UTF8.self)
    }
}

public struct SQLAssessmentStore: AssessmentStore {
    let database: OneGridDatabase
    let settingsStore: SQLSettingsStore

    public init(database: OneGridDatabase) {
        self.database = database
        self.settingsStore = SQLSettingsStore(database: database)
    }

    public func settings() async throws -> AssessmentSettings {
        try await settingsStore.value(.assessment) ?? .defaults
    }

    public func save(_ settings: AssessmentSettings, at now: Date) async throws {
        try await settingsStore.set(.assessment, to: try settings.validated(), at: now)
    }

    public func counts(
        _ kind: AssessmentUnitKind, from source: AssessmentSource, units: [Int64]?
    ) async throws -> [Int64: [AssessmentIndicator: IndicatorCount]] {
        if source.closed {
            return try await storedCounts(kind, period: source.period, units: units)
        }
        return try await Self.counts(kind, from: source, units: units, on: database.reportReader)
    }

    /// One statement per grouping of the kind's indicators, each summing every indicator's
    /// numerator and denominator at once.
    static func counts(
        _ kind: AssessmentUnitKind, from source: AssessmentSource, units: [Int64]?, on db: any SQLDatabase
    ) async throws -> [Int64: [AssessmentIndicator: IndicatorCount]] {
        let rules = AssessmentSQL(source: source)
        var result: [Int64: [AssessmentIndicator: IndicatorCount]] = [:]
        let groupings = kind.indicators.map { rules.grouping(kind, $0) }
        for grouping in groupings.enumerated().filter({ groupings.firstIndex(of: $0.element) == $0.offset }).map(\.element) {
            let indicators = kind.indicators.filter { rules.grouping(kind, $0) == grouping }
            var sums: [SQLQueryString] = []
            for (index, indicator) in indicators.enumerated() {
                let rule = rules.rule(indicator)
                sums.append("SUM(CASE WHEN \(rule.numerator) THEN 1 ELSE 0 END) AS \(ident: "n\(index)")")
                sums.append("SUM(CASE WHEN \(rule.denominator) THEN 1 ELSE 0 END) AS \(ident: "d\(index)")")
            }
            var query: SQLQueryString = "SELECT \(grouping.unit) AS unit_id, \(sums.joined(separator: ", ")) FROM \(grouping.from(rules)) WHERE \(grouping.unit) IS NOT NULL"
            if let filter = grouping.filter { query += " AND \(filter)" }
            if let units {
                guard !units.isEmpty else { continue }
                query += " AND \(grouping.unit) IN (\(binds: units))"
            }
            query += " GROUP BY \(grouping.unit)"
            for row in try await db.raw(query).all() {
                let unit = try row.decode(column: "unit_id", as: Int64.self)
                for (index, indicator) in indicators.enumerated() {
                    let count = IndicatorCount(
                        try row.decode(column: "n\(index)", as: Int?.self) ?? 0, of: try row.decode(column: "d\(index)", as: Int?.self) ?? 0)
                    result[unit, default: [:]][indicator] = count
                }
            }
        }
        return result
    }

    func storedCounts(_ kind: AssessmentUnitKind, period: AssessmentPeriod, units: [Int64]?) async throws -> [Int64: [AssessmentIndicator: IndicatorCount]] {
        let select = database.reader.select().columns("unit_id", "indicator", "numerator", "denominator").from("assessment_results")
            .where("period", .equal, period.key).where("unit_kind", .equal, kind.rawValue)
        if let units {
            guard !units.isEmpty else { return [:] }
            select.where("unit_id", .in, units)
        }
        var result: [Int64: [AssessmentIndicator: IndicatorCount]] = [:]
        for row in try await select.all() {
            guard let indicator = AssessmentIndicator(rawValue: try row.decode(column: "indicator", as: String.self)) else { continue }
            result[try row.decode(column: "unit_id", as: Int64.self), default: [:]][indicator] = IndicatorCount(
                try row.decode(column: "numerator", as: Int.self), of: try row.decode(column: "denominator", as: Int.self))
        }
        return result
    }

    public func cases(
        _ kind: AssessmentUnitKind, unitID: Int64, indicator: AssessmentIndicator, from source: AssessmentSource, limit: Int
    ) async throws -> [AssessedCase] {
        let rules = AssessmentSQL(source: source)
        let grouping = rules.grouping(kind, indicator)
        let rule = rules.rule(indicator)
        var query: SQLQueryString = """
            SELECT f.case_id, f.title, f.status, f.created_at, CASE WHEN \(rule.numerator) THEN 1 ELSE 0 END AS counted \
            FROM \(grouping.from(rules)) WHERE \(grouping.unit) = \(bind: unitID) AND \(rule.denominator)
            """
        if let filter = grouping.filter { query += " AND \(filter)" }
        query += " ORDER BY f.case_id LIMIT \(bind: limit)"
        return try await database.reportReader.raw(query).all().compactMap { row in
            guard let status = CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
            return AssessedCase(
                id: try row.decode(column: "case_id", as: Int64.self), title: try row.decode(column: "title", as: String.self), status: status,
                createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
                counted: try row.decode(column: "counted", as: Int.self) == 1)
        }
    }

    public func closedPeriod(_ period: AssessmentPeriod) async throws -> ClosedAssessmentPeriod? {
        try await closedPeriods(where: period.key).first
    }

    public func closedPeriods() async throws -> [ClosedAssessmentPeriod] {
        try await closedPeriods(where: nil)
    }

    private func closedPeriods(where key: String?) async throws -> [ClosedAssessmentPeriod] {
        let select = database.reader.select().columns("period", "closed_at", "closed_by_user_id", "settings").from("assessment_periods")
        if let key { select.where("period", .equal, key) }
        return try await select.orderBy("period", .descending).all().compactMap { row in
            guard let period = AssessmentPeriod(try row.decode(column: "period", as: String.self)) else { return nil }
            return ClosedAssessmentPeriod(
                period: period, closedAt: Date(millisecondsSince1970: try row.decode(column: "closed_at", as: Int64.self)),
                closedByUserID: try row.decode(column: "closed_by_user_id", as: Int64.self),
                settings: try SettingKey.assessment.parse(try row.decode(column: "settings", as: String.self)))
        }
    }

    public func close(_ period: AssessmentPeriod, settings: AssessmentSettings, by userID: Int64, at now: Date) async throws -> ClosedAssessmentPeriod {
        let key = period.key
        let closed = ClosedAssessmentPeriod(period: period, closedAt: now, closedByUserID: userID, settings: settings)
        // A month of a large city is hundreds of thousands of facts: longer than a step's limit.
        return try await database.transaction(statementLimit: .seconds(600)) { db in
            let already = try await db.select().column("period").from("assessment_periods").where("period", .equal, key).first()
            guard already == nil else { throw DomainError(.notAllowedInState, "the period \(key) is already closed", field: "period") }
            try await db.insert(into: "assessment_periods")
                .columns("period", "closed_at", "closed_by_user_id", "settings")
                .values(SQLBind(key), SQLBind(now.millisecondsSince1970), SQLBind(userID), SQLBind(AssessmentSettingsText.encode(settings)))
                .run()
            let live = AssessmentSQL(source: AssessmentSource(period: period, settings: settings, now: now, closed: false))
            try await db.raw(
                "INSERT INTO assessment_facts (period, \(idents: AssessmentSQL.factNames, joinedBy: ", ")) SELECT \(bind: key), \(AssessmentSQL.factColumns) FROM cases c WHERE \(live.reported)"
            ).run()
            try await db.raw(
                """
                INSERT INTO assessment_assists (period, case_id, department_id, reported_at) \
                SELECT \(bind: key), a.case_id, a.department_id, a.reported_at FROM case_assists a JOIN cases c ON c.id = a.case_id WHERE \(live.reported)
                """
            ).run()
            // Counted from the snapshot just written, as every later read of the period is.
            let snapshot = AssessmentSource(period: period, settings: settings, now: now, closed: true)
            for kind in AssessmentUnitKind.allCases {
                let counts = try await Self.counts(kind, from: snapshot, units: nil, on: db)
                let rows = counts.flatMap { unit, indicators in indicators.map { (unit, $0.key, $0.value) } }
                // Batches keep each statement's binds under SQLite's and PostgreSQL's limits.
                for start in stride(from: 0, to: rows.count, by: 500) {
                    let insert = db.insert(into: "assessment_results").columns("period", "unit_kind", "unit_id", "indicator", "numerator", "denominator")
                    for (unit, indicator, count) in rows[start..<min(start + 500, rows.count)] {
                        insert.values(
                            SQLBind(key), SQLBind(kind.rawValue), SQLBind(unit), SQLBind(indicator.rawValue), SQLBind(count.numerator),
                            SQLBind(count.denominator))
                    }
                    try await insert.run()
                }
            }
            return closed
        }
    }

    public func cards(period: AssessmentPeriod, kind: AssessmentUnitKind?) async throws -> [AssessmentCard] {
        let select = database.reader.select()
            .columns("id", "period", "unit_kind", "unit_id", "colour", "points", "reason", "case_id", "by_user_id", "at")
            .from("assessment_cards").where("period", .equal, period.key)
        if let kind { select.where("unit_kind", .equal, kind.rawValue) }
        return try await select.orderBy("id").all().compactMap { row in
            guard let kind = AssessmentUnitKind(rawValue: try row.decode(column: "unit_kind", as: String.self)),
                let colour = CardColour(rawValue: try row.decode(column: "colour", as: String.self))
            else { return nil }
            return AssessmentCard(
                id: try row.decode(column: "id", as: Int64.self), period: try row.decode(column: "period", as: String.self), kind: kind,
                unitID: try row.decode(column: "unit_id", as: Int64.self), colour: colour, points: try row.decode(column: "points", as: Double.self),
                reason: try row.decode(column: "reason", as: String.self), caseID: try row.decode(column: "case_id", as: Int64?.self),
                byUserID: try row.decode(column: "by_user_id", as: Int64.self),
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)))
        }
    }

    public func add(_ card: AssessmentCard) async throws -> AssessmentCard {
        try await database.transaction { db in
            let closed = try await db.select().column("period").from("assessment_periods").where("period", .equal, card.period).first()
            guard closed == nil else { throw DomainError(.notAllowedInState, "the period \(card.period) is closed: its cards no longer change", field: "period") }
            var stored = card
            stored.id = try await database.reserveIDs(1, of: "assessment_cards", on: db)[0]
            try await db.insert(into: "assessment_cards")
                .columns("id", "period", "unit_kind", "unit_id", "colour", "points", "reason", "case_id", "by_user_id", "at")
                .values(
                    SQLBind(stored.id), SQLBind(stored.period), SQLBind(stored.kind.rawValue), SQLBind(stored.unitID), SQLBind(stored.colour.rawValue),
                    SQLBind(stored.points), SQLBind(stored.reason), SQLBind(stored.caseID), SQLBind(stored.byUserID),
                    SQLBind(stored.at.millisecondsSince1970))
                .run()
            return stored
        }
    }

    public func people(holding role: Role) async throws -> [AssessedPerson] {
        try await database.reader.raw(
            "SELECT p.user_id, p.area_id, u.display_name FROM posts p JOIN users u ON u.id = p.user_id WHERE p.role = \(bind: role.rawValue) ORDER BY p.user_id"
        ).all().map { row in
                AssessedPerson(
                    userID: try row.decode(column: "user_id", as: Int64.self), name: try row.decode(column: "display_name", as: String.self),
                    areaID: try row.decode(column: "area_id", as: Int64.self))
            }
    }
}
