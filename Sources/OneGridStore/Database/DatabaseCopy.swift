import Foundation
public import Logging
import NIOCore
import NIOPosix
@preconcurrency import PostgresKit
import SQLKit
import SQLiteKit

/// Moves a city from its SQLite file to PostgreSQL: every row of every table, ids, hash chains
/// and figures as they are, in one PostgreSQL transaction, so a county that outgrows one machine
/// keeps its whole record. Rows travel by COPY, PostgreSQL's bulk path, a batch of the file at a
/// time, so memory stays flat at any size; the text search index, which each database keeps its
/// own way, is built afresh from the cases. The target's secondary indexes and references are
/// dropped for the copy and made again after it, in the same transaction: each index is then one
/// sort instead of a descent per row, and each reference one join instead of a check per row
/// queued until the table's COPY ends.
public enum DatabaseCopy {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Rows read from the file per batch, at most.
    static let batchSize = 10_000
    /// About this many bytes of COPY text per batch: a table of wide rows (audit checkpoints of
    /// a megabyte each) is read fewer rows at a time, and no message nears PostgreSQL's 1 GB
    /// limit, which a 10,000-case city's checkpoints exceeded at once.
    static let batchBytes = 16 << 20
    /// Kept by each database its own way, or by each migration run: never copied.
    static let skipped: Set<String> = ["onegrid_migrations", "case_search", "sqlite_stat1"]

    /// Copies `source` (SQLite) into `target` (PostgreSQL). Both must be migrated to the same
    /// version; the target must hold no city yet. `progress` hears each table with its rows.
    public static func copy(
        from source: OneGridDatabase, to target: OneGridDatabase, logger: Logger,
        progress: @Sendable (_ table: String, _ rows: Int) -> Void = { _, _ in }
    ) async throws {
        guard let path = source.sqlitePath, target.kind == .postgres, let configuration = target.postgresConfiguration else {
            throw Refusal(description: "copy reads an SQLite file and writes a PostgreSQL database")
        }
        let held = try await target.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("areas")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        guard held == 0 else { throw Refusal(description: "the PostgreSQL database already holds a city (\(held) areas); copy into an empty one") }
        let schema = try await orderedTables(of: target)
        let tables = schema.tables
        var indexes: [OneGridDatabase.SecondaryIndex] = []
        for table in tables.map(\.name) + ["case_search"] { indexes += try await target.secondaryIndexes(of: table) }
        // The file is read on a connection and thread of its own, row values as SQLite holds
        // them: SQLKit's decoding per value was most of the copy's time.
        try await SQLiteFile.withConnection(path: path, logger: logger) { file in
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration.coreConfiguration, id: 1, logger: logger)
            do {
                try await connection.query("BEGIN", logger: logger)
                // Whatever the target's own migrations wrote (settings, versions) gives way to the file's.
                let all = (tables.map(\.name) + ["case_search"]).map { "\"\($0)\"" }.joined(separator: ", ")
                try await connection.query(PostgresQuery(unsafeSQL: "TRUNCATE \(all)"), logger: logger)
                // Each index is built by one sort in memory rather than runs on disk.
                try await connection.query("SET LOCAL maintenance_work_mem = '512MB'", logger: logger)
                for reference in schema.references {
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "ALTER TABLE \"\(reference.child)\" DROP CONSTRAINT \"\(reference.name)\""), logger: logger)
                }
                for index in indexes {
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP INDEX \"\(index.name)\""), logger: logger)
                }
                for table in tables {
                    let rows = try await copy(table, from: file, over: connection, logger: logger)
                    progress(table.name, rows)
                }
                progress("case_search", try await indexSearch(from: file, over: connection, logger: logger))
                // In the order they were first built: the planner breaks ties by the older index.
                for index in indexes {
                    try await connection.query(PostgresQuery(unsafeSQL: index.sql), logger: logger)
                }
                for reference in schema.references {
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: "ALTER TABLE \"\(reference.child)\" ADD CONSTRAINT \"\(reference.name)\" \(reference.definition)"),
                        logger: logger)
                }
                for table in tables where table.hasIdentity {
                    // Explicit ids leave PostgreSQL's identity behind; the next row must not reuse one.
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: "SELECT setval(pg_get_serial_sequence('\"\(table.name)\"', 'id'), "
                                + "GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM \"\(table.name)\""),
                        logger: logger)
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                try? await connection.close()
                // PostgresNIO's description hides the server's words; the operator needs them.
                if let error = error as? PSQLError { throw Refusal(description: "PostgreSQL stopped the copy: \(String(reflecting: error))") }
                throw error
            }
            try? await connection.close()
        }
        try await target.analyze()
    }

    /// How a column's values are read from the file: as PostgreSQL will take them.
    enum Kind { case integer, real, text }

    struct Table {
        var name: String
        var columns: [String]
        var kinds: [Kind]
        /// The column of a reference to the table itself (an area's parent): parents go first.
        var parentColumn: String?
        var hasIdentity: Bool
    }

    /// A reference (foreign key) of the target, as its catalogue states it.
    struct Reference: Decodable {
        var child: String
        var parent: String
        var column: String
        var name: String
        var definition: String
    }

    /// The target's tables, each after every table it refers to, so that a table's rows follow
    /// the rows they refer to; and its references, in the order they were made.
    static func orderedTables(of target: OneGridDatabase) async throws -> (tables: [Table], references: [Reference]) {
        struct Column: Decodable {
            var tableName: String
            var columnName: String
            var dataType: String
            var isIdentity: String
        }
        let columns = try await target.reader.raw(
            """
            SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
            WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """
        ).all(decoding: Column.self, with: .snake)
        let references = try await target.reader.raw(
            """
            SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname AS column,
            c.conname AS name, pg_get_constraintdef(c.oid) AS definition
            FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace ORDER BY c.oid
            """
        ).all(decoding: Reference.self)
        var tables: [String: Table] = [:]
        for column in columns where !skipped.contains(column.tableName) {
            let kind: Kind
            switch column.dataType {
            case "bigint", "integer", "smallint": kind = .integer
            case "double precision", "real", "numeric": kind = .real
            case "text", "character varying": kind = .text
            default: throw Refusal(description: "column \(column.tableName).\(column.columnName) is \(column.dataType), which copy does not carry")
            }
            tables[column.tableName, default: Table(name: column.tableName, columns: [], kinds: [], hasIdentity: false)].columns.append(column.columnName)
            tables[column.tableName]?.kinds.append(kind)
            if column.isIdentity == "YES", column.columnName == "id" { tables[column.tableName]?.hasIdentity = true }
        }
        var parents: [String: Set<String>] = [:]
        for reference in references where tables[reference.child] != nil {
            if reference.child == reference.parent {
                tables[reference.child]?.parentColumn = reference.column
            } else if tables[reference.parent] != nil {
                parents[reference.child, default: []].insert(reference.parent)
            }
        }
        var ordered: [Table] = []
        var placed: Set<String> = []
        while placed.count < tables.count {
            let ready = tables.keys.filter { !placed.contains($0) && (parents[$0] ?? []).isSubset(of: placed) }.sorted()
            guard !ready.isEmpty else { throw Refusal(description: "the tables refer to each other in a circle") }
            for name in ready {
                ordered.append(tables[name]!)
                placed.insert(name)
            }
        }
        return (ordered, references)
    }

    /// One table through COPY, read from the file a batch at a time in rowid order; a table
    /// that refers to itself (areas, categories: small) is read whole and sent parents first.
    private static func copy(
        _ table: Table, from file: SQLiteConnection, over connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        let list = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        var copied = 0
        try await connection.copyFrom(table: table.name, columns: table.columns, logger: logger) { writer in
            if let parentColumn = table.parentColumn {
                let rows = try await file.query("SELECT \(list) FROM \"\(table.name)\" ORDER BY id")
                var buffer = ByteBuffer()
                for row in try parentsFirst(rows, parentColumn: parentColumn) { try line(row, table, into: &buffer) }
                try await writer.write(buffer)
                copied = rows.count
                return
            }
            var after = Int64.min
            // The first batch is small: it measures how wide the table's rows are.
            var limit = 100
            while true {
                let rows = try await file.query(
                    "SELECT rowid AS onegrid_rowid, \(list) FROM \"\(table.name)\" WHERE rowid > ? ORDER BY rowid LIMIT \(limit)",
                    [.integer(Int(after))])
                guard let last = rows.last else { break }
                var buffer = ByteBuffer()
                for row in rows { try line(row, table, into: &buffer) }
                try await writer.write(buffer)
                copied += rows.count
                limit = max(1, min(batchSize, batchBytes / max(1, buffer.writerIndex / rows.count)))
                guard case .integer(let rowid) = last.column("onegrid_rowid") else { throw Refusal(description: "\(table.name) has no rowid") }
                after = Int64(rowid)
            }
        }
        return copied
    }

    private static func parentsFirst(_ rows: [SQLiteRow], parentColumn: String) throws -> [SQLiteRow] {
        var byID: [Int: SQLiteRow] = [:]
        for row in rows {
            guard case .integer(let id) = row.column("id") else { throw Refusal(description: "a row without an id") }
            byID[id] = row
        }
        var placed: Set<Int> = []
        var ordered: [SQLiteRow] = []
        func place(_ id: Int, depth: Int) throws {
            guard !placed.contains(id), let row = byID[id] else { return }
            guard depth < rows.count else { throw Refusal(description: "a row is its own ancestor (\(parentColumn) of \(id))") }
            if case .integer(let parent) = row.column(parentColumn) { try place(parent, depth: depth + 1) }
            placed.insert(id)
            ordered.append(row)
        }
        for id in byID.keys.sorted() { try place(id, depth: 0) }
        return ordered
    }

    /// A row in COPY's text format: tab between values, `\N` for none, backslash escapes; each
    /// value as PostgreSQL's column takes it (SQLite may hold an integer in a real column).
    static func line(_ row: SQLiteRow, _ table: Table, into buffer: inout ByteBuffer) throws {
        for (index, column) in table.columns.enumerated() {
            if index > 0 { buffer.writeStaticString("\t") }
            switch (row.column(column) ?? .null, table.kinds[index]) {
            case (.null, _): buffer.writeStaticString("\\N")
            case (.integer(let value), .real): buffer.writeString(String(Double(value)))
            case (.integer(let value), _): buffer.writeString(String(value))
            case (.float(let value), .integer) where value.rounded() == value: buffer.writeString(String(Int64(value)))
            case (.float(let value), _): buffer.writeString(String(value))
            case (.text(let value), _): buffer.writeString(escaped(value))
            case (.blob, _): throw Refusal(description: "\(table.name).\(column) holds bytes, which no OneGrid table stores")
            }
        }
        buffer.writeStaticString("\n")
    }

    static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// PostgreSQL's text search rows for every case: each case's pairs (`CaseSearch`), read from
    /// the file a batch at a time, go by COPY to a table of this transaction, and PostgreSQL makes
    /// their vectors in one statement.
    private static func indexSearch(from file: SQLiteConnection, over connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.query(
            "CREATE TEMPORARY TABLE onegrid_case_pairs (case_id BIGINT NOT NULL, pairs TEXT NOT NULL) ON COMMIT DROP", logger: logger)
        var indexed = 0
        try await connection.copyFrom(table: "onegrid_case_pairs", columns: ["case_id", "pairs"], logger: logger) { writer in
            var after = 0
            while true {
                let rows = try await file.query(
                    "SELECT id, title, description FROM cases WHERE id > ? ORDER BY id LIMIT \(batchSize)", [.integer(after)])
                guard !rows.isEmpty else { break }
                var buffer = ByteBuffer()
                for row in rows {
                    guard case .integer(let id) = row.column("id") else { throw Refusal(description: "a case without an id") }
                    let title = row.column("title")?.string ?? ""
                    let description = row.column("description")?.string ?? ""
                    buffer.writeString("\(id)\t\(escaped(CaseSearch.pairs(title + "\n" + description).joined(separator: " ")))\n")
                    after = id
                }
                try await writer.write(buffer)
                indexed += rows.count
            }
        }
        try await connection.query(
            "INSERT INTO case_search (case_id, terms) SELECT case_id, to_tsvector('simple', pairs) FROM onegrid_case_pairs", logger: logger)
        return indexed
    }
}
