public import Foundation
public import OneGridDomain
import SQLKit

/// The screening rounds and the risks they found.
public protocol ScreeningStore: Sendable {
    /// Writes new rounds with their findings in one transaction; returns them with their ids.
    /// - Parameter lineage: each round's area and those above it, from the city down.
    func record(_ rounds: [(round: ScreeningRound, lineage: [Area])]) async throws -> [ScreeningRound]
    func round(id: Int64) async throws -> ScreeningRound?
    /// The rounds of `area` and every area under it, newest first.
    func rounds(under area: Area, limit: Int) async throws -> [ScreeningRound]
    /// The last round of each area under `area` (itself included) that ever had one.
    func lastRounds(under area: Area) async throws -> [Int64: Date]
    /// Points a finding not yet a dispute to the dispute case opened from it; false when another
    /// request linked it first.
    func link(roundID: Int64, finding: Int, toCase caseID: Int64) async throws -> Bool
}

extension SettingKey where Value == ScreeningCadence {
    /// The days between rounds per level, as JSON.
    public static var screeningCadence: Self {
        Self(
            name: "screening.cadence",
            parse: { text in
                do {
                    return try JSONDecoder().decode(ScreeningCadence.self, from: Data(text.utf8))
                } catch {
                    throw StoreError.corrupt("the setting screening.cadence is not a cadence: \(error)")
                }
            },
            // Four numbers: encoding cannot fail.
            format: { String(decoding: (try? JSONEncoder().encode($0)) ?? Data(), as: UTF8.self) })
    }
}

public struct SQLScreeningStore: ScreeningStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    struct RoundRow: Codable {
        var id: Int64
        var areaId: Int64
        var level: String
        var cityId: Int64
        var countyId: Int64?
        var townId: Int64?
        var villageId: Int64?
        var doneAt: Int64
        var userId: Int64
        var postId: Int64
        var checked: String
    }

    struct FindingRow: Codable {
        var roundId: Int64
        var number: Int
        var text: String
        var caseId: Int64?
    }

    /// The column that holds the id of an area at `level` on every round under it.
    static func column(of level: AdminLevel) -> String {
        level == .grid ? "area_id" : "\(level.rawValue)_id"
    }

    public func record(_ rounds: [(round: ScreeningRound, lineage: [Area])]) async throws -> [ScreeningRound] {
        var rows: [RoundRow] = []
        for (round, lineage) in rounds {
            let above = Dictionary(lineage.map { ($0.level, $0.id) }, uniquingKeysWith: { first, _ in first })
            guard let city = above[.city] else { throw StoreError.corrupt("area \(round.areaID) lies in no city") }
            // Only the levels at and above the round's own are in its lineage: a town's round lies under no village.
            rows.append(
                RoundRow(
                    id: 0, areaId: round.areaID, level: round.level.rawValue, cityId: city, countyId: above[.county], townId: above[.town],
                    villageId: above[.village], doneAt: round.doneAt.millisecondsSince1970, userId: round.userID, postId: round.postID,
                    checked: round.checked))
        }
        guard !rows.isEmpty else { return [] }
        let frozen = rows
        return try await database.transaction { db in
            let ids = try await database.reserveIDs(frozen.count, of: "screening_rounds", on: db)
            var written = rounds.map(\.round)
            var rows = frozen
            for index in rows.indices { (rows[index].id, written[index].id) = (ids[index], ids[index]) }
            // In slices: a statement binds at most a few thousand values.
            for slice in stride(from: 0, to: rows.count, by: 500) {
                try await db.insert(into: "screening_rounds").models(Array(rows[slice..<min(slice + 500, rows.count)]), with: .snakeWithNils).run()
            }
            let findings = written.flatMap { round in
                round.findings.map { FindingRow(roundId: round.id, number: $0.number, text: $0.text, caseId: $0.caseID) }
            }
            for slice in stride(from: 0, to: findings.count, by: 1_000) {
                try await db.insert(into: "screening_findings").models(Array(findings[slice..<min(slice + 1_000, findings.count)]), with: .snakeWithNils)
                    .run()
            }
            return written
        }
    }

    public func round(id: Int64) async throws -> ScreeningRound? {
        try await rounds(database.reader.select().columns("*").from("screening_rounds").where("id", .equal, id)).first
    }

    public func rounds(under area: Area, limit: Int) async throws -> [ScreeningRound] {
        try await rounds(
            database.reader.select().columns("*").from("screening_rounds").where(SQLIdentifier(Self.column(of: area.level)), .equal, area.id)
                .orderBy("done_at", .descending).orderBy("id", .descending).limit(limit))
    }

    public func lastRounds(under area: Area) async throws -> [Int64: Date] {
        struct Row: Decodable {
            var areaId: Int64
            var last: Int64
        }
        let rows = try await database.reader.select().column("area_id").column(SQLFunction("MAX", args: SQLIdentifier("done_at")), as: "last")
            .from("screening_rounds").where(SQLIdentifier(Self.column(of: area.level)), .equal, area.id).groupBy("area_id")
            .all(decoding: Row.self, with: .snake)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.areaId, Date(millisecondsSince1970: $0.last)) })
    }

    public func link(roundID: Int64, finding: Int, toCase caseID: Int64) async throws -> Bool {
        try await database.transaction { db in
            let linked = try await db.update("screening_findings").set("case_id", to: caseID)
                .where("round_id", .equal, roundID).where("number", .equal, finding).where("case_id", .is, SQLLiteral.null)
                .returning("number").all()
            return !linked.isEmpty
        }
    }

    /// The rounds the query selects, each with its findings, in the query's order.
    private func rounds(_ query: SQLSelectBuilder) async throws -> [ScreeningRound] {
        let rows = try await query.all(decoding: RoundRow.self, with: .snake)
        guard !rows.isEmpty else { return [] }
        let findings = try await database.reader.select().columns("*").from("screening_findings")
            .where("round_id", .in, rows.map(\.id)).orderBy("round_id").orderBy("number")
            .all(decoding: FindingRow.self, with: .snake)
        let byRound = Dictionary(grouping: findings, by: \.roundId)
        return try rows.map { row in
            guard let level = AdminLevel(rawValue: row.level) else {
                throw StoreError.corrupt("screening round \(row.id) has level '\(row.level)'")
            }
            return ScreeningRound(
                id: row.id, areaID: row.areaId, level: level, doneAt: Date(millisecondsSince1970: row.doneAt), userID: row.userId,
                postID: row.postId, checked: row.checked,
                findings: (byRound[row.id] ?? []).map { .init(number: $0.number, text: $0.text, caseID: $0.caseId) })
        }
    }
}
