import SQLKit

/// The sweeper pages through due clocks by (next_alert_at, id), so a page starts where the last
/// ended even when thousands of clocks share one alert time; 004's index on next_alert_at alone
/// made each page rescan the ones before it on PostgreSQL.
struct Migration005SweepCursor: Migration {
    let name = "005_sweep_cursor"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.drop(index: "cases_next_alert").run()
        try await db.create(index: "cases_next_alert_id").on("cases").column("next_alert_at").column("id").run()
    }
}
