import SQLKit

/// A county's overdue list reads its open cases by due time instead of walking the whole table
/// from the newest case back; the city-wide list uses `cases_open_by_due` (migration 008).
/// Partial: closed cases, most of the table, cost it nothing. A town's or a smaller area's cases
/// are few enough for its own index (`cases_town_id_id` and below).
struct Migration009OpenCasesByCounty: Migration {
    let name = "009_open_cases_by_county"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.raw("CREATE INDEX cases_open_county_due ON cases (county_id, due_at) WHERE \(OpenCases.predicate)").run()
    }
}
