import SQLKit

/// The risk watch reads every open dispute and petition each round, joined to its case
/// (`SQLRiskStore.matterFacts`). SQLite, told nothing of `disputes` and `petitions`, takes each
/// for as large as `cases` and answers the join from the cases' side: it walked every open case
/// by `cases_status_id` and held a set of their row ids: at 822,000 open cases 0.6 s and 26 MB
/// in the sqlite3 shell, up to 20 s beside a soak's intake, every half minute. Their sizes,
/// written here in the demo city's proportions at migration 012's 1,000,000 cases (1.2 % of
/// cases each), make it read the matters and look their cases up by key: 0.01 s and 6 MB there.
struct Migration039MattersBesideCases: Migration {
    let name = "039_matters_beside_cases"

    static let statistics: [(table: String, stat: String)] = [
        ("disputes", "12000"),
        ("petitions", "12000"),
    ]

    func prepare(on db: any SQLDatabase) async throws {
        guard db.dialect.name != "postgresql" else { return }
        for row in Self.statistics {
            try await Migration012ListIndexes.describe(row.table, [(index: nil, stat: row.stat)], on: db)
        }
    }
}
