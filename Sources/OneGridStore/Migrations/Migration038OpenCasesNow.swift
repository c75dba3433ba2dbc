import OneGridDomain
import SQLKit

/// The open count kept a second time over all time (`FigureLedger.allTime`), added up from its
/// months, so the cases open now are read from one row per area and shard. Rows already kept
/// under that key (written by the ledger's backfill in an earlier migration of the same run)
/// are counted again, not added to.
///
/// And `figure_ledger_by_count` (migration 014) no longer holds the value: every running total
/// a write changed then changed an index entry too, so PostgreSQL could not update the row in
/// place (a HOT update) and both indexes gained an entry per change. The rows every report
/// changes, the city's and its county's, gathered thousands of dead entries between vacuums,
/// and reading the open cases of the city's 739 areas from their 2,871 rows took 20 ms.
struct Migration038OpenCasesNow: Migration {
    let name = "038_open_cases_now"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.delete(from: "figure_ledger").where("month", .equal, FigureLedger.allTime).run()
        try await db.raw(
            """
            INSERT INTO figure_ledger (area_id, month, count, dimension, shard, value)
            SELECT area_id, \(bind: FigureLedger.allTime), count, dimension, 0, CAST(SUM(value) AS BIGINT) FROM figure_ledger
            WHERE count = \(bind: FigureCount.open.rawValue) GROUP BY area_id, count, dimension
            """
        ).run()
        try await db.drop(index: "figure_ledger_by_count").run()
        try await db.create(index: "figure_ledger_by_count").on("figure_ledger").column("count").column("area_id").column("month").run()
    }
}
