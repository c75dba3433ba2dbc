import SQLKit

/// Writes of one transaction that need no answer and do not touch each other's rows (a case
/// batch's rows, its events, its search terms, its running totals, its alerts), sent to
/// PostgreSQL as one statement, each a data-modifying part of a `WITH`, and to SQLite one after
/// another. Each statement sent alone is a round trip the writer waits for: under the mixed
/// load a PostgreSQL intake batch spent about 0.9 ms between one statement's end and the next
/// one's start, for nine statements, more than PostgreSQL took to run them.
///
/// The parts of a `WITH` run on one snapshot: none sees what another wrote, and no two may
/// change the same row. The foreign keys are checked when the whole statement ends, so a part
/// may refer to a row another part inserts.
struct StatementGroup {
    /// Where the statements are built and run: the transaction's connection.
    let database: any SQLDatabase
    private var statements: [any SQLExpression] = []

    init(on database: any SQLDatabase) {
        self.database = database
    }

    /// Fills a group with `fill` and runs it: for writers whose statements are all one helper's.
    static func run(on database: any SQLDatabase, _ fill: (inout StatementGroup) -> Void) async throws {
        var group = StatementGroup(on: database)
        fill(&group)
        try await group.run()
    }

    mutating func append(_ builder: any SQLQueryBuilder) {
        statements.append(builder.query)
    }

    func run() async throws {
        let db = database
        guard db.dialect.name == "postgresql", statements.count > 1 else {
            for statement in statements { try await db.execute(sql: statement) { _ in } }
            return
        }
        // Serialized once as a whole, the common case: counting each part's bound values first
        // serialized every statement of every intake batch twice.
        var serializer = SQLSerializer(database: db)
        Self.combined(statements).serialize(to: &serializer)
        if serializer.binds.count <= Self.bindLimit {
            try await db.execute(sql: Serialized(sql: serializer.sql, binds: serializer.binds)) { _ in }
            return
        }
        for part in parts(for: db) {
            try await db.execute(sql: part.count == 1 ? part[0] : Self.combined(part)) { _ in }
        }
    }

    /// A whole statement already serialized: its placeholders count from the first, so it is only
    /// ever a statement of its own.
    private struct Serialized: SQLExpression {
        let sql: String
        let binds: [any Encodable & Sendable]

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write(sql)
            serializer.binds += binds
        }
    }

    /// PostgreSQL takes at most 65,535 bound values in a statement: the group is cut into
    /// statements under that, each part counted once.
    private func parts(for db: any SQLDatabase) -> [[any SQLExpression]] {
        var parts: [[any SQLExpression]] = []
        var current: [any SQLExpression] = []
        var bound = 0
        for statement in statements {
            var serializer = SQLSerializer(database: db)
            statement.serialize(to: &serializer)
            let binds = serializer.binds.count
            if !current.isEmpty && bound + binds > Self.bindLimit {
                parts.append(current)
                current = []
                bound = 0
            }
            current.append(statement)
            bound += binds
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    private static let bindLimit = 65_535

    private static func combined(_ statements: [any SQLExpression]) -> any SQLExpression {
        let parts = statements.enumerated().map { index, statement -> any SQLExpression in
            SQLQueryString("\(ident: "w\(index)") AS (\(statement))")
        }
        return SQLQueryString("WITH \(SQLList(parts)) SELECT 1")
    }
}
