import SQLKit

/// What the ledgers (`FigureLedger`, `DeadlineLedger`) share: totals kept by addition, each
/// transaction adding what it changed in the same transaction.
enum RunningTotals {
    /// PostgreSQL writers each add to one of this many copies of a row, picked per transaction,
    /// so concurrent steps in one city do not all queue on the city's row lock; readers sum them.
    static let shards = 8

    /// Adds `rows` (key values, then amounts) to `table`: one upsert per 500 rows, in the order
    /// given, which the caller sorts by key, so that two PostgreSQL transactions touching the
    /// same rows lock them in the same order and never deadlock.
    static func add(
        _ rows: [(key: [any SQLExpression], amounts: [any SQLExpression])], into table: String, keys: [String], amounts: [String],
        to group: inout StatementGroup
    ) {
        guard !rows.isEmpty else { return }
        let db = group.database
        let shard = db.dialect.name == "postgresql" ? Int.random(in: 0..<shards) : 0
        for chunk in rows.chunked(into: 500) {
            let insert = db.insert(into: table).columns(keys + ["shard"] + amounts)
            for row in chunk {
                insert.values(row.key + [SQLBind(shard)] + row.amounts)
            }
            group.append(
                insert.onConflict(with: keys + ["shard"]) { conflict in
                    amounts.reduce(conflict) { conflict, amount in
                        conflict.set(SQLIdentifier(amount), to: SQLQueryString("\(ident: table).\(ident: amount) + excluded.\(ident: amount)"))
                    }
                })
        }
    }
}
