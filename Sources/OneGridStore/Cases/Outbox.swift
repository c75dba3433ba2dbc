import Foundation
import OneGridDomain
import SQLKit

/// What a timeline event sets off, written in the event's own transaction so it happens exactly
/// when the event does: a notification in the inbox of each person concerned, and a delivery
/// for each webhook that subscribed to its kind.
enum Outbox {
    /// The actions people are told about (issue: urges, supervisions, new assignments, escalations).
    static let notified: Set<CaseAction> = [.urge, .supervise, .dispatch, .dualDispatch, .jointDispatch, .escalate]

    static func record(_ event: StoredEvent, file: CaseFile, on db: any SQLDatabase) async throws {
        let action = event.event.action
        guard notified.contains(action) else { return }
        let now = event.event.atMillis
        let message = Self.message(for: event.event, file: file)
        for recipients in Self.recipients(of: action, file: file) {
            try await db.insert(into: "notifications").columns("user_id", "case_id", "kind", "message", "created_at")
                .select { select in
                    select.column(SQLIdentifier("user_id"))
                        .column(SQLBind(file.id)).column(SQLBind(action.rawValue)).column(SQLBind(message)).column(SQLBind(now))
                        .from("posts")
                    switch recipients {
                    case .department(let id):
                        select.where("department_id", .equal, id)
                    case .centre(let areaID):
                        select.where("area_id", .equal, areaID).where("role", .equal, Role.dispatcher.rawValue)
                    case .user(let id):
                        select.where("user_id", .equal, id).where("role", .equal, Role.gridWorker.rawValue)
                    }
                    return select
                }.run()
        }
        try await SQLWebhookStore.enqueue(event, file: file, on: db)
    }

    enum Recipients {
        case department(Int64)
        case centre(areaID: Int64)
        case user(Int64)
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
        case .escalate:
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
            default: "派遣：新案件待签收"
            }
        return "\(what)（案件 \(file.id)）" + (event.note.map { "：\($0)" } ?? "")
    }
}
