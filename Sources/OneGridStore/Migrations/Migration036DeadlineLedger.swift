import SQLKit

/// The deadline figures' running totals (`DeadlineLedger`), filled from the cases already stored.
/// The figures counted every case of the scope on each read: at 4,000,000 cases a city's ran
/// past the read time limit.
struct Migration036DeadlineLedger: Migration {
    let name = "036_deadline_ledger"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "deadline_ledger")
            .column("area_id", type: .bigint, .notNull)
            .column("day", type: .int, .notNull)
            .column("department_id", type: .bigint, .notNull)
            .column("shard", type: .int, .notNull)
            .column("received", type: .bigint, .notNull)
            .column("closed", type: .bigint, .notNull)
            .column("closed_on_time", type: .bigint, .notNull)
            .column("handled", type: .bigint, .notNull)
            .column("handling_millis", type: .bigint, .notNull)
            // An area's days are one range of the key: a period's figures are a range scan.
            .primaryKey("area_id", "day", "department_id", "shard")
            .run()
        // A page of cases at a time, written every 100,000 cases so that a large city's
        // totals never all sit in memory.
        var ledger = DeadlineLedger()
        var after: Int64 = 0
        var pending = 0
        while true {
            let rows = try await db.select().columns("*").from("cases").where("id", .greaterThan, after).orderBy("id").limit(2000)
                .all().map { try CaseRow(row: $0) }
            guard let last = rows.last?.id else { break }
            for row in rows { ledger.add(row) }
            pending += rows.count
            if pending >= 100_000 {
                try await StatementGroup.run(on: db) { ledger.write(into: &$0) }
                (ledger, pending) = (DeadlineLedger(), 0)
            }
            after = last
        }
        try await StatementGroup.run(on: db) { ledger.write(into: &$0) }
    }
}
