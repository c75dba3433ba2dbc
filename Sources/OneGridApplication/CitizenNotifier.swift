public import Foundation
public import OneGridDomain
public import OneGridStore
import Logging
import Synchronization

/// What a citizen is told of their case, as every sender receives it.
public struct CitizenMessage: Sendable, Hashable, Codable {
    public var noticeID: Int64
    public var caseID: Int64
    public var caseNumber: String
    public var kind: CitizenNoticeKind
    /// The words, in Chinese.
    public var text: String
    public var at: Date
    /// The phone the reporter left, for an SMS gateway; nil when they left none.
    public var phone: String?
    /// The signed-in citizen who reported it, for their inbox; nil for the portal's reports.
    public var citizenUserID: Int64?

    public init(
        noticeID: Int64, caseID: Int64, caseNumber: String, kind: CitizenNoticeKind, text: String, at: Date, phone: String?,
        citizenUserID: Int64?
    ) {
        self.noticeID = noticeID
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.kind = kind
        self.text = text
        self.at = at
        self.phone = phone
        self.citizenUserID = citizenUserID
    }
}

/// One way of telling citizens: the follow page, the inbox, an SMS or WeChat gateway, a test's
/// recorder. A sender that throws is asked again later; one that returned is never asked twice.
public protocol CitizenNoticeSender: Sendable {
    /// Its name in the delivery records: keep it stable.
    var name: String { get }
    func send(_ message: CitizenMessage) async throws
}

/// Passes on the notices the outbox wrote in their events' transactions: claims the due ones,
/// hands each to every sender that has not yet passed it on, and tries the failed ones again with
/// back-off. Several servers may run it on one database: a claim keeps the others off.
public struct CitizenNotifier: Sendable {
    /// The follow page's sender: the page lists the notices it passed on.
    public static let followPage = "followPage"
    static let batchSize = 32
    static let lease: TimeInterval = 60

    let services: OneGridServices
    let senders: [any CitizenNoticeSender]

    /// - Parameter senders: besides the follow page and the inbox, which are always there.
    public init(services: OneGridServices, senders: [any CitizenNoticeSender]) {
        self.services = services
        self.senders = [FollowPageSender(), InboxSender(inbox: SQLInboxStore(database: services.database))] + senders
    }

    /// One round: every notice due at `now` (up to a batch). - Returns: how many were handled.
    @discardableResult
    public func deliverDue(now: Date) async throws -> Int {
        let store = services.citizens
        let due = try await store.claimDueNotices(now: now, limit: Self.batchSize, lease: Self.lease)
        let done = try await store.senders(ofNotices: due.map(\.id))
        for notice in due {
            var failures: [String] = []
            if let message = try await message(for: notice) {
                for sender in senders where !(done[notice.id]?.contains(sender.name) ?? false) {
                    do {
                        try await sender.send(message)
                        try await store.markSent(noticeID: notice.id, sender: sender.name, at: now)
                    } catch {
                        failures.append("\(sender.name): \(String(describing: error).prefix(200))")
                    }
                }
            }
            if failures.isEmpty {
                try await store.markDelivered(noticeID: notice.id, at: now)
            } else {
                let attempts = notice.attempts + 1
                try await store.markFailed(
                    noticeID: notice.id, error: failures.joined(separator: "; "), attempts: attempts,
                    nextAttemptAt: DeliveryBackoff.retryDelay(afterAttempt: attempts).map { now.addingTimeInterval($0) })
                services.logger.warning(
                    "a citizen notice was not passed on", metadata: ["notice": "\(notice.id)", "attempts": "\(attempts)"])
            }
        }
        return due.count
    }

    /// The message of a notice; nil when its case is gone (nothing to tell).
    func message(for notice: CitizenNotice) async throws -> CitizenMessage? {
        guard let record = try await services.cases.record(id: notice.caseID) else { return nil }
        let number = CaseNumber.of(id: record.id, createdAt: record.createdAt, calendar: services.calendar)
        // The portal stands in as its reports' account: their reporter has no inbox.
        let portalReport = try await services.citizens.report(caseID: record.id) != nil
        return CitizenMessage(
            noticeID: notice.id, caseID: record.id, caseNumber: number, kind: notice.kind, text: notice.kind.message(caseNumber: number),
            at: notice.at, phone: record.reporter.phone, citizenUserID: portalReport ? nil : record.reporter.userID)
    }
}

/// The follow page: it lists what this sender passed on, so passing on is all there is to do.
struct FollowPageSender: CitizenNoticeSender {
    var name: String { CitizenNotifier.followPage }
    func send(_ message: CitizenMessage) async throws {}
}

/// A signed-in citizen's inbox (`GET /api/v1/inbox`), for the cases they reported themselves.
struct InboxSender: CitizenNoticeSender {
    let inbox: any InboxStore
    var name: String { "inbox" }

    func send(_ message: CitizenMessage) async throws {
        guard let userID = message.citizenUserID else { return }
        try await inbox.add(userID: userID, caseID: message.caseID, kind: NoticeKind(message.kind), message: message.text, at: message.at)
    }
}

/// A sender that sends nothing and keeps what it was given: what tests and a dry run look at.
public final class RecordingNoticeSender: CitizenNoticeSender {
    private let kept = Mutex<[CitizenMessage]>([])
    public let name: String

    public init(name: String = "recording") {
        self.name = name
    }

    public func send(_ message: CitizenMessage) async throws {
        kept.withLock { $0.append(message) }
    }

    /// Everything it was given, in order.
    public var messages: [CitizenMessage] { kept.withLock { $0 } }
}

/// How long to wait before trying an outgoing delivery again: 10 s after the first failure,
/// doubling, at most an hour; nil after the last of `maxAttempts` (about 21 minutes of trying).
public enum DeliveryBackoff {
    public static let maxAttempts = 8

    public static func retryDelay(afterAttempt attempt: Int) -> TimeInterval? {
        guard attempt < maxAttempts else { return nil }
        return min(10 * pow(2, Double(attempt - 1)), 3600)
    }
}
