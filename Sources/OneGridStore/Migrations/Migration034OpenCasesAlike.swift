import SQLKit

/// The case page and the window's intake show the open cases alike the one at hand: the same
/// grid and category, reported within a week either side (`CaseReading.alike`). No index held
/// that shape: SQLite read the grid's every case (`cases_grid_id_id`) and dropped the closed and
/// the other categories, which at 10,000,000 demo cases (13,600 a grid, 97 % closed) made the
/// case page 70–270 ms for one viewer and over a second for eight. Only open cases are ever
/// candidates, so the index holds only them, named by `OpenCases.predicate` as the list states it.
struct Migration034OpenCasesAlike: Migration {
    let name = "034_open_cases_alike"

    /// In the proportions of migration 012's statistics: 32,000 open cases over 735 grids and
    /// 44 categories.
    static let statistics: [(index: String, stat: String)] = [
        ("cases_open_grid_category", "32000 44 2 1")
    ]

    func prepare(on db: any SQLDatabase) async throws {
        try await db.raw(
            "CREATE INDEX cases_open_grid_category ON cases (grid_id, category_id, created_at) WHERE \(OpenCases.predicate)"
        ).run()
        if db.dialect.name != "postgresql" { try await Migration012ListIndexes.describeCases(Self.statistics, on: db) }
    }
}
