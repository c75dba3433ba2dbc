import SQLKit

/// A town's dispatcher opens the town's queue most urgent first, and its overdue, all day. Only
/// the county had an index of its open cases by due time (migration 009): a town's list read
/// the city's (`cases_open_by_due`) and passed every other town's, or, on PostgreSQL after a busy
/// hotline's 25,000 reports had outrun its statistics, read every reported case by status and
/// sorted them (14 ms at 100,000 demo cases, and growing with the intake).
struct Migration035OpenCasesByTown: Migration {
    let name = "035_open_cases_by_town"

    /// In the proportions of migration 012's statistics: 32,000 open cases over 21 towns.
    static let statistics: [(index: String, stat: String)] = [
        ("cases_open_town_due", "32000 1524 4 1")
    ]

    func prepare(on db: any SQLDatabase) async throws {
        try await db.raw("CREATE INDEX cases_open_town_due ON cases (town_id, due_at, id) WHERE \(OpenCases.predicate)").run()
        if db.dialect.name != "postgresql" { try await Migration012ListIndexes.describeCases(Self.statistics, on: db) }
    }
}
