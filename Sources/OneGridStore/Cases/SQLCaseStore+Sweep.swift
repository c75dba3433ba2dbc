public import Foundation
import OneGridDomain
import SQLKit
import Synchronization

extension SQLCaseStore {
    public func casesDueForAlert(at now: Date, after cursor: AlertCursor?, limit: Int) async throws -> [CaseRecord] {
        // The schedule's index gives the page; a row value compares on both databases.
        var query: SQLQueryString =
            "SELECT cases.* FROM case_alerts a JOIN cases ON cases.id = a.case_id WHERE a.next_alert_at <= \(bind: now.millisecondsSince1970)"
        if let cursor {
            query += " AND (a.next_alert_at, a.case_id) > (\(bind: cursor.nextAlertAt.millisecondsSince1970), \(bind: cursor.caseID))"
        }
        query += " ORDER BY a.next_alert_at, a.case_id LIMIT \(literal: limit)"
        let rows = try await database.reader.raw(query).all().map { try CaseRow(row: $0) }
        let assists = try await assists(caseIDs: rows.compactMap(\.id), on: database.reader)
        return try rows.map { try $0.record(assists: assists[$0.id ?? 0] ?? []) }
    }

    public func applySystemSteps(_ steps: [SystemStep], at now: Date) async throws -> Int {
        guard !steps.isEmpty else { return 0 }
        // Urges and supervisions change only the clock's bookkeeping: they are sealed here, on
        // the timeline head each step was decided on, before the writer is taken, and written in
        // one guarded update per 500. Anything else (escalation) reads its row and takes the
        // one-step path.
        var sealed: [Int64: [(event: StoredEvent, file: CaseFile)]] = [:]
        var bookkeeping: [[any Encodable & Sendable]] = []
        var others: [SystemStep] = []
        for step in steps {
            guard let last = step.transitions.last, step.transitions.allSatisfy({ $0.action == .urge || $0.action == .supervise })
            else {
                others.append(step)
                continue
            }
            var head = (count: step.eventCount, hash: step.lastHash)
            sealed[step.caseID] = step.transitions.map { transition in
                let event = Self.event(transition, caseID: step.caseID, following: head, by: nil, at: now)
                head = (head.count + 1, event.hash)
                return (event, transition.file)
            }
            bookkeeping.append([
                step.caseID, step.decidedOnVersion, last.file.version, now.millisecondsSince1970, head.count, head.hash,
                last.file.alertSent?.rawValue, last.file.nextAlertAt?.millisecondsSince1970,
            ])
        }
        // A lost sweep commit is found again by the next sweep: each is redone whole or was whole.
        return try await database.transaction(.redoable) { [sealed, bookkeeping, others] db in
            let columns = [
                ("id", "BIGINT"), ("old_version", "INTEGER"), ("version", "INTEGER"), ("updated_at", "BIGINT"),
                ("event_count", "INTEGER"), ("last_hash", "TEXT"), ("alert_sent", "TEXT"), ("next_alert_at", "BIGINT"),
            ].map { ValuesTable.Column(name: $0.0, type: $0.1) }
            var outbox: [(event: StoredEvent, file: CaseFile)] = []
            for chunk in bookkeeping.chunked(into: 500) {
                let written = Mutex<[Int64]>([])
                // A case another sweeper or a person has moved past its version is skipped: the
                // next sweep looks at it again.
                try await db.execute(
                    sql: ValuesTable(
                        name: "v", columns: columns, rows: Array(chunk),
                        body: "UPDATE cases SET version = v.version, updated_at = v.updated_at, event_count = v.event_count, "
                            + "last_hash = v.last_hash, alert_sent = v.alert_sent, next_alert_at = v.next_alert_at "
                            + "FROM v WHERE cases.id = v.id AND cases.version = v.old_version RETURNING cases.id")
                ) { row in
                    if let id = try? row.decode(column: "id", as: Int64.self) { written.withLock { $0.append(id) } }
                }
                let ids = written.withLock { $0 }
                for id in ids { outbox += sealed[id] ?? [] }
                try await AlertSchedule.update(
                    ids.map { id in (id, sealed[id]?.last?.file.nextAlertAt?.millisecondsSince1970) }, on: db)
            }
            try await Outbox.record(outbox, on: db)
            var events = outbox.map { EventRow($0.event) }
            events += try await applyOneByOne(others, at: now, on: db)
            try await StatementGroup.run(on: db) { Self.insert(events, into: &$0) }
            return events.count
        }
    }

    /// Steps that change more than the clock's bookkeeping, each through `write` over its row.
    private func applyOneByOne(_ steps: [SystemStep], at now: Date, on db: any SQLDatabase) async throws -> [EventRow] {
        guard !steps.isEmpty else { return [] }
        let ids = steps.map(\.caseID)
        var rows: [Int64: CaseRow] = [:]
        for chunk in ids.chunked(into: 500) {
            for row in try await db.select().columns("*").from("cases").where("id", .in, Array(chunk))
                .all().map({ try CaseRow(row: $0) })
            {
                rows[row.id ?? 0] = row
            }
        }
        let assists = try await assists(caseIDs: ids, on: db)
        var events: [EventRow] = []
        var figures = FigureLedger()
        for step in steps {
            guard var row = rows[step.caseID] else { continue }
            var current = try row.record(assists: assists[step.caseID] ?? []).file
            guard current.version == step.decidedOnVersion else { continue }
            for transition in step.transitions {
                guard let next = try await write(transition, over: row, current: current, by: nil, at: now, on: db) else { break }
                events.append(next.event)
                figures.add(next.figures)
                (row, current) = (next.row, next.record.file)
            }
        }
        try await StatementGroup.run(on: db) { figures.write(into: &$0) }
        return events
    }
}
