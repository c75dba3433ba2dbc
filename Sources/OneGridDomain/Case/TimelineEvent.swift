public import Foundation

/// One entry of a case's timeline: who did what, from which post, when. The timeline is
/// append-only and chained: each entry's hash covers its content and the previous entry's hash,
/// so an edited or removed entry breaks every hash after it.
public struct TimelineEvent: Codable, Sendable, Hashable {
    public var caseID: Int64
    /// 1 for the report, then one more per action.
    public var sequence: Int
    public var action: CaseAction
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus
    public var actorUserID: Int64?
    public var actorPostID: Int64?
    public var actorRole: Role?
    /// Milliseconds since 1970: an integer stores identically in SQLite and PostgreSQL, so the
    /// hash recomputed from the database matches the one written.
    public var atMillis: Int64
    public var note: String?
    public var details: [String: String]
    public var previousHash: String

    public init(
        caseID: Int64, sequence: Int, action: CaseAction, fromStatus: CaseStatus?, toStatus: CaseStatus,
        actorUserID: Int64?, actorPostID: Int64?, actorRole: Role?, atMillis: Int64, note: String?,
        details: [String: String], previousHash: String
    ) {
        self.caseID = caseID
        self.sequence = sequence
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actorUserID = actorUserID
        self.actorPostID = actorPostID
        self.actorRole = actorRole
        self.atMillis = atMillis
        self.note = note
        self.details = details
        self.previousHash = previousHash
    }

    /// The bytes the hash covers: every field, keys sorted, so the same event always hashes alike.
    public var canonicalBytes: [UInt8] {
        CanonicalJSON.object([
            ("caseID", .integer(caseID)), ("sequence", .integer(Int64(sequence))), ("action", .string(action.rawValue)),
            ("fromStatus", fromStatus.map { .string($0.rawValue) }), ("toStatus", .string(toStatus.rawValue)),
            ("actorUserID", actorUserID.map { .integer($0) }), ("actorPostID", actorPostID.map { .integer($0) }),
            ("actorRole", actorRole.map { .string($0.rawValue) }), ("atMillis", .integer(atMillis)),
            ("note", note.map { .string($0) }), ("details", .object(details)), ("previousHash", .string(previousHash)),
        ])
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }

    /// The hash of the entry before the first one.
    public static let genesisHash = String(repeating: "0", count: 64)
}

extension Date {
    public var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(millisecondsSince1970 millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}

extension TimelineEvent {
    /// The first entry of every timeline: the report, through a channel, in a category.
    /// - Parameter evidence: what came with the report (photos, a voice note), a line each, as a
    ///   step's evidence is kept.
    public static func report(
        caseID: Int64, by post: Post?, atMillis: Int64, channel: Channel, categoryID: Int64, evidence: [String] = [],
        previousHash: String = genesisHash
    ) -> TimelineEvent {
        var details = ["channel": channel.rawValue, "categoryID": String(categoryID)]
        if !evidence.isEmpty { details["evidence"] = evidence.joined(separator: "\n") }
        return TimelineEvent(
            caseID: caseID, sequence: 1, action: .report, fromStatus: nil, toStatus: .reported, actorUserID: post?.userID,
            actorPostID: post?.id, actorRole: post?.role, atMillis: atMillis, note: nil, details: details, previousHash: previousHash)
    }

    /// The entry a step leaves: what the workflow decided, by whom (nobody for the sweeper), when.
    public init(_ transition: CaseTransition, caseID: Int64, sequence: Int, by post: Post?, atMillis: Int64, previousHash: String) {
        self.init(
            caseID: caseID, sequence: sequence, action: transition.action, fromStatus: transition.from,
            toStatus: transition.file.status, actorUserID: post?.userID, actorPostID: post?.id, actorRole: post?.role,
            atMillis: atMillis, note: transition.note, details: transition.details, previousHash: previousHash)
    }
}
