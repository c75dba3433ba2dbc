public import Foundation
public import OneGridDomain
import SQLKit

/// A household with what the rules judge it by, and the disputes and petitions that concern it:
/// the judgement knows only in its own round which of those are red.
public struct RiskHouseholdMatterFacts: Sendable, Hashable {
    public var householdID: Int64
    public var gridID: Int64
    public var facts: RiskHouseholdFacts
    public var matters: Set<RiskMatter>
}

extension SQLRiskStore {
    /// Every household that a case concerns which is open, opened since `since`, still coloured
    /// or had a police incident since then — through its members (parties, petitioners, linked
    /// residents) or itself (linked, or a police incident at its address) — and every household
    /// still coloured, with its facts; a household with no facts left has empty ones.
    public func householdFacts(since: Date, keyKinds: [String]) async throws -> [RiskHouseholdMatterFacts] {
        let reader = database.reportReader
        let coloured = try await standings().filter { $0.colour != .green }
        let colouredCases = coloured.filter { $0.matter.kind == .dispute || $0.matter.kind == .petition }.map(\.matter.id)
        let colouredHouseholds = coloured.filter { $0.matter.kind == .household }.map(\.matter.id)
        let sinceMS = since.millisecondsSince1970
        let police = FeedKind.policeIncident.rawValue

        struct Incident: Decodable {
            var id: Int64
            var caseId: Int64
        }
        let incidents = try await reader.select().column("id").column("case_id").from("feed_items").where("kind", .equal, police)
            .where("case_id", .isNot, SQLLiteral.null).where("occurred_at", .greaterThanOrEqual, sinceMS)
            .all(decoding: Incident.self, with: .snake)
        let incidentsByCase = Dictionary(grouping: incidents, by: \.caseId)

        /// Which household a case concerns, and whether through a person of a key kind.
        struct Link: Decodable, Hashable {
            var householdId: Int64
            var caseId: Int64
            var kind: String?
        }
        let open = CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)
        let watchedCases = Array(Set(colouredCases + incidentsByCase.keys))
        func relevant(_ select: SQLSelectBuilder, caseColumn: SQLColumn) -> SQLSelectBuilder {
            select.join("cases", on: SQLColumn("id", table: "cases"), .equal, caseColumn).where { group in
                group.where(SQLColumn("status", table: "cases"), .in, SQLBind.group(open))
                    .orWhere(SQLColumn("created_at", table: "cases"), .greaterThanOrEqual, SQLBind(sinceMS))
                if !watchedCases.isEmpty { group.orWhere(SQLColumn("id", table: "cases"), .in, SQLBind.group(watchedCases)) }
                return group
            }
        }
        var links: Set<Link> = []
        let personal: [(table: String, column: String, extra: (SQLSelectBuilder) -> SQLSelectBuilder)] = [
            ("dispute_parties", "id_number", { $0 }),
            ("petitioner_ids", "id_number", { $0 }),
            ("case_subjects", "subject_id", { $0.where(SQLColumn("subject", table: "case_subjects"), .equal, SQLBind(BaseSubject.resident.rawValue)) }),
        ]
        for source in personal {
            let residentColumn = source.table == "case_subjects" ? "id" : "id_number"
            let select = reader.select().column(SQLColumn("household_id", table: "residents")).column(SQLColumn("case_id", table: source.table))
                .column(SQLColumn("kind", table: "residents")).from(source.table)
                .join("residents", on: SQLColumn(residentColumn, table: "residents"), .equal, SQLColumn(source.column, table: source.table))
            links.formUnion(try await relevant(source.extra(select), caseColumn: SQLColumn("case_id", table: source.table)).all(decoding: Link.self, with: .snake))
        }
        let direct = reader.select().column(SQLColumn("subject_id", table: "case_subjects"), as: "household_id")
            .column(SQLColumn("case_id", table: "case_subjects")).from("case_subjects")
            .where(SQLColumn("subject", table: "case_subjects"), .equal, SQLBind(BaseSubject.household.rawValue))
        links.formUnion(try await relevant(direct, caseColumn: SQLColumn("case_id", table: "case_subjects")).all(decoding: Link.self, with: .snake))

        // Police incidents at the household's address, not linked to any case.
        struct AtAddress: Decodable {
            var householdId: Int64
            var n: Int
        }
        var atAddress: [Int64: Int] = [:]
        for row in try await Self.incidentsAtAddresses(since: since, on: reader).all(decoding: AtAddress.self, with: .snake) {
            atAddress[row.householdId] = row.n
        }

        struct CaseRow: Decodable {
            var id: Int64
            var status: String
            var createdAt: Int64
            var reopenCount: Int?
            var petition: Int64?
        }
        var cases: [Int64: CaseRow] = [:]
        for chunk in Array(Set(links.map(\.caseId))).chunked(into: SQLBaseDataStore.chunk) {
            for row in try await reader.select().column(SQLColumn("id", table: "cases")).column(SQLColumn("status", table: "cases"))
                .column(SQLColumn("created_at", table: "cases")).column(SQLColumn("reopen_count", table: "disputes"))
                .column(SQLColumn("case_id", table: "petitions"), as: "petition").from("cases")
                .join("disputes", method: SQLJoinMethod.left, on: SQLColumn("case_id", table: "disputes"), .equal, SQLColumn("id", table: "cases"))
                .join("petitions", method: SQLJoinMethod.left, on: SQLColumn("case_id", table: "petitions"), .equal, SQLColumn("id", table: "cases"))
                .where(SQLColumn("id", table: "cases"), .in, SQLBind.group(Array(chunk))).all(decoding: CaseRow.self, with: .snake)
            { cases[row.id] = row }
        }

        let households = Set(links.map(\.householdId)).union(atAddress.keys).union(colouredHouseholds)
        var grids: [Int64: Int64] = [:]
        var keyResident: Set<Int64> = []
        struct Placed: Decodable {
            var id: Int64
            var gridId: Int64
        }
        for chunk in Array(households).chunked(into: SQLBaseDataStore.chunk) {
            for row in try await reader.select().column("id").column("grid_id").from("households").where("id", .in, SQLBind.group(Array(chunk)))
                .all(decoding: Placed.self, with: .snake)
            { grids[row.id] = row.gridId }
            if !keyKinds.isEmpty {
                keyResident.formUnion(
                    try await reader.select().distinct().column("household_id").from("residents").where("household_id", .in, SQLBind.group(Array(chunk)))
                        .where("kind", .in, SQLBind.group(keyKinds)).all(decodingColumn: "household_id", as: Int64.self))
            }
        }

        let linksByHousehold = Dictionary(grouping: links, by: \.householdId)
        let keys = Set(keyKinds)
        return households.sorted().compactMap { id in
            guard let gridID = grids[id] else { return nil }
            var facts = RiskHouseholdFacts()
            facts.keyResident = keyResident.contains(id)
            var matters: Set<RiskMatter> = []
            var incidentIDs: Set<Int64> = []
            var recentDisputes: Set<Int64> = []
            var repeats: Set<Int64> = []
            for link in linksByHousehold[id] ?? [] {
                guard let row = cases[link.caseId] else { continue }
                let isOpen = (try? stored(CaseStatus.self, row.status))?.isOpen == true
                let isDispute = row.reopenCount != nil
                if isDispute || row.petition != nil { matters.insert(RiskMatter(kind: isDispute ? .dispute : .petition, id: row.id)) }
                if isDispute && row.createdAt >= sinceMS { recentDisputes.insert(row.id) }
                if isDispute && isOpen && (row.reopenCount ?? 0) > 0 { repeats.insert(row.id) }
                if isOpen, let kind = link.kind, keys.contains(kind) { facts.keyPersonOpenCase = true }
                for incident in incidentsByCase[row.id] ?? [] { incidentIDs.insert(incident.id) }
            }
            facts.incidents = incidentIDs.count + recentDisputes.count + (atAddress[id] ?? 0)
            facts.repeatDisputes = repeats.count
            return RiskHouseholdMatterFacts(householdID: id, gridID: gridID, facts: facts, matters: matters)
        }
    }

    /// Each household's count of police incidents at its address since `since` that no case
    /// carries: the incidents read by their kind, each household found by its address (migration
    /// 033), never every household against every incident.
    static func incidentsAtAddresses(since: Date, on reader: any SQLDatabase) -> SQLSelectBuilder {
        reader.select().column(SQLColumn("id", table: "households"), as: "household_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("feed_items")
            .join("households", on: SQLColumn("address", table: "households"), .equal, SQLColumn("place", table: "feed_items"))
            .where(SQLColumn("kind", table: "feed_items"), .equal, SQLBind(FeedKind.policeIncident.rawValue))
            .where(SQLColumn("case_id", table: "feed_items"), .is, SQLLiteral.null)
            .where(SQLColumn("occurred_at", table: "feed_items"), .greaterThanOrEqual, SQLBind(since.millisecondsSince1970))
            .groupBy(SQLColumn("id", table: "households"))
    }
}
