import SQLKit

public struct SQLCaseStore: CaseStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// Inserts sealed events, many rows per statement: intake, steps and sweeps all write them.
    static func insert(_ events: [EventRow], into group: inout StatementGroup) {
        for chunk in events.chunked(into: 500) {
            group.append(group.database.insert(into: "case_events").columns(EventRow.columns).rows(chunk.map(\.values)))
        }
    }
}
