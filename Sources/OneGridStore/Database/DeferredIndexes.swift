import SQLKit

extension OneGridDatabase {
    /// An index as its table's schema holds it: its name and the statement that builds it.
    struct SecondaryIndex: Decodable, Sendable {
        var name: String
        var sql: String
    }

    /// Runs `body` with the secondary indexes of `table` dropped, then builds each again from the
    /// statement that built it, also when `body` failed: for a bulk write (the demo's history),
    /// where keeping a dozen indexes in step row by row costs more than building each once, in
    /// order, at the end. Indexes behind a constraint (a primary key, UNIQUE) stay, so the rows
    /// are still checked as they come. SQLite's planner statistics of the indexes (which dropping
    /// an index deletes) are written back as they were.
    public func deferringIndexes<T: Sendable>(of table: String, _ body: () async throws -> T) async throws -> T {
        let indexes = try await secondaryIndexes(of: table)
        let statistics = try await plannerStatistics(of: table)
        try await transaction(statementLimit: nil) { db in
            for index in indexes { try await db.raw("DROP INDEX \(ident: index.name)").run() }
        }
        let value: T
        do {
            value = try await body()
        } catch {
            try? await build(indexes, of: table, statistics: statistics)
            throw error
        }
        try await build(indexes, of: table, statistics: statistics)
        return value
    }

    /// One transaction per index: the log of a single one would hold every index at once.
    private func build(_ indexes: [SecondaryIndex], of table: String, statistics: [(index: String?, stat: String)]) async throws {
        for index in indexes {
            try await transaction(statementLimit: nil) { db in try await db.raw(SQLQueryString(index.sql)).run() }
        }
        guard !statistics.isEmpty else { return }
        try await transaction(statementLimit: nil) { db in try await Migration012ListIndexes.describe(table, statistics, on: db) }
    }

    /// SQLite's sqlite_stat1 rows of `table`, if it has any.
    private func plannerStatistics(of table: String) async throws -> [(index: String?, stat: String)] {
        struct Row: Decodable {
            var idx: String?
            var stat: String
        }
        guard kind == .sqlite,
            try await reader.raw("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").first() != nil
        else { return [] }
        return try await reader.raw("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = \(bind: table)").all(decoding: Row.self)
            .map { (index: $0.idx, stat: $0.stat) }
    }

    func secondaryIndexes(of table: String) async throws -> [SecondaryIndex] {
        // In the order they were built, and so built again: where two indexes serve a query
        // equally (PostgreSQL, a table still nearly empty), the planner takes the older one.
        let query: SQLQueryString =
            switch kind {
            case .sqlite:
                // An index SQLite made for a constraint has no statement.
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) AND sql IS NOT NULL ORDER BY rowid"
            case .postgres:
                """
                SELECT i.relname AS name, pg_get_indexdef(i.oid) AS sql FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relname = \(bind: table) AND t.relnamespace = current_schema()::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.oid
                """
            }
        return try await reader.raw(query).all(decoding: SecondaryIndex.self)
    }
}
