import SQLKit

/// The dispatcher's lists read from indexes at any size:
/// - `cases_open_by_due` gains the id after the due time, so the most-urgent-first order
///   (due time, then id, its cursor the pair) and the worst-overdue list read it in order and stop
///   at a page; the grid stays last, so the overdue count per grid still reads the index alone.
///   `cases_open_county_due` likewise gains the id, for a county's list in that order.
/// - `case_search`, the text search's index (`CaseSearch`), filled from the cases already stored.
/// - On SQLite, the planner's statistics of `cases` (below).
struct Migration012ListIndexes: Migration {
    let name = "012_list_indexes"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.raw("DROP INDEX cases_open_by_due").run()
        try await db.raw("DROP INDEX cases_open_county_due").run()
        try await db.raw("CREATE INDEX cases_open_county_due ON cases (county_id, due_at, id) WHERE \(OpenCases.predicate)").run()
        // Created last: where two indexes cost the same (a small table), PostgreSQL takes the
        // newer, and the city-wide lists should read this one.
        try await db.raw("CREATE INDEX cases_open_by_due ON cases (due_at, id, grid_id) WHERE \(OpenCases.predicate)").run()
        let kind: OneGridDatabase.Kind = db.dialect.name == "postgresql" ? .postgres : .sqlite
        switch kind {
        case .sqlite:
            // Contentless: the pairs are only looked up, never read back, and cases' texts never change.
            try await db.raw("CREATE VIRTUAL TABLE case_search USING fts5(terms, content = '')").run()
        case .postgres:
            try await db.raw("CREATE TABLE case_search (case_id BIGINT PRIMARY KEY REFERENCES cases (id), terms TSVECTOR NOT NULL)").run()
            try await db.raw("CREATE INDEX case_search_terms ON case_search USING GIN (terms)").run()
        }
        struct Row: Decodable {
            var id: Int64
            var title: String
            var description: String
        }
        var after: Int64 = 0
        while true {
            let rows = try await db.select().columns("id", "title", "description").from("cases")
                .where("id", .greaterThan, after).orderBy("id").limit(1000)
                .all(decoding: Row.self)
            guard let last = rows.last?.id else { break }
            try await StatementGroup.run(on: db) { CaseSearch.index(rows.map { ($0.id, $0.title, $0.description) }, kind: kind, into: &$0) }
            after = last
        }
        if kind == .sqlite { try await Self.describeCases(Self.casesStatistics, on: db) }
    }

    /// SQLite chooses an index by its statistics (sqlite_stat1), which only ANALYZE writes.
    /// Without them it takes any equality, `status IN (…)` included, for more selective than a
    /// range: the overdue list and the urgent order read every open case by status and sort them,
    /// instead of reading the few past due, or the first page, from `cases_open_by_due`. ANALYZE
    /// now would describe a young table (and a later one reaches only the connection running it:
    /// the readers keep what they loaded); so the statistics written here describe `cases` as a
    /// county's database holds it, in the demo city's proportions at 1,000,000 cases — 3 % open,
    /// 12 statuses, 44 categories, 3 counties, 21 towns — and the plans are that size's from the
    /// first case. Written with this schema change, every connection loads them; an ANALYZE run
    /// later by an operator replaces them with measured ones.
    static let casesStatistics: [(index: String, stat: String)] = [
        ("cases_county_id_id", "1000000 333333 1"),
        ("cases_town_id_id", "1000000 47600 1"),
        ("cases_village_id_id", "1000000 6850 1"),
        ("cases_grid_id_id", "1000000 1400 1"),
        ("cases_department_id_id", "1000000 2150 1"),
        ("cases_status_id", "1000000 83333 1"),
        ("cases_category_id_id", "1000000 22727 1"),
        ("cases_open_due", "1000000 11"),
        ("cases_created_at", "1000000 1"),
        ("cases_open_by_due", "32000 5 1 1"),
        ("cases_open_county_due", "32000 10667 4 1"),
    ]

    /// Writes `cases`' index statistics in place of any they had.
    static func describeCases(_ statistics: [(index: String, stat: String)], on db: any SQLDatabase) async throws {
        try await describe("cases", statistics.map { (index: Optional($0.index), stat: $0.stat) }, on: db)
    }

    /// Writes `table`'s statistics in place of any it had; a nil index is the table's own row,
    /// whose stat is its number of rows.
    static func describe(_ table: String, _ statistics: [(index: String?, stat: String)], on db: any SQLDatabase) async throws {
        // Creates sqlite_stat1 when missing; analyzing the schema table alone is instant.
        try await db.raw("ANALYZE sqlite_schema").run()
        for row in statistics {
            try await db.raw("DELETE FROM sqlite_stat1 WHERE tbl = \(bind: table) AND idx IS \(bind: row.index)").run()
            try await db.raw("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (\(bind: table), \(bind: row.index), \(bind: row.stat))").run()
        }
        // Loads them into this connection too, which already holds the schema.
        try await db.raw("ANALYZE sqlite_schema").run()
        // Every other open connection (the readers open before migrating) keeps the statistics it
        // loaded with the schema until the schema changes: rows written here alone never reach it.
        try await db.raw("CREATE TABLE onegrid_statistics_written (id INTEGER)").run()
        try await db.raw("DROP TABLE onegrid_statistics_written").run()
    }
}
