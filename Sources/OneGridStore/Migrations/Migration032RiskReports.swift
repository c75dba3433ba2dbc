import SQLKit

/// The weekly stability reports (四情三色周报): one per county and week, issued when the week
/// closes and kept as issued (`body` is the report's JSON), so a report read last month reads the
/// same today. Changes of colour are read by their time to compile a week's report.
struct Migration032RiskReports: Migration {
    let name = "032_risk_reports"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "risk_reports")
            .column("county_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("week", type: .int, .notNull)
            .column("colour", type: .text, .notNull)
            .column("issued_at", type: .bigint, .notNull)
            .column("body", type: .text, .notNull)
            .primaryKey("county_id", "week")
            .run()
        try await db.create(index: "risk_changes_at").on("risk_changes").column("at").run()
    }
}
