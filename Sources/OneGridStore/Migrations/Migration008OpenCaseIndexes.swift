import OneGridDomain
import SQLKit

/// The overdue lists a dispatcher opens most, city-wide and per county, read open cases by due
/// time instead of walking the whole table from the newest case back. Partial: closed cases,
/// most of the table, cost these indexes nothing. A town's or a smaller area's cases are few
/// enough for its own index (`cases_town_id_id` and below).
struct Migration008OpenCaseIndexes: Migration {
    let name = "008_open_case_indexes"

    /// The condition the indexes hold and the overdue list states, word for word: SQLite uses a
    /// partial index only for a query naming the same literal condition, never a bound parameter.
    static let isOpen = SQLQueryString(
        "status IN (" + CaseStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")")

    func prepare(on db: any SQLDatabase) async throws {
        try await db.raw("CREATE INDEX cases_open_by_due ON cases (due_at) WHERE \(Self.isOpen)").run()
        try await db.raw("CREATE INDEX cases_open_county_due ON cases (county_id, due_at) WHERE \(Self.isOpen)").run()
    }
}
