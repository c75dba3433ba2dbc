import Foundation
import Hummingbird
import OneGridApplication
import OneGridStore

/// Each user's notifications: urges, supervisions, new assignments, escalations.
struct InboxController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.inbox, use: list)
        api.on(.inboxRead, use: markRead)
    }

    struct InboxJSON: ResponseEncodable {
        var notifications: [InboxNotification]
        var unread: Int
        var nextCursor: String?
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> InboxJSON {
        let principal = context.principal
        let query = request.uri.queryParameters
        var unreadOnly = false
        if let text = query.get("unread") {
            guard let flag = Bool(text) else {
                throw APIError(.badRequest, code: .invalid, "unread must be true or false", field: "unread")
            }
            unreadOnly = flag
        }
        let afterID = try query.get("cursor").map { text -> Int64 in
            guard let id = Int64(text), id > 0 else {
                throw APIError(.badRequest, code: .invalid, "cursor must be the nextCursor of a previous page", field: "cursor")
            }
            return id
        }
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text), (1...200).contains(value) else {
                throw APIError(.badRequest, code: .invalid, "limit must be 1–200", field: "limit")
            }
            limit = value
        }
        let inbox = SQLInboxStore(database: services.database)
        let page = try await inbox.notifications(userID: principal.user.id, unreadOnly: unreadOnly, afterID: afterID, limit: limit + 1)
        return InboxJSON(
            notifications: Array(page.prefix(limit)), unread: try await inbox.unreadCount(userID: principal.user.id),
            nextCursor: page.count > limit ? page[limit - 1].id.description : nil)
    }

    struct ReadJSON: ResponseEncodable {
        var id: Int64
        var read: Bool
    }

    @Sendable func markRead(_ request: Request, context: SignedInContext) async throws -> ReadJSON {
        let principal = context.principal
        let id = try context.pathID("notification")
        guard try await SQLInboxStore(database: services.database).markRead(id: id, userID: principal.user.id, at: services.clock.now) else {
            throw APIError(.notFound, code: .notFound, "notification \(id) not found", field: "id")
        }
        return ReadJSON(id: id, read: true)
    }
}
