public import Foundation
public import OneGridDomain
import SQLKit

/// One notification in a user's inbox: an urge, a supervision, a new assignment, an escalation.
public struct InboxNotification: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var userID: Int64
    public var caseID: Int64
    public var kind: NoticeKind
    public var message: String
    public var createdAt: Date
    public var readAt: Date?
}

public protocol InboxStore: Sendable {
    /// Newest first; `afterID` is the last id of the previous page.
    func notifications(userID: Int64, unreadOnly: Bool, afterID: Int64?, limit: Int) async throws -> [InboxNotification]
    /// Marks one of the user's notifications read; false when it is not theirs or does not exist.
    func markRead(id: Int64, userID: Int64, at now: Date) async throws -> Bool
    func unreadCount(userID: Int64) async throws -> Int
    /// Puts one notification in a user's inbox.
    func add(userID: Int64, caseID: Int64, kind: NoticeKind, message: String, at now: Date) async throws
}

public struct SQLInboxStore: InboxStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    struct Row: Codable {
        var id: Int64
        var userId: Int64
        var caseId: Int64
        var kind: String
        var message: String
        var createdAt: Int64
        var readAt: Int64?
    }

    public func notifications(userID: Int64, unreadOnly: Bool, afterID: Int64?, limit: Int) async throws -> [InboxNotification] {
        let select = database.reader.select().columns("*").from("notifications").where("user_id", .equal, userID)
        if unreadOnly { select.where("read_at", .is, SQLLiteral.null) }
        if let afterID { select.where("id", .lessThan, afterID) }
        return try await select.orderBy("id", .descending).limit(limit).all(decoding: Row.self, with: .snake).map {
            InboxNotification(
                id: $0.id, userID: $0.userId, caseID: $0.caseId, kind: try stored(NoticeKind.self, $0.kind),
                message: $0.message, createdAt: Date(millisecondsSince1970: $0.createdAt),
                readAt: $0.readAt.map(Date.init(millisecondsSince1970:)))
        }
    }

    public func markRead(id: Int64, userID: Int64, at now: Date) async throws -> Bool {
        try await database.transaction { db in
            let row = try await db.update("notifications").set("read_at", to: SQLFunction("COALESCE", args: SQLIdentifier("read_at"), SQLBind(now.millisecondsSince1970)))
                .where("id", .equal, id).where("user_id", .equal, userID).returning("id").first()
            return row != nil
        }
    }

    public func add(userID: Int64, caseID: Int64, kind: NoticeKind, message: String, at now: Date) async throws {
        try await database.transaction { db in
            try await db.insert(into: "notifications").columns("user_id", "case_id", "kind", "message", "created_at")
                .values(SQLBind(userID), SQLBind(caseID), SQLBind(kind.rawValue), SQLBind(message), SQLBind(now.millisecondsSince1970)).run()
        }
    }

    public func unreadCount(userID: Int64) async throws -> Int {
        try await database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("notifications")
            .where("user_id", .equal, userID).where("read_at", .is, SQLLiteral.null)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
