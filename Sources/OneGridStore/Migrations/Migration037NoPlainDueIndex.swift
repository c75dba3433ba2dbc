import SQLKit

/// Drops `cases_open_due`, an index on every case's due time (migration 003, named for the open
/// cases it never held). Every query on due times asks for open cases, which the partial indexes
/// by due time serve (`cases_open_by_due`, by county, by town). PostgreSQL's planner judged the
/// open cases past due as numerous as all cases past due and chose this index: it read 98,000
/// closed cases' entries to find 194 overdue ones, 67 ms for the command room's overdue per grid
/// and the town's overdue list instead of 0.2 ms, and more as the city grew. One index less for
/// every intake to write, too.
struct Migration037NoPlainDueIndex: Migration {
    let name = "037_no_plain_due_index"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.raw("DROP INDEX cases_open_due").run()
    }
}
