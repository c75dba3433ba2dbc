public import Foundation
public import OneGridDomain
import SQLKit

extension SQLRiskStore {
    public func standings(before end: Date) async throws -> [RiskStanding] {
        let current = Dictionary(try await standings().map { ($0.matter, $0) }, uniquingKeysWith: { first, _ in first })
        // Each matter's last change before the end: one GROUP BY, then its row.
        let rows = try await database.reportReader.raw(
            """
            SELECT c.* FROM risk_changes c
            JOIN (SELECT matter_kind, matter_id, MAX(sequence) AS last FROM risk_changes WHERE at < \(bind: end.millisecondsSince1970)
                  GROUP BY matter_kind, matter_id) m
              ON m.matter_kind = c.matter_kind AND m.matter_id = c.matter_id AND m.last = c.sequence
            """
        ).all(decoding: ChangeRow.self, with: .snake)
        return try rows.compactMap { row in
            let change = try row.change()
            return current[change.matter].map { RiskStanding.asOf(end, change: change, current: $0) }
        }
    }

    public func changes(within span: Range<Date>) async throws -> [RiskReport.Change] {
        let areas = Dictionary(try await standings().map { ($0.matter, $0.areaID) }, uniquingKeysWith: { first, _ in first })
        return try await database.reportReader.select().column("*").from("risk_changes")
            .where("at", .greaterThanOrEqual, SQLBind(span.lowerBound.millisecondsSince1970)).where("at", .lessThan, SQLBind(span.upperBound.millisecondsSince1970))
            .orderBy("at").orderBy("matter_kind").orderBy("matter_id").orderBy("sequence")
            .all(decoding: ChangeRow.self, with: .snake)
            .compactMap { row in
                let change = try row.change()
                return areas[change.matter].map { RiskReport.Change(change: change, areaID: $0) }
            }
    }

    public func issue(_ report: RiskReport, notices: [RiskWarning]) async throws -> Bool {
        try await database.transaction { db in
            let inserted = try await db.insert(into: "risk_reports")
                .columns("county_id", "week", "colour", "issued_at", "body")
                .values(
                    SQLBind(report.countyID), SQLBind(report.week.index), SQLBind(report.county.colour.rawValue),
                    SQLBind(report.issuedAt.millisecondsSince1970), SQLBind(Self.json(report)))
                .ignoringConflicts(with: ["county_id", "week"]).returning("week").first()
            guard inserted != nil else { return false }
            try await Self.insert(notices, on: db)
            return true
        }
    }

    public func report(countyID: Int64, week: RiskWeek) async throws -> RiskReport? {
        guard
            let body = try await database.reader.select().column("body").from("risk_reports").where("county_id", .equal, countyID)
                .where("week", .equal, week.index).first(decodingColumn: "body", as: String.self)
        else { return nil }
        do {
            return try Self.decoder.decode(RiskReport.self, from: Data(body.utf8))
        } catch {
            throw StoreError.corrupt("the risk report of county \(countyID), week \(week.isoText), is not a report: \(error)")
        }
    }

    public func reports(countyID: Int64) async throws -> [(week: RiskWeek, colour: RiskColour, issuedAt: Date)] {
        struct Row: Decodable {
            var week: Int
            var colour: String
            var issuedAt: Int64
        }
        return try await database.reader.select().columns("week", "colour", "issued_at").from("risk_reports").where("county_id", .equal, countyID)
            .orderBy("week", .descending).all(decoding: Row.self, with: .snake)
            .map { (RiskWeek(index: $0.week), try stored(RiskColour.self, $0.colour), Date(millisecondsSince1970: $0.issuedAt)) }
    }

    public func reportedCounties(week: RiskWeek) async throws -> Set<Int64> {
        Set(try await database.reader.select().column("county_id").from("risk_reports").where("week", .equal, week.index)
            .all(decodingColumn: "county_id", as: Int64.self))
    }

    /// Dates as the encoder of `json` wrote them.
    static let decoder = JSONDecoder()
}
