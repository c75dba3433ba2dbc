public import Foundation

/// What a notice asks of the posts it reaches (通知公告): only to be read, an acknowledgement, or a
/// written reply, the latter two by a date.
public enum NoticeResponse: String, Codable, Sendable, CaseIterable {
    case none, acknowledge, reply
}

/// A notice a centre publishes down the hierarchy: to every area below it or to some of them.
public struct Notice: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var title: String
    public var body: String
    /// The centre's area: its posts of a publishing role see what it sent.
    public var fromAreaID: Int64
    public var fromPostID: Int64
    public var fromUserID: Int64
    /// The areas named by the sender; every post in them or below them receives the notice.
    public var audienceAreaIDs: [Int64]
    public var response: NoticeResponse
    public var dueAt: Date?
    public var publishedAt: Date

    public init(
        id: Int64, title: String, body: String, fromAreaID: Int64, fromPostID: Int64, fromUserID: Int64, audienceAreaIDs: [Int64],
        response: NoticeResponse, dueAt: Date?, publishedAt: Date
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.fromAreaID = fromAreaID
        self.fromPostID = fromPostID
        self.fromUserID = fromUserID
        self.audienceAreaIDs = audienceAreaIDs
        self.response = response
        self.dueAt = dueAt
        self.publishedAt = publishedAt
    }
}

/// A notice as written, before it is checked and published.
public struct NoticeDraft: Sendable, Hashable {
    public var title: String
    public var body: String
    /// Empty means every area below the sender's.
    public var audienceAreaIDs: [Int64]
    public var response: NoticeResponse
    public var dueAt: Date?

    public init(title: String, body: String, audienceAreaIDs: [Int64], response: NoticeResponse, dueAt: Date?) {
        self.title = title
        self.body = body
        self.audienceAreaIDs = audienceAreaIDs
        self.response = response
        self.dueAt = dueAt
    }

    /// Who publishes notices: the centre's dispatchers, its leaders and the city's administrators.
    public static let publishers: Set<Role> = [.dispatcher, .leader, .administrator]
    public static let titleLimit = 80
    public static let bodyLimit = 5000

    /// The notice this draft becomes when `post` publishes it now; refuses, naming the field,
    /// what a notice may not be. The audience must lie below the sender's area: a notice goes
    /// down the hierarchy, never sideways or up.
    public func notice(from post: Post, in directory: Directory, at now: Date) throws(DomainError) -> Notice {
        guard Self.publishers.contains(post.role), post.areaLevel.runsCentre else {
            throw DomainError(.forbidden, "a \(post.role.rawValue) does not publish notices; a centre's dispatchers, leaders and administrators do")
        }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= Self.titleLimit else {
            throw .invalid(field: "title", "a title of 1–\(Self.titleLimit) characters")
        }
        guard !body.isEmpty, body.count <= Self.bodyLimit else {
            throw .invalid(field: "body", "a text of 1–\(Self.bodyLimit) characters")
        }
        let audience = audienceAreaIDs.isEmpty ? [post.areaID] : Array(Set(audienceAreaIDs)).sorted()
        for areaID in audience {
            guard let area = directory.areas[areaID], area.retiredAt == nil else {
                throw .invalid(field: "audienceAreaIDs", "area \(areaID) is not an area in service")
            }
            guard areaID == post.areaID || directory.lineage(of: areaID).contains(where: { $0.id == post.areaID }) else {
                throw .invalid(field: "audienceAreaIDs", "area \(area.name) (\(areaID)) lies outside the areas below the sender's")
            }
        }
        switch response {
        case .none:
            guard dueAt == nil else { throw .invalid(field: "dueAt", "a date only when an acknowledgement or a reply is asked for") }
        case .acknowledge, .reply:
            guard let dueAt else { throw .invalid(field: "dueAt", "the date by which the \(response.rawValue) is due") }
            guard dueAt > now else { throw .invalid(field: "dueAt", "a date after now") }
        }
        return Notice(
            id: 0, title: title, body: body, fromAreaID: post.areaID, fromPostID: post.id, fromUserID: post.userID,
            audienceAreaIDs: audience, response: response, dueAt: dueAt, publishedAt: now)
    }
}

/// Where one receiving post stands with a notice.
public struct NoticeReceipt: Codable, Sendable, Hashable {
    public var noticeID: Int64
    public var postID: Int64
    public var userID: Int64
    public var areaID: Int64
    public var role: Role
    public var readAt: Date?
    public var answeredAt: Date?
    /// The written reply, when one was asked for.
    public var reply: String?

    public init(
        noticeID: Int64, postID: Int64, userID: Int64, areaID: Int64, role: Role, readAt: Date?, answeredAt: Date?, reply: String?
    ) {
        self.noticeID = noticeID
        self.postID = postID
        self.userID = userID
        self.areaID = areaID
        self.role = role
        self.readAt = readAt
        self.answeredAt = answeredAt
        self.reply = reply
    }

    public static let replyLimit = 2000

    /// The answer a notice asks for, refused when it asks for none, was answered already, or the
    /// reply is empty. An answer after the date is still taken: it shows as late.
    public func answered(to notice: Notice, reply text: String?, at now: Date) throws(DomainError) -> NoticeReceipt {
        guard notice.response != .none else {
            throw DomainError(.notAllowedInState, "notice \(notice.id) asks for no answer")
        }
        guard answeredAt == nil else { throw DomainError(.notAllowedInState, "notice \(notice.id) was answered already") }
        var answered = self
        answered.readAt = readAt ?? now
        answered.answeredAt = now
        if notice.response == .reply {
            let text = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= Self.replyLimit else {
                throw .invalid(field: "reply", "a reply of 1–\(Self.replyLimit) characters")
            }
            answered.reply = text
        }
        return answered
    }

    /// Whether the answer asked for came after its date, or is still missing past it.
    public func isLate(_ notice: Notice, at now: Date) -> Bool {
        guard notice.response != .none, let due = notice.dueAt else { return false }
        return answeredAt.map { $0 > due } ?? (now > due)
    }
}

/// How far the posts a notice reached have got with it.
public struct NoticeTally: Codable, Sendable, Hashable {
    public var recipients: Int
    public var read: Int
    public var answered: Int
    /// Answers missing past the date, or given after it.
    public var late: Int

    public init(recipients: Int, read: Int, answered: Int, late: Int) {
        self.recipients = recipients
        self.read = read
        self.answered = answered
        self.late = late
    }

    public init(_ receipts: [NoticeReceipt], of notice: Notice, at now: Date) {
        self.init(
            recipients: receipts.count, read: receipts.count { $0.readAt != nil }, answered: receipts.count { $0.answeredAt != nil },
            late: receipts.count { $0.isLate(notice, at: now) })
    }
}
