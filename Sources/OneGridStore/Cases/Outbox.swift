import Foundation
import OneGridDomain
import SQLKit

/// What a timeline event sets off, written in the event's own transaction so it happens exactly
/// when the event does: a notification in the inbox of each person its `CaseNotice` names, and a
/// delivery for each webhook that subscribed to its kind.
enum Outbox {
    /// Records what a batch of written events sets off, in a few statements for the whole batch.
    static func record(_ written: [(event: StoredEvent, file: CaseFile)], on db: any SQLDatabase) async throws {
        try await SQLCitizenStore.recordNotices(written, on: db)
        var notifying: [(event: StoredEvent, file: CaseFile)] = []
        var rows: [Recipients: [[any Encodable & Sendable]]] = [:]
        for (stored, file) in written {
            guard let notice = CaseNotice(stored.event, file: file) else { continue }
            notifying.append((stored, file))
            for recipients in notice.recipients {
                rows[Recipients(recipients), default: []].append(
                    [notice.caseID, notice.kind.rawValue, notice.message, stored.event.atMillis, recipients.target])
            }
        }
        guard !notifying.isEmpty else { return }
        let columns = [("case_id", "BIGINT"), ("kind", "TEXT"), ("message", "TEXT"), ("at", "BIGINT"), ("target", "BIGINT")]
            .map { ValuesTable.Column(name: $0.0, type: $0.1) }
        for (recipients, kindRows) in rows {
            for chunk in kindRows.chunked(into: 500) {
                try await db.execute(
                    sql: ValuesTable(
                        name: "n", columns: columns, rows: Array(chunk),
                        body: "INSERT INTO notifications (user_id, case_id, kind, message, created_at) \(recipients.select)")
                ) { _ in }
            }
        }
        // Most cities register no webhook: one look spares a statement per event.
        if try await db.select().column("id").from("webhooks").limit(1).first() != nil {
            for (event, file) in notifying { try await SQLWebhookStore.enqueue(event, file: file, on: db) }
        }
    }

    /// The kinds of `CaseNotice.Recipients`, each one set-based statement over a batch.
    enum Recipients: Hashable {
        case department, centre, watcher, reporter, reportersMergedInto

        init(_ recipients: CaseNotice.Recipients) {
            switch recipients {
            case .department: self = .department
            case .centre: self = .centre
            case .watcher: self = .watcher
            case .reporter: self = .reporter
            case .reportersMergedInto: self = .reportersMergedInto
            }
        }

        /// The rows to notify, from the batch `n` (case_id, kind, message, at, target). Roles and
        /// statuses are bound from their enums, so a renamed case cannot leave a stale literal.
        var select: SQLQueryString {
            let fromPosts: SQLQueryString = "SELECT p.user_id, n.case_id, n.kind, n.message, n.at FROM n JOIN posts p ON "
            switch self {
            case .department: return fromPosts + "p.department_id = n.target"
            case .centre: return fromPosts + "p.area_id = n.target AND p.role = \(bind: Role.dispatcher.rawValue)"
            case .watcher: return fromPosts + "p.user_id = n.target AND p.role = \(bind: Role.gridWorker.rawValue)"
            case .reporter: return fromPosts + "p.user_id = n.target AND p.role = \(bind: Role.citizen.rawValue)"
            case .reportersMergedInto:
                return "SELECT c.reporter_user_id, c.id, n.kind, n.message, n.at FROM n JOIN cases c "
                    + "ON c.primary_case_id = n.target AND c.status = \(bind: CaseStatus.merged.rawValue) "
                    + "AND c.reporter_user_id IS NOT NULL"
            }
        }
    }
}

extension CaseNotice.Recipients {
    /// The id the statement of its kind joins on.
    var target: Int64 {
        switch self {
        case .department(let id), .centre(let id), .watcher(let id), .reporter(let id), .reportersMergedInto(let id): id
        }
    }
}
