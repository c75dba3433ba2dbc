import SQLKit

/// Open311 lists a jurisdiction's requests latest reported first within a report-time window
/// (by default the last 90 days), filtered by service and by open or closed. Ordered by id, the
/// window (an eighth of a city's cases) was read from the report-time index and sorted: seconds at
/// 1,000,000 cases. These indexes give that order directly, so a page reads a page of rows:
/// - `cases_created_at_id` replaces `cases_created_at`: the id after the time orders ties on
///   PostgreSQL (SQLite's index already ends in the rowid, which is the id).
/// - `cases_category_created`: one service's window, in order.
/// - `cases_open_created`: the open cases' window, in order; named by `OpenCases.predicate`, which
///   the list states for status=open. Closed cases are most of every window: the time index alone
///   finds a page of them at once.
struct Migration031ReportTimeIndexes: Migration {
    let name = "031_report_time_indexes"

    /// In the proportions of migration 012's statistics (1,000,000 cases, 32,000 open, 44 categories).
    static let statistics: [(index: String, stat: String)] = [
        ("cases_created_at_id", "1000000 1 1"),
        ("cases_category_created", "1000000 22727 1 1"),
        ("cases_open_created", "32000 1 1"),
    ]

    func prepare(on db: any SQLDatabase) async throws {
        try await db.raw("DROP INDEX cases_created_at").run()
        try await db.create(index: "cases_created_at_id").on("cases").column("created_at").column("id").run()
        try await db.create(index: "cases_category_created").on("cases").column("category_id").column("created_at").column("id").run()
        try await db.raw("CREATE INDEX cases_open_created ON cases (created_at, id) WHERE \(OpenCases.predicate)").run()
        // Without statistics SQLite takes an equality on a new index for ten rows and would read a
        // category's list from cases_category_created and sort it, not from cases_category_id_id.
        if db.dialect.name != "postgresql" { try await Migration012ListIndexes.describeCases(Self.statistics, on: db) }
    }
}
