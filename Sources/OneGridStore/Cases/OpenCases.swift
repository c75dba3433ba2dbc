import OneGridDomain
import SQLKit

/// The condition "the case is still open", written out word for word. The partial indexes on open
/// cases are built on it and the queries that should use them state it the same way: SQLite uses
/// a partial index only for a query naming the same literal condition, never a bound parameter.
/// The statuses are the domain's own names, never input, so writing them into the SQL is safe.
enum OpenCases {
    static let predicate = SQLQueryString(
        "status IN (" + CaseStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")")
}
