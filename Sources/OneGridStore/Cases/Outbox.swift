import Foundation
import OneGridDomain
import SQLKit

/// What a timeline event sets off, written in the event's own transaction so it happens exactly
/// when the event does: a notification in the inbox of each person concerned, and a delivery
/// for each webhook that subscribed to its kind.
enum Outbox {
    /// The actions people are told about (issue: urges, supervisions, new assignments, escalations).
    static let notified: Set<CaseAction> = [.urge, .supervise, .dispatch, .dualDispatch, .jointDispatch, .escalate, .requestReview]

    /// Records what a batch of written events sets off, in a few statements for the whole batch.
    static func record(_ written: [(event: StoredEvent, file: CaseFile)], on db: any SQLDatabase) async throws {
        let notifying = written.filter { notified.contains($0.event.event.action) }
        guard !notifying.isEmpty else { return }
        var rows: [Recipients.Kind: [[any Encodable & Sendable]]] = [:]
        for (stored, file) in notifying {
            let event = stored.event
            let message = Self.message(for: event, file: file)
            for recipients in Self.recipients(of: event.action, file: file) {
                rows[recipients.kind, default: []].append([file.id, event.action.rawValue, message, event.atMillis, recipients.target])
            }
        }
        let columns = [("case_id", "BIGINT"), ("kind", "TEXT"), ("message", "TEXT"), ("at", "BIGINT"), ("target", "BIGINT")]
            .map { ValuesTable.Column(name: $0.0, type: $0.1) }
        for (kind, kindRows) in rows {
            for chunk in kindRows.chunked(into: 500) {
                try await db.execute(
                    sql: ValuesTable(
                        name: "n", columns: columns, rows: Array(chunk),
                        body: "INSERT INTO notifications (user_id, case_id, kind, message, created_at) "
                            + "SELECT p.user_id, n.case_id, n.kind, n.message, n.at FROM n JOIN posts p ON \(kind.join)")
                ) { _ in }
            }
        }
        // Most cities register no webhook: one look spares a statement per event.
        if try await db.select().column("id").from("webhooks").limit(1).first() != nil {
            for (event, file) in notifying { try await SQLWebhookStore.enqueue(event, file: file, on: db) }
        }
    }

    enum Recipients {
        case department(Int64)
        case centre(areaID: Int64)
        case user(Int64)

        enum Kind: Hashable {
            case department, centre, user

            /// How a post is matched to the row's target.
            var join: String {
                switch self {
                case .department: "p.department_id = n.target"
                case .centre: "p.area_id = n.target AND p.role = 'dispatcher'"
                case .user: "p.user_id = n.target AND p.role = 'gridWorker'"
                }
            }
        }

        var kind: Kind {
            switch self {
            case .department: .department
            case .centre: .centre
            case .user: .user
            }
        }

        var target: Int64 {
            switch self {
            case .department(let id), .centre(let id), .user(let id): id
            }
        }
    }

    /// Who an event concerns: the assignee's people (or the holding centre's dispatchers when no
    /// department holds it), the watcher of a dual dispatch, the centre a case escalated to.
    static func recipients(of action: CaseAction, file: CaseFile) -> [Recipients] {
        let holder: [Recipients] = file.departmentID.map { [.department($0)] } ?? [.centre(areaID: file.handlingAreaID)]
        switch action {
        case .dispatch, .jointDispatch:
            return holder + file.assists.map { .department($0.departmentID) }
        case .dualDispatch:
            return holder + (file.watcherUserID.map { [.user($0)] } ?? [])
        case .urge, .supervise:
            return holder
        case .escalate, .requestReview:
            return [.centre(areaID: file.handlingAreaID)]
        default:
            return []
        }
    }

    static func message(for event: TimelineEvent, file: CaseFile) -> String {
        let what =
            switch event.action {
            case .urge: "催办：案件即将到期，请尽快办理"
            case .supervise: "督办：案件已超期，上级督办"
            case .escalate: "上报：案件已上报至本级中心"
            case .requestReview: "复查：信访人申请复查，请在30日内答复"
            default: "派遣：新案件待签收"
            }
        return "\(what)（案件 \(file.id)）" + (event.note.map { "：\($0)" } ?? "")
    }
}
