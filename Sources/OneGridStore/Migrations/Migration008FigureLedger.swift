import OneGridDomain
import SQLKit

/// The figures' running totals per area and month (`FigureLedger`), filled from the timelines
/// already stored; and an index of the open cases by due time, so the overdue figures and the
/// worst-overdue list read only the open cases past due, never the whole table.
struct Migration008FigureLedger: Migration {
    let name = "008_figure_ledger"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "figure_ledger")
            .column("area_id", type: .bigint, .notNull)
            .column("month", type: .int, .notNull)
            .column("count", type: .text, .notNull)
            .column("dimension", type: .text, .notNull)
            .column("shard", type: .int, .notNull)
            .column("value", type: .bigint, .notNull)
            // An area's months are one range of the key: every figure read is a range scan.
            .primaryKey("area_id", "month", "count", "dimension", "shard")
            .run()
        try await db.raw("CREATE INDEX cases_open_by_due ON cases (due_at, grid_id) WHERE \(OpenCases.predicate)").run()
        try await Self.backfill(on: db)
    }

    /// Adds up every stored timeline, a page of cases at a time.
    static func backfill(on db: any SQLDatabase) async throws {
        var ledger = FigureLedger()
        var after: Int64 = 0
        while true {
            let rows = try await db.select().columns("*").from("cases").where("id", .greaterThan, after).orderBy("id").limit(1000)
                .all().map { try CaseRow(row: $0) }
            guard let last = rows.last?.id else { break }
            let events = try await db.select().columns("*").from("case_events")
                .where("case_id", .greaterThan, after).where("case_id", .lessThanOrEqual, last)
                .orderBy("case_id").orderBy("sequence").all(decoding: EventRow.self, with: .spelledOut)
            let byCase = Dictionary(grouping: events, by: \.caseId)
            for row in rows {
                let record = try row.record(assists: [])
                let timeline = try (byCase[record.id] ?? []).map { try $0.stored().event }
                ledger.add(timeline: timeline, final: record.file, subject: record.figureSubject)
            }
            after = last
        }
        try await StatementGroup.run(on: db) { ledger.write(into: &$0) }
    }
}
