import SQLKit

public struct SQLCaseStore: CaseStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// Inserts sealed events, many rows per statement: intake, steps and sweeps all write them.
    func insert(_ events: [EventRow], on db: any SQLDatabase) async throws {
        for chunk in events.chunked(into: 500) {
            try await db.insert(into: "case_events").columns(EventRow.columns).rows(chunk.map(\.values)).run()
        }
    }
}
