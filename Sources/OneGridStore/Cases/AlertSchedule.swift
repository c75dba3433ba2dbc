import SQLKit

/// When the sweeper next looks at each case (`case_alerts`, see migration 005): written in the
/// same transaction as the case row's own `next_alert_at`, which it mirrors, for cases whose
/// clocks can still alert; a case with nothing left to alert has no entry.
enum AlertSchedule {
    /// Entries for cases just written.
    static func insert(_ entries: [(caseID: Int64, at: Int64?)], into group: inout StatementGroup) {
        let rows = entries.compactMap { entry in entry.at.map { [SQLBind(entry.caseID), SQLBind($0)] as [any SQLExpression] } }
        for chunk in rows.chunked(into: 1000) {
            group.append(group.database.insert(into: "case_alerts").columns("case_id", "next_alert_at").rows(Array(chunk)))
        }
    }

    /// Entries for cases changed: set where a next look is due, removed where none is.
    static func update(_ entries: [(caseID: Int64, at: Int64?)], on db: any SQLDatabase) async throws {
        let removed = entries.filter { $0.at == nil }.map(\.caseID)
        for chunk in removed.chunked(into: 1000) {
            try await db.delete(from: "case_alerts").where("case_id", .in, Array(chunk)).run()
        }
        let columns = [("case_id", "BIGINT"), ("next_alert_at", "BIGINT")].map { ValuesTable.Column(name: $0.0, type: $0.1) }
        let set = entries.compactMap { entry in entry.at.map { [entry.caseID, $0] as [any Encodable & Sendable] } }
        for chunk in set.chunked(into: 500) {
            try await db.execute(
                sql: ValuesTable(
                    name: "s", columns: columns, rows: Array(chunk),
                    // WHERE true: SQLite reads an ON CONFLICT after a bare FROM as a join's.
                    body: "INSERT INTO case_alerts (case_id, next_alert_at) SELECT case_id, next_alert_at FROM s WHERE true "
                        + "ON CONFLICT (case_id) DO UPDATE SET next_alert_at = excluded.next_alert_at")
            ) { _ in }
        }
    }
}
