import Foundation
import OneGridDomain
import SQLKit

/// What a timeline event sets off, written in the event's own transaction so it happens exactly
/// when the event does: a notification in the inbox of each person concerned, and a delivery
/// for each webhook that subscribed to its kind.
enum Outbox {
    /// The actions people are told about: urges, supervisions, new assignments, escalations,
    /// reviews; and, for a reporter whose case was merged, the merge and its primary's closing.
    static let notified: Set<CaseAction> = [
        .urge, .supervise, .dispatch, .dualDispatch, .jointDispatch, .escalate, .requestReview, .merge, .close,
    ]

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
                        body: "INSERT INTO notifications (user_id, case_id, kind, message, created_at) \(kind.select)")
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
        case watcher(userID: Int64)
        /// A citizen who reported the case.
        case reporter(userID: Int64)
        /// The citizens who reported the cases merged into this one, each told on their own case.
        case reportersMergedInto(caseID: Int64)

        enum Kind: Hashable {
            case department, centre, watcher, reporter, reportersMergedInto

            /// The rows to notify, from the batch `n` (case_id, kind, message, at, target).
            var select: String {
                let fromPosts = "SELECT p.user_id, n.case_id, n.kind, n.message, n.at FROM n JOIN posts p ON "
                switch self {
                case .department: return fromPosts + "p.department_id = n.target"
                case .centre: return fromPosts + "p.area_id = n.target AND p.role = 'dispatcher'"
                case .watcher: return fromPosts + "p.user_id = n.target AND p.role = 'gridWorker'"
                case .reporter: return fromPosts + "p.user_id = n.target AND p.role = 'citizen'"
                case .reportersMergedInto:
                    return "SELECT c.reporter_user_id, c.id, n.kind, n.message, n.at FROM n JOIN cases c "
                        + "ON c.primary_case_id = n.target AND c.status = 'merged' AND c.reporter_user_id IS NOT NULL"
                }
            }
        }

        var kind: Kind {
            switch self {
            case .department: .department
            case .centre: .centre
            case .watcher: .watcher
            case .reporter: .reporter
            case .reportersMergedInto: .reportersMergedInto
            }
        }

        var target: Int64 {
            switch self {
            case .department(let id), .centre(let id), .watcher(let id), .reporter(let id), .reportersMergedInto(let id): id
            }
        }
    }

    /// Who an event concerns: the assignee's people (or the holding centre's dispatchers when no
    /// department holds it), the watcher of a dual dispatch, the centre a case escalated to, the
    /// reporter of a merged case (at the merge, and when its primary closes).
    static func recipients(of action: CaseAction, file: CaseFile) -> [Recipients] {
        let holder: [Recipients] = file.departmentID.map { [.department($0)] } ?? [.centre(areaID: file.handlingAreaID)]
        switch action {
        case .dispatch, .jointDispatch:
            return holder + file.assists.map { .department($0.departmentID) }
        case .dualDispatch:
            return holder + (file.watcherUserID.map { [.watcher(userID: $0)] } ?? [])
        case .urge, .supervise:
            return holder
        case .escalate, .requestReview:
            return [.centre(areaID: file.handlingAreaID)]
        case .merge:
            return file.reporterUserID.map { [.reporter(userID: $0)] } ?? []
        case .close:
            return [.reportersMergedInto(caseID: file.id)]
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
            case .merge: "合并：您反映的问题与案件 \(file.primaryCaseID.map(String.init) ?? "") 为同一事项，将随该案件一并办理"
            case .close: "办结：与您反映的问题合并办理的案件 \(file.id) 已办结"
            default: "派遣：新案件待签收"
            }
        return "\(what)（案件 \(file.id)）" + (event.note.map { "：\($0)" } ?? "")
    }
}
