import SQLKit

/// The sweeper's schedule moves out of `cases` into a narrow table of its own. Every urge
/// changes when the case is next looked at; while that column was indexed on `cases`,
/// PostgreSQL could not update the row in place (a HOT update) and wrote an entry into each of
/// the table's eleven indexes per urge, most of a sweep's time. Now `cases` changes only
/// unindexed columns on an urge, and its pages keep room for the new row version.
/// The schedule is paged by (next_alert_at, case_id), so a page starts where the last ended even
/// when thousands of clocks share one alert time.
struct Migration005AlertSchedule: Migration {
    let name = "005_alert_schedule"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "case_alerts")
            .column("case_id", type: .bigint, .primaryKey(autoIncrement: false), .references("cases", "id"))
            .column("next_alert_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "case_alerts_due").on("case_alerts").column("next_alert_at").column("case_id").run()
        try await db.raw(
            "INSERT INTO case_alerts (case_id, next_alert_at) SELECT id, next_alert_at FROM cases WHERE next_alert_at IS NOT NULL"
        ).run()
        try await db.drop(index: "cases_next_alert").run()
        if db.dialect.name == "postgresql" {
            // Room on each page for an updated row's new version, which is what lets an update stay
            // on its page without touching the indexes. Applies to pages written from now on.
            try await db.raw("ALTER TABLE cases SET (fillfactor = 85)").run()
        }
    }
}
