public import Foundation
public import OneGridDomain
import SQLKit

/// A post a notice reaches: written as a receipt when the notice is published.
public struct NoticeRecipient: Sendable, Hashable {
    public var postID: Int64
    public var userID: Int64
    public var areaID: Int64
    public var role: Role
}

/// The notices published down the hierarchy and each receiving post's receipt.
public protocol NoticeStore: Sendable {
    /// The posts holding a role other than citizen in these areas, of users not disabled.
    func recipients(inAreas areaIDs: [Int64]) async throws -> [NoticeRecipient]
    /// Stores the notice and a receipt for each recipient in one transaction; the notice with its id.
    func publish(_ notice: Notice, to recipients: [NoticeRecipient]) async throws -> Notice
    func notice(id: Int64) async throws -> Notice?
    /// A post's receipt of a notice; nil when the notice did not reach the post.
    func receipt(noticeID: Int64, postID: Int64) async throws -> NoticeReceipt?
    /// The notices that reached a post, newest first, each with the post's receipt.
    func received(postID: Int64, limit: Int) async throws -> [(notice: Notice, receipt: NoticeReceipt)]
    /// The notices a centre sent, newest first, each with its tally at `now`.
    func sent(fromAreaID: Int64, at now: Date, limit: Int) async throws -> [(notice: Notice, tally: NoticeTally)]
    /// Every receipt of a notice, by area then post.
    func receipts(noticeID: Int64) async throws -> [NoticeReceipt]
    /// Marks the receipt read once; the receipt as stored.
    func markRead(noticeID: Int64, postID: Int64, at now: Date) async throws -> NoticeReceipt?
    /// Stores an answer on a receipt still unanswered; false when another answer came first.
    func answer(_ receipt: NoticeReceipt) async throws -> Bool
    /// How many notices reached the post and are still unread.
    func unreadCount(postID: Int64) async throws -> Int
}

public struct SQLNoticeStore: NoticeStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// IN lists stay well under SQLite's and PostgreSQL's bind limits.
    static let chunk = 500

    struct NoticeRow: Codable {
        var id: Int64
        var title: String
        var body: String
        var fromAreaId: Int64
        var fromPostId: Int64
        var fromUserId: Int64
        var audience: String
        var response: String
        var dueAt: Int64?
        var publishedAt: Int64

        func notice() throws -> Notice {
            Notice(
                id: id, title: title, body: body, fromAreaID: fromAreaId, fromPostID: fromPostId, fromUserID: fromUserId,
                audienceAreaIDs: try JSONDecoder().decode([Int64].self, from: Data(audience.utf8)),
                response: try stored(NoticeResponse.self, response), dueAt: dueAt.map(Date.init(millisecondsSince1970:)),
                publishedAt: Date(millisecondsSince1970: publishedAt))
        }
    }

    struct ReceiptRow: Codable {
        var noticeId: Int64
        var postId: Int64
        var userId: Int64
        var areaId: Int64
        var role: String
        var readAt: Int64?
        var answeredAt: Int64?
        var reply: String?

        var receipt: NoticeReceipt {
            get throws {
                NoticeReceipt(
                    noticeID: noticeId, postID: postId, userID: userId, areaID: areaId, role: try stored(Role.self, role), readAt: readAt.map(Date.init(millisecondsSince1970:)),
                    answeredAt: answeredAt.map(Date.init(millisecondsSince1970:)), reply: reply)
            }
        }
    }

    public func recipients(inAreas areaIDs: [Int64]) async throws -> [NoticeRecipient] {
        struct Row: Decodable {
            var id: Int64
            var userId: Int64
            var areaId: Int64
            var role: String
        }
        var found: [NoticeRecipient] = []
        for start in stride(from: 0, to: areaIDs.count, by: Self.chunk) {
            let areas = Array(areaIDs[start..<min(start + Self.chunk, areaIDs.count)])
            found += try await database.reader.select()
                .column(SQLColumn("id", table: "posts")).column(SQLColumn("user_id", table: "posts")).column(SQLColumn("area_id", table: "posts"))
                .column(SQLColumn("role", table: "posts"))
                .from("posts").join("users", on: SQLColumn("id", table: "users"), .equal, SQLColumn("user_id", table: "posts"))
                .where(SQLColumn("area_id", table: "posts"), .in, SQLBind.group(areas))
                .where(SQLColumn("role", table: "posts"), .notEqual, SQLBind(Role.citizen.rawValue))
                .where(SQLColumn("disabled_at", table: "users"), .is, SQLLiteral.null)
                .all(decoding: Row.self, with: .snake).map {
                    NoticeRecipient(postID: $0.id, userID: $0.userId, areaID: $0.areaId, role: try stored(Role.self, $0.role))
                }
        }
        return found.sorted { ($0.areaID, $0.postID) < ($1.areaID, $1.postID) }
    }

    public func publish(_ notice: Notice, to recipients: [NoticeRecipient]) async throws -> Notice {
        let audience = String(decoding: try JSONEncoder().encode(notice.audienceAreaIDs), as: UTF8.self)
        let id = try await database.transaction { db in
            guard
                let id = try await db.insert(into: "notices")
                    .columns("title", "body", "from_area_id", "from_post_id", "from_user_id", "audience", "response", "due_at", "published_at")
                    .values(
                        SQLBind(notice.title), SQLBind(notice.body), SQLBind(notice.fromAreaID), SQLBind(notice.fromPostID),
                        SQLBind(notice.fromUserID), SQLBind(audience), SQLBind(notice.response.rawValue),
                        SQLBind(notice.dueAt?.millisecondsSince1970), SQLBind(notice.publishedAt.millisecondsSince1970)
                    ).returning("id").first(decodingColumn: "id", as: Int64.self)
            else { throw StoreError.corrupt("inserting a notice returned no id") }
            // Five binds a row: 150 rows a statement stay under SQLite's bind limit.
            for start in stride(from: 0, to: recipients.count, by: 150) {
                let insert = db.insert(into: "notice_receipts").columns("notice_id", "post_id", "user_id", "area_id", "role")
                for recipient in recipients[start..<min(start + 150, recipients.count)] {
                    insert.values(
                        SQLBind(id), SQLBind(recipient.postID), SQLBind(recipient.userID), SQLBind(recipient.areaID),
                        SQLBind(recipient.role.rawValue))
                }
                try await insert.run()
            }
            return id
        }
        var published = notice
        published.id = id
        return published
    }

    public func notice(id: Int64) async throws -> Notice? {
        try await database.reader.select().columns("*").from("notices").where("id", .equal, id)
            .first(decoding: NoticeRow.self, with: .snake)?.notice()
    }

    public func receipt(noticeID: Int64, postID: Int64) async throws -> NoticeReceipt? {
        try await database.reader.select().columns("*").from("notice_receipts")
            .where("notice_id", .equal, noticeID).where("post_id", .equal, postID)
            .first(decoding: ReceiptRow.self, with: .snake).map { try $0.receipt }
    }

    public func received(postID: Int64, limit: Int) async throws -> [(notice: Notice, receipt: NoticeReceipt)] {
        let receipts = try await database.reader.select().columns("*").from("notice_receipts").where("post_id", .equal, postID)
            .orderBy("notice_id", .descending).limit(limit).all(decoding: ReceiptRow.self, with: .snake).map { try $0.receipt }
        let notices = try await notices(ids: receipts.map(\.noticeID))
        return receipts.compactMap { receipt in notices[receipt.noticeID].map { ($0, receipt) } }
    }

    func notices(ids: [Int64]) async throws -> [Int64: Notice] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await database.reader.select().columns("*").from("notices").where("id", .in, ids)
            .all(decoding: NoticeRow.self, with: .snake)
        return Dictionary(uniqueKeysWithValues: try rows.map { ($0.id, try $0.notice()) })
    }

    public func sent(fromAreaID: Int64, at now: Date, limit: Int) async throws -> [(notice: Notice, tally: NoticeTally)] {
        let notices = try await database.reader.select().columns("*").from("notices").where("from_area_id", .equal, fromAreaID)
            .orderBy("id", .descending).limit(limit).all(decoding: NoticeRow.self, with: .snake).map { try $0.notice() }
        guard !notices.isEmpty else { return [] }
        struct Row: Decodable {
            var noticeId: Int64
            var recipients: Int
            var read: Int
            var answered: Int
            var lateAnswers: Int
            var unansweredSince: Int
        }
        // Late is read per notice below: a due date is the notice's, "missing past it" is now's.
        let rows = try await database.reader.select()
            .column("notice_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "recipients")
            .column(SQLRaw("SUM(CASE WHEN read_at IS NULL THEN 0 ELSE 1 END)"), as: "read")
            .column(SQLRaw("SUM(CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END)"), as: "answered")
            .column(SQLRaw("SUM(CASE WHEN answered_at > notices.due_at THEN 1 ELSE 0 END)"), as: "late_answers")
            .column(SQLRaw("SUM(CASE WHEN answered_at IS NULL THEN 1 ELSE 0 END)"), as: "unanswered_since")
            .from("notice_receipts").join("notices", on: SQLColumn("id", table: "notices"), .equal, SQLColumn("notice_id", table: "notice_receipts"))
            .where("notice_id", .in, notices.map(\.id)).groupBy("notice_id")
            .all(decoding: Row.self, with: .snake)
        let byNotice = Dictionary(uniqueKeysWithValues: rows.map { ($0.noticeId, $0) })
        return notices.map { notice in
            let row = byNotice[notice.id]
            let missingPastDue = notice.response != .none && (notice.dueAt.map { now > $0 } ?? false) ? row?.unansweredSince ?? 0 : 0
            let tally = NoticeTally(
                recipients: row?.recipients ?? 0, read: row?.read ?? 0, answered: notice.response == .none ? 0 : row?.answered ?? 0,
                late: notice.response == .none ? 0 : (row?.lateAnswers ?? 0) + missingPastDue)
            return (notice, tally)
        }
    }

    public func receipts(noticeID: Int64) async throws -> [NoticeReceipt] {
        try await database.reader.select().columns("*").from("notice_receipts").where("notice_id", .equal, noticeID)
            .orderBy("area_id").orderBy("post_id").all(decoding: ReceiptRow.self, with: .snake).map { try $0.receipt }
    }

    public func markRead(noticeID: Int64, postID: Int64, at now: Date) async throws -> NoticeReceipt? {
        try await database.transaction { db in
            try await db.update("notice_receipts")
                .set("read_at", to: SQLFunction("COALESCE", args: SQLIdentifier("read_at"), SQLBind(now.millisecondsSince1970)))
                .where("notice_id", .equal, noticeID).where("post_id", .equal, postID)
                .returning("*").first(decoding: ReceiptRow.self, with: .snake).map { try $0.receipt }
        }
    }

    public func answer(_ receipt: NoticeReceipt) async throws -> Bool {
        try await database.transaction { db in
            try await db.update("notice_receipts")
                .set("read_at", to: SQLBind(receipt.readAt?.millisecondsSince1970))
                .set("answered_at", to: SQLBind(receipt.answeredAt?.millisecondsSince1970))
                .set("reply", to: SQLBind(receipt.reply))
                .where("notice_id", .equal, receipt.noticeID).where("post_id", .equal, receipt.postID)
                .where("answered_at", .is, SQLLiteral.null)
                .returning("notice_id").first() != nil
        }
    }

    public func unreadCount(postID: Int64) async throws -> Int {
        try await database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("notice_receipts")
            .where("post_id", .equal, postID).where("read_at", .is, SQLLiteral.null)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
