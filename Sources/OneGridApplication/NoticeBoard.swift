public import OneGridDomain
public import OneGridStore

/// Notices (通知公告): a centre publishes one to the areas below it; every post there receives it
/// in its inbox, reads it and, when asked, acknowledges or replies by the date; the centre sees
/// who has read and answered. The API and the pages both come here.
public struct NoticeBoard: Sendable {
    let services: OneGridServices

    var store: any NoticeStore { services.notices }

    /// A notice as one post opens it: its own receipt when the notice reached it, and every
    /// receipt with the tally when the post is of the sending centre or above it.
    public struct View: Sendable {
        public var notice: Notice
        public var receipt: NoticeReceipt?
        public var tracking: Tracking?
    }

    public struct Tracking: Sendable {
        public var tally: NoticeTally
        public var receipts: [NoticeReceipt]
        /// The receiving users, for their names.
        public var users: [Int64: User]
    }

    public struct Published: Sendable {
        public var notice: Notice
        public var recipients: Int
    }

    /// Publishes the draft from the post's centre to every post in the areas it names and below
    /// them, except the sender's own. A notice that would reach nobody is refused.
    public func publish(_ draft: NoticeDraft, by principal: Principal) async throws -> Published {
        let directory = services.directory
        let notice = try draft.notice(from: principal.post, in: directory, at: services.clock.now)
        let audience = Set(notice.audienceAreaIDs)
        let areas = directory.areas.values.filter { area in directory.lineage(of: area.id).contains { audience.contains($0.id) } }
        let recipients = try await store.recipients(inAreas: areas.map(\.id)).filter { $0.postID != principal.post.id }
        guard !recipients.isEmpty else {
            throw DomainError.invalid(field: "audienceAreaIDs", "no post works in these areas: the notice would reach nobody")
        }
        return Published(notice: try await store.publish(notice, to: recipients), recipients: recipients.count)
    }

    /// The notices that reached the post, newest first, and how many it has not read.
    public func received(by principal: Principal, limit: Int = 100) async throws -> (notices: [(notice: Notice, receipt: NoticeReceipt)], unread: Int) {
        (try await store.received(postID: principal.post.id, limit: limit), try await store.unreadCount(postID: principal.post.id))
    }

    /// The notices the post's centre sent, with their tallies; none for a post that does not publish.
    public func sent(by principal: Principal, limit: Int = 100) async throws -> [(notice: Notice, tally: NoticeTally)] {
        guard Self.publishes(principal.post) else { return [] }
        return try await store.sent(fromAreaID: principal.post.areaID, at: services.clock.now, limit: limit)
    }

    public static func publishes(_ post: Post) -> Bool {
        NoticeDraft.publishers.contains(post.role) && post.areaLevel.runsCentre
    }

    /// Opens a notice: marks it read when it reached the post; "not found" when the post neither
    /// received it nor tracks it, so its existence is not told to others.
    public func open(_ noticeID: Int64, by principal: Principal) async throws -> View {
        guard let notice = try await store.notice(id: noticeID) else { throw DomainError.notFound("notice \(noticeID)", field: "id") }
        let receipt = try await store.markRead(noticeID: noticeID, postID: principal.post.id, at: services.clock.now)
        let tracking = tracks(notice, principal.post) ? try await tracking(of: notice) : nil
        guard receipt != nil || tracking != nil else { throw DomainError.notFound("notice \(noticeID)", field: "id") }
        return View(notice: notice, receipt: receipt, tracking: tracking)
    }

    /// A publishing post of the sending centre's area or of an area above it.
    func tracks(_ notice: Notice, _ post: Post) -> Bool {
        Self.publishes(post) && services.directory.lineage(of: notice.fromAreaID).contains { $0.id == post.areaID }
    }

    func tracking(of notice: Notice) async throws -> Tracking {
        let receipts = try await store.receipts(noticeID: notice.id)
        return Tracking(
            tally: NoticeTally(receipts, of: notice, at: services.clock.now), receipts: receipts, users: try await services.people.users(ids: Array(Set(receipts.map(\.userID)))))
    }

    /// The post's acknowledgement or reply, as the notice asks.
    public func answer(_ noticeID: Int64, reply: String?, by principal: Principal) async throws -> NoticeReceipt {
        guard let notice = try await store.notice(id: noticeID),
            let receipt = try await store.receipt(noticeID: noticeID, postID: principal.post.id)
        else { throw DomainError.notFound("notice \(noticeID)", field: "id") }
        let answered = try receipt.answered(to: notice, reply: reply, at: services.clock.now)
        guard try await store.answer(answered) else {
            throw DomainError(.notAllowedInState, "notice \(noticeID) was answered already")
        }
        return answered
    }
}
