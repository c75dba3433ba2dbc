public import Foundation
public import OneGridDomain
import SQLKit

/// Items of one situation in one area and week: the area is the deepest one its rows name (a
/// case's grid, a feed item's grid or the area its code named); the caller adds them up the tree.
public struct RiskWeeklyCount: Sendable, Hashable {
    public var areaID: Int64
    public var situation: RiskSituation
    public var week: RiskWeek
    public var count: Int

    public init(areaID: Int64, situation: RiskSituation, week: RiskWeek, count: Int) {
        self.areaID = areaID
        self.situation = situation
        self.week = week
        self.count = count
    }
}

/// An open dispute or petition (or one still coloured) with what the rules judge it by.
public struct RiskMatterFacts: Sendable, Hashable {
    public var matter: RiskMatter
    public var gridID: Int64
    public var facts: RiskFacts
}

/// A warning of a new red to one post, or the notice of a county's weekly report.
public struct RiskWarning: Sendable, Hashable {
    public var postID: Int64
    /// The red matter; for a report, the county (an area).
    public var matter: RiskMatter
    /// The change's sequence: one warning per post and change; for a report, its week's index.
    public var sequence: Int
    public var areaID: Int64
    public var colour: RiskColour
    public var createdAt: Date
    public var readAt: Date?
    /// The week of the county's report this notice announces; nil for a red's warning.
    public var report: RiskWeek?

    public init(
        postID: Int64, matter: RiskMatter, sequence: Int, areaID: Int64, colour: RiskColour, createdAt: Date, readAt: Date? = nil, report: RiskWeek? = nil
    ) {
        self.postID = postID
        self.matter = matter
        self.sequence = sequence
        self.areaID = areaID
        self.colour = colour
        self.createdAt = createdAt
        self.readAt = readAt
        self.report = report
    }

    /// The notice of `report` to one post.
    public static func notice(of report: RiskReport, to postID: Int64) -> RiskWarning {
        RiskWarning(
            postID: postID, matter: RiskMatter(kind: .area, id: report.countyID), sequence: report.week.index, areaID: report.countyID,
            colour: report.county.colour, createdAt: report.issuedAt, report: report.week)
    }

    /// How the warnings table names what a warning is about: a report's notice apart from the
    /// county's own red, whose sequence numbers are of another count.
    static let reportKind = "report"
    var storedKind: String { report == nil ? matter.kind.rawValue : Self.reportKind }
}

/// The risk picture's record: what the four situations count per area and week, the facts of
/// open matters, and each matter's colour with its append-only history and warnings.
public protocol RiskStore: Sendable {
    /// Counts per situation, deepest area and week of every row that happened within one of
    /// `spans`, the weeks in a zone `offset` seconds east of UTC. Set-based: one GROUP BY per
    /// source, whatever the number of areas. The cases other than petitions are counted from the
    /// deadline figures' days, the city's: exact when `offset` is the city's, as it is in China.
    func weeklyCounts(within spans: [Range<Date>], offset: Int) async throws -> [RiskWeeklyCount]
    /// When each situation's record starts (its first case or feed item), none without any: a
    /// feed connected last year has no history before, which is not a history of zeros.
    func recordStarts() async throws -> [RiskSituation: Date]
    /// Every open dispute and petition, and every other one still coloured, with its facts at
    /// `now`: police calls since `policeSince`, the hottest opinion item, people of `keyKinds`
    /// among its parties or petitioners.
    func matterFacts(at now: Date, policeSince: Date, keyKinds: [String]) async throws -> [RiskMatterFacts]
    /// Every household concerned by a case open, new or police-called since `since` or still
    /// coloured, and every household still coloured, with its facts (see `SQLRiskStore`).
    func householdFacts(since: Date, keyKinds: [String]) async throws -> [RiskHouseholdMatterFacts]
    /// Every matter ever coloured, as it stands.
    func standings() async throws -> [RiskStanding]
    func standing(_ matter: RiskMatter) async throws -> RiskStanding?
    /// Writes standings (each from the version before it, else a version conflict), their
    /// changes and warnings, in one transaction.
    func save(_ standings: [RiskStanding], changes: [RiskColourChange], warnings: [RiskWarning]) async throws
    /// A matter's changes of colour, oldest first.
    func history(_ matter: RiskMatter) async throws -> [RiskColourChange]
    /// A post's warnings, newest first.
    func warnings(postID: Int64, limit: Int) async throws -> [RiskWarning]
    func markWarningsRead(postID: Int64, at now: Date) async throws
    /// The posts of `roles` held in `areaIDs` by accounts not disabled: whom a warning reaches.
    func posts(roles: [Role], areaIDs: [Int64]) async throws -> [Post]

    // MARK: Weekly reports

    /// Every matter's standing as its last change of colour before `end` left it (see
    /// `RiskStanding.asOf`); matters first coloured later are absent.
    func standings(before end: Date) async throws -> [RiskStanding]
    /// The changes of colour within `span`, oldest first, each with its matter's area.
    func changes(within span: Range<Date>) async throws -> [RiskReport.Change]
    /// Stores an issued report with its notices in one transaction; false, and nothing written,
    /// when that county's report of that week was issued already.
    func issue(_ report: RiskReport, notices: [RiskWarning]) async throws -> Bool
    func report(countyID: Int64, week: RiskWeek) async throws -> RiskReport?
    /// The county's issued reports, newest first: week, the county's colour and when issued.
    func reports(countyID: Int64) async throws -> [(week: RiskWeek, colour: RiskColour, issuedAt: Date)]
    /// The counties whose report of `week` was issued.
    func reportedCounties(week: RiskWeek) async throws -> Set<Int64>
}

public struct SQLRiskStore: RiskStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    // MARK: Counting

    public func weeklyCounts(within spans: [Range<Date>], offset: Int) async throws -> [RiskWeeklyCount] {
        guard !spans.isEmpty else { return [] }
        struct Row: Decodable {
            var area: Int64
            var week: Int
            var n: Int
        }
        // Weeks by integer arithmetic on milliseconds: the same on both databases, and an index
        // range scan on the time column per span.
        func week(_ column: SQLColumn) -> SQLQueryString {
            "(\(column) / 1000 + \(literal: offset + RiskWeek.originShift)) / \(literal: RiskWeek.seconds)"
        }
        /// The spans as ranges of `column`, whose values are `value` of a moment (by default its
        /// milliseconds).
        func within(
            _ select: SQLSelectBuilder, _ column: SQLColumn, _ value: (Date) -> Int64 = { $0.millisecondsSince1970 }
        ) -> SQLSelectBuilder {
            select.where { group in
                for span in spans {
                    group.orWhere { $0.where(column, .greaterThanOrEqual, SQLBind(value(span.lowerBound)))
                        .where(column, .lessThan, SQLBind(value(span.upperBound))) }
                }
                return group
            }
        }
        let created = SQLColumn("created_at", table: "cases")
        let occurred = SQLColumn("occurred_at")
        let reader = database.reportReader
        var counts: [RiskWeeklyCount] = []
        // The petitions, few, with their cases.
        var petitions: [Int64: [Int: Int]] = [:]
        let petitionSelect = reader.select().column(SQLColumn("grid_id", table: "cases"), as: "area").column(week(created), as: "week")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("petitions")
            .join("cases", on: SQLColumn("id", table: "cases"), .equal, SQLColumn("case_id", table: "petitions"))
        for row in try await within(petitionSelect, created).groupBy(SQLColumn("grid_id", table: "cases")).groupBy(SQLIdentifier("week"))
            .allInTurns(decoding: Row.self)
        {
            petitions[row.area, default: [:]][row.week] = row.n
            counts.append(RiskWeeklyCount(areaID: row.area, situation: .petition, week: RiskWeek(index: row.week), count: row.n))
        }
        // Every other case: all of a grid's cases less its petitions, from the deadline figures'
        // running totals (cases received per area and report day). Counting the cases read every
        // case of the weeks each half minute: 0.76 s of PostgreSQL once a soak's hotline had put
        // 400,000 cases in this week. A week is the days that start in it, the city's days: the
        // same as counting by report time when the calendar keeps the city's offset, as in China.
        let day = SQLColumn("day", table: "deadline_ledger")
        let dayShift = offset - Int(DeadlineLedger.offsetMillis / 1000) + RiskWeek.originShift
        let received = reader.select().column(SQLColumn("area_id", table: "deadline_ledger"), as: "area")
            .column(SQLQueryString("(CAST(\(day) AS BIGINT) * 86400 + \(literal: dayShift)) / \(literal: RiskWeek.seconds)"), as: "week")
            .column(SQLQueryString("CAST(SUM(received) AS BIGINT)"), as: "n").from("deadline_ledger")
            .join("areas", on: SQLColumn("id", table: "areas"), .equal, SQLColumn("area_id", table: "deadline_ledger"))
            .where(SQLColumn("level", table: "areas"), .equal, SQLBind(AdminLevel.grid.rawValue))
        let days = within(received, day) { Int64(DeadlineLedger.day(ofMillis: $0.millisecondsSince1970)) }
        for row in try await days.groupBy(SQLColumn("area_id", table: "deadline_ledger")).groupBy(SQLIdentifier("week")).allInTurns(decoding: Row.self) {
            let others = row.n - (petitions[row.area]?[row.week] ?? 0)
            if others > 0 { counts.append(RiskWeeklyCount(areaID: row.area, situation: .social, week: RiskWeek(index: row.week), count: others)) }
        }
        for (kind, situation) in [(FeedKind.policeIncident, RiskSituation.police), (.publicOpinion, .opinion)] {
            let select = reader.select().column("area_id", as: "area").column(week(occurred), as: "week")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("feed_items").where("kind", .equal, kind.rawValue)
            for row in try await within(select, occurred).groupBy("area_id").groupBy(SQLIdentifier("week")).allInTurns(decoding: Row.self) {
                counts.append(RiskWeeklyCount(areaID: row.area, situation: situation, week: RiskWeek(index: row.week), count: row.n))
            }
        }
        return counts
    }

    public func recordStarts() async throws -> [RiskSituation: Date] {
        let reader = database.reader
        let first = SQLFunction("MIN", args: SQLColumn("created_at", table: "cases"))
        let starts: [(RiskSituation, SQLSelectBuilder)] = [
            (.social, reader.select().column(first, as: "first").from("cases")),
            (.petition, reader.select().column(first, as: "first").from("cases")
                .join("petitions", on: SQLColumn("case_id", table: "petitions"), .equal, SQLColumn("id", table: "cases"))),
            (.police, reader.select().column(SQLFunction("MIN", args: SQLIdentifier("occurred_at")), as: "first").from("feed_items")
                .where("kind", .equal, FeedKind.policeIncident.rawValue)),
            (.opinion, reader.select().column(SQLFunction("MIN", args: SQLIdentifier("occurred_at")), as: "first").from("feed_items")
                .where("kind", .equal, FeedKind.publicOpinion.rawValue)),
        ]
        var found: [RiskSituation: Date] = [:]
        for (situation, select) in starts {
            if let first = try await select.first(decodingColumn: "first", as: Int64?.self) ?? nil {
                found[situation] = Date(millisecondsSince1970: first)
            }
        }
        return found
    }

    // MARK: Matters

    public func matterFacts(at now: Date, policeSince: Date, keyKinds: [String]) async throws -> [RiskMatterFacts] {
        let reader = database.reportReader
        let coloured = Set(try await standings().filter { $0.colour != .green && $0.matter.kind != .area }.map(\.matter.id))
        struct CaseRow: Decodable {
            var id: Int64
            var gridId: Int64
            var status: String
            var createdAt: Int64
            var dueAt: Int64
        }
        func share(_ row: CaseRow) -> Double? {
            let limit = row.dueAt - row.createdAt
            return limit > 0 ? Double(now.millisecondsSince1970 - row.createdAt) / Double(limit) : nil
        }
        struct Count: Decodable {
            var caseId: Int64
            var n: Int
        }
        struct Heat: Decodable {
            var caseId: Int64
            var n: Double?
        }
        var policeCalls: [Int64: Int] = [:]
        for row in try await reader.select().column("case_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("feed_items")
            .where("kind", .equal, FeedKind.policeIncident.rawValue).where("case_id", .isNot, SQLLiteral.null)
            .where("occurred_at", .greaterThanOrEqual, policeSince.millisecondsSince1970).groupBy("case_id")
            .allInTurns(decoding: Count.self, with: .snake)
        { policeCalls[row.caseId] = row.n }
        var heat: [Int64: Double] = [:]
        for row in try await reader.select().column("case_id").column(SQLFunction("MAX", args: SQLIdentifier("heat")), as: "n").from("feed_items")
            .where("kind", .equal, FeedKind.publicOpinion.rawValue).where("case_id", .isNot, SQLLiteral.null).groupBy("case_id")
            .allInTurns(decoding: Heat.self, with: .snake)
        { heat[row.caseId] = row.n }
        var keyPeople: Set<Int64> = []
        if !keyKinds.isEmpty {
            for (table, column) in [("dispute_parties", "id_number"), ("petitioner_ids", "id_number")] {
                keyPeople.formUnion(
                    try await reader.select().distinct().column(SQLColumn("case_id", table: table)).from(table)
                        .join("residents", on: SQLColumn("id_number", table: "residents"), .equal, SQLColumn(column, table: table))
                        .where(SQLColumn("kind", table: "residents"), .in, SQLBind.group(keyKinds))
                        .all(decodingColumn: "case_id", as: Int64.self))
            }
        }
        func base(_ id: Int64, _ row: CaseRow) -> RiskFacts {
            var facts = RiskFacts()
            guard (try? stored(CaseStatus.self, row.status))?.isOpen == true else { return facts }
            facts.policeCalls = policeCalls[id] ?? 0
            facts.hottestOpinion = heat[id]
            facts.keyPerson = keyPeople.contains(id)
            facts.deadlineShareUsed = share(row)
            return facts
        }
        var matters: [RiskMatterFacts] = []
        struct DisputeRow: Decodable {
            var id: Int64
            var gridId: Int64
            var status: String
            var createdAt: Int64
            var dueAt: Int64
            var violenceReportedAt: Int64?
            var peopleInvolved: Int
            var majorReason: String?
            var reopenCount: Int
            var disputeStatus: String
            var row: CaseRow { CaseRow(id: id, gridId: gridId, status: status, createdAt: createdAt, dueAt: dueAt) }
        }
        let disputes = Self.matterCases(
            joining: "disputes", extra: ["violence_reported_at", "people_involved", "major_reason", "reopen_count"], coloured: coloured, on: reader
        ).column(SQLColumn("status", table: "disputes"), as: "dispute_status")
        for row in try await disputes.allInTurns(decoding: DisputeRow.self, with: .snake) {
            var facts = base(row.id, row.row)
            if (try? stored(CaseStatus.self, row.status))?.isOpen == true {
                facts.violenceReported = row.violenceReportedAt != nil
                facts.headcount = row.peopleInvolved
                facts.major = row.majorReason != nil
                facts.isRepeat = row.reopenCount > 0
                facts.failedMediation = [DisputeStatus.noAgreement.rawValue, DisputeStatus.refused.rawValue].contains(row.disputeStatus)
            }
            matters.append(RiskMatterFacts(matter: RiskMatter(kind: .dispute, id: row.id), gridID: row.gridId, facts: facts))
        }
        struct PetitionRow: Decodable {
            var id: Int64
            var gridId: Int64
            var status: String
            var createdAt: Int64
            var dueAt: Int64
            var record: String
            var row: CaseRow { CaseRow(id: id, gridId: gridId, status: status, createdAt: createdAt, dueAt: dueAt) }
        }
        for row in try await Self.matterCases(joining: "petitions", extra: ["record"], coloured: coloured, on: reader).allInTurns(decoding: PetitionRow.self, with: .snake) {
            var facts = base(row.id, row.row)
            if (try? stored(CaseStatus.self, row.status))?.isOpen == true {
                let petition = try SQLPetitionStore.PetitionRow(caseId: row.id, record: row.record).petition()
                facts.headcount = petition.headcount
                facts.skippedLevel = petition.crossLevel
                facts.underReview = petition.stage == .underReview
                facts.isRepeat = petition.repeatOf != nil
            }
            matters.append(RiskMatterFacts(matter: RiskMatter(kind: .petition, id: row.id), gridID: row.gridId, facts: facts))
        }
        return matters
    }

    /// The cases of a matter `table` that are open or still `coloured`; closed ones carry no
    /// facts, so their colour can come down once followed up. Read from the matters' side, each
    /// case by its key (migration 039): never every open case of the city.
    static func matterCases(joining table: String, extra: [String], coloured: Set<Int64>, on reader: any SQLDatabase) -> SQLSelectBuilder {
        reader.select().columns(["id", "grid_id", "status", "created_at", "due_at"].map { SQLColumn($0, table: "cases") })
            .columns(extra.map { SQLColumn($0, table: table) })
            .from("cases").join(table, on: SQLColumn("case_id", table: table), .equal, SQLColumn("id", table: "cases"))
            .where { group in
                group.where(SQLColumn("status", table: "cases"), .in, SQLBind.group(CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)))
                if !coloured.isEmpty { group.orWhere(SQLColumn("id", table: "cases"), .in, SQLBind.group(Array(coloured))) }
                return group
            }
    }

    // MARK: Standings

    struct StandingRow: Codable {
        var matterKind: String
        var matterId: Int64
        var areaId: Int64
        var colour: String
        var reasons: String
        var since: Int64
        var ownerRole: String?
        var ownerAreaId: Int64?
        var followUpDueAt: Int64?
        var followUpDoneAt: Int64?
        var followUpNote: String?
        var version: Int

        init(_ standing: RiskStanding) {
            matterKind = standing.matter.kind.rawValue
            matterId = standing.matter.id
            areaId = standing.areaID
            colour = standing.colour.rawValue
            reasons = SQLRiskStore.json(standing.reasons)
            since = standing.since.millisecondsSince1970
            ownerRole = standing.owner?.role.rawValue
            ownerAreaId = standing.owner?.areaID
            followUpDueAt = standing.followUpDueAt?.millisecondsSince1970
            followUpDoneAt = standing.followUpDoneAt?.millisecondsSince1970
            followUpNote = standing.followUpNote
            version = standing.version
        }

        func standing() throws -> RiskStanding {
            RiskStanding(
                matter: RiskMatter(kind: try stored(RiskMatterKind.self, matterKind), id: matterId), areaID: areaId,
                colour: try stored(RiskColour.self, colour), reasons: try SQLRiskStore.decode([RiskReason].self, reasons), since: Date(millisecondsSince1970: since),
                owner: try SQLRiskStore.owner(ownerRole, ownerAreaId), followUpDueAt: followUpDueAt.map(Date.init(millisecondsSince1970:)),
                followUpDoneAt: followUpDoneAt.map(Date.init(millisecondsSince1970:)), followUpNote: followUpNote, version: version)
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        // Reasons are enums, numbers and optionals: encoding them cannot fail.
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("stored risk reasons are not reasons: \(error)")
        }
    }

    static func owner(_ role: String?, _ areaID: Int64?) throws -> RiskOwner? {
        guard let role, let areaID else { return nil }
        return RiskOwner(role: try stored(Role.self, role), areaID: areaID)
    }

    public func standings() async throws -> [RiskStanding] {
        try await database.reader.select().column("*").from("risk_standings").orderBy("matter_kind").orderBy("matter_id")
            .allInTurns(decoding: StandingRow.self, with: .snake).map { try $0.standing() }
    }

    public func standing(_ matter: RiskMatter) async throws -> RiskStanding? {
        try await database.reader.select().column("*").from("risk_standings")
            .where("matter_kind", .equal, matter.kind.rawValue).where("matter_id", .equal, matter.id)
            .first(decoding: StandingRow.self, with: .snake).map { try $0.standing() }
    }

    public func save(_ standings: [RiskStanding], changes: [RiskColourChange], warnings: [RiskWarning]) async throws {
        guard !standings.isEmpty || !changes.isEmpty || !warnings.isEmpty else { return }
        try await database.transaction { db in
            for standing in standings {
                let row = StandingRow(standing)
                if standing.version == 1 {
                    let inserted = try await db.insert(into: "risk_standings").model(row, keyEncodingStrategy: .convertToSnakeCase)
                        .ignoringConflicts(with: ["matter_kind", "matter_id"]).returning("version").first()
                    guard inserted != nil else { throw Self.conflict(standing) }
                } else {
                    // Every column set by name: a model's nil fields would be left out, and a done
                    // follow-up must be cleared when a new one is due.
                    let written = try await db.update("risk_standings")
                        .set("area_id", to: SQLBind(row.areaId)).set("colour", to: SQLBind(row.colour)).set("reasons", to: SQLBind(row.reasons))
                        .set("since", to: SQLBind(row.since)).set("owner_role", to: SQLBind(row.ownerRole)).set("owner_area_id", to: SQLBind(row.ownerAreaId))
                        .set("follow_up_due_at", to: SQLBind(row.followUpDueAt)).set("follow_up_done_at", to: SQLBind(row.followUpDoneAt))
                        .set("follow_up_note", to: SQLBind(row.followUpNote)).set("version", to: SQLBind(row.version))
                        .where("matter_kind", .equal, row.matterKind).where("matter_id", .equal, row.matterId)
                        .where("version", .equal, standing.version - 1).returning("version").first()
                    guard written != nil else { throw Self.conflict(standing) }
                }
            }
            for chunk in changes.chunked(into: 200) {
                try await db.insert(into: "risk_changes")
                    .columns(
                        "matter_kind", "matter_id", "sequence", "from_colour", "to_colour", "reasons", "owner_role", "owner_area_id",
                        "follow_up_due_at", "follow_up_note", "by_user_id", "at"
                    )
                    .rows(chunk.map { change in
                        [
                            SQLBind(change.matter.kind.rawValue), SQLBind(change.matter.id), SQLBind(change.sequence), SQLBind(change.from.rawValue),
                            SQLBind(change.to.rawValue), SQLBind(Self.json(change.reasons)), SQLBind(change.owner?.role.rawValue),
                            SQLBind(change.owner?.areaID), SQLBind(change.followUpDueAt?.millisecondsSince1970), SQLBind(change.followUpNote),
                            SQLBind(change.byUserID), SQLBind(change.at.millisecondsSince1970),
                        ]
                    }).run()
            }
            try await Self.insert(warnings, on: db)
        }
    }

    /// Writes warnings once each: a round that runs twice warns no one twice.
    static func insert(_ warnings: [RiskWarning], on db: any SQLDatabase) async throws {
        for chunk in warnings.chunked(into: 200) {
            try await db.insert(into: "risk_warnings")
                .columns("post_id", "matter_kind", "matter_id", "sequence", "area_id", "colour", "created_at")
                .rows(chunk.map { warning in
                    [
                        SQLBind(warning.postID), SQLBind(warning.storedKind), SQLBind(warning.matter.id), SQLBind(warning.sequence),
                        SQLBind(warning.areaID), SQLBind(warning.colour.rawValue), SQLBind(warning.createdAt.millisecondsSince1970),
                    ]
                })
                .ignoringConflicts(with: ["post_id", "matter_kind", "matter_id", "sequence"]).run()
        }
    }

    static func conflict(_ standing: RiskStanding) -> DomainError {
        DomainError(
            .versionConflict, "the colour of \(standing.matter.kind.rawValue) \(standing.matter.id) was changed meanwhile; reload and try again",
            field: "version", currentVersion: standing.version - 1)
    }

    /// A row of `risk_changes`.
    struct ChangeRow: Decodable {
        var matterKind: String
        var matterId: Int64
        var sequence: Int
        var fromColour: String
        var toColour: String
        var reasons: String
        var ownerRole: String?
        var ownerAreaId: Int64?
        var followUpDueAt: Int64?
        var followUpNote: String?
        var byUserId: Int64?
        var at: Int64

        func change() throws -> RiskColourChange {
            RiskColourChange(
                matter: RiskMatter(kind: try stored(RiskMatterKind.self, matterKind), id: matterId), sequence: sequence,
                from: try stored(RiskColour.self, fromColour), to: try stored(RiskColour.self, toColour), reasons: try SQLRiskStore.decode([RiskReason].self, reasons),
                owner: try SQLRiskStore.owner(ownerRole, ownerAreaId), followUpDueAt: followUpDueAt.map(Date.init(millisecondsSince1970:)),
                followUpNote: followUpNote, byUserID: byUserId, at: Date(millisecondsSince1970: at))
        }
    }

    public func history(_ matter: RiskMatter) async throws -> [RiskColourChange] {
        try await database.reader.select().column("*").from("risk_changes")
            .where("matter_kind", .equal, matter.kind.rawValue).where("matter_id", .equal, matter.id).orderBy("sequence")
            .all(decoding: ChangeRow.self, with: .snake).map { try $0.change() }
    }

    public func warnings(postID: Int64, limit: Int) async throws -> [RiskWarning] {
        struct Row: Decodable {
            var matterKind: String
            var matterId: Int64
            var sequence: Int
            var areaId: Int64
            var colour: String
            var createdAt: Int64
            var readAt: Int64?
        }
        return try await database.reader.select().column("*").from("risk_warnings").where("post_id", .equal, postID)
            .orderBy("created_at", .descending).orderBy("matter_id").limit(limit).all(decoding: Row.self, with: .snake)
            .map { row in
                let report = row.matterKind == RiskWarning.reportKind
                return RiskWarning(
                    postID: postID, matter: RiskMatter(kind: report ? .area : try stored(RiskMatterKind.self, row.matterKind), id: row.matterId),
                    sequence: row.sequence, areaID: row.areaId, colour: try stored(RiskColour.self, row.colour),
                    createdAt: Date(millisecondsSince1970: row.createdAt), readAt: row.readAt.map(Date.init(millisecondsSince1970:)),
                    report: report ? RiskWeek(index: row.sequence) : nil)
            }
    }

    public func markWarningsRead(postID: Int64, at now: Date) async throws {
        try await database.transaction { db in
            try await db.update("risk_warnings").set("read_at", to: now.millisecondsSince1970).where("post_id", .equal, postID)
                .where("read_at", .is, SQLLiteral.null).run()
        }
    }
}

extension SQLRiskStore {
    public func posts(roles: [Role], areaIDs: [Int64]) async throws -> [Post] {
        guard !roles.isEmpty, !areaIDs.isEmpty else { return [] }
        return try await database.reader.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("posts"))).from("posts")
            .join("users", on: SQLColumn("id", table: "users"), .equal, SQLColumn("user_id", table: "posts"))
            .where(SQLColumn("role", table: "posts"), .in, SQLBind.group(roles.map(\.rawValue)))
            .where(SQLColumn("area_id", table: "posts"), .in, SQLBind.group(areaIDs))
            .where(SQLColumn("disabled_at", table: "users"), .is, SQLLiteral.null).orderBy(SQLColumn("id", table: "posts"))
            .all(decoding: SQLPeopleStore.PostRow.self, with: .snake).map { try $0.post() }
    }
}

extension SettingKey where Value == RiskRules {
    /// The risk rules in force, as JSON of `RiskRules`.
    public static var riskRules: Self {
        Self(
            name: "risk.rules",
            parse: { text in
                do {
                    return try JSONDecoder().decode(RiskRules.self, from: Data(text.utf8))
                } catch {
                    throw StoreError.corrupt("the setting risk.rules is not a set of risk rules: \(error)")
                }
            },
            format: { SQLRiskStore.json($0) })
    }
}
