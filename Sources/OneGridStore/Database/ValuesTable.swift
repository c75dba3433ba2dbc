import SQLKit

/// A statement over a batch of rows given as a table: `WITH name(columns) AS (VALUES …) <body>`.
/// Both databases read it, so one statement updates or fans out a whole batch instead of one
/// statement per row. The first row's values are cast, which is how PostgreSQL learns the
/// columns' types; the body is SQL naming the table, with binds of its own after the rows'.
struct ValuesTable: SQLExpression {
    struct Column {
        var name: String
        /// A type both databases know: BIGINT, INTEGER or TEXT.
        var type: String
    }

    var name: String
    var columns: [Column]
    var rows: [[any Encodable & Sendable]]
    var body: SQLQueryString

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("WITH \(name)(\(columns.map(\.name).joined(separator: ", "))) AS (VALUES ")
        for (index, row) in rows.enumerated() {
            serializer.write(index == 0 ? "(" : ", (")
            for (position, value) in row.enumerated() {
                if position > 0 { serializer.write(", ") }
                if index == 0 {
                    serializer.write("CAST(")
                    bindOrNull(value).serialize(to: &serializer)
                    serializer.write(" AS \(columns[position].type))")
                } else {
                    bindOrNull(value).serialize(to: &serializer)
                }
            }
            serializer.write(")")
        }
        serializer.write(") ")
        body.serialize(to: &serializer)
    }
}
