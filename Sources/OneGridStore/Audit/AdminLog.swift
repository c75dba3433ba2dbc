import Crypto
public import Foundation
public import OneGridDomain
import SQLKit
import Synchronization

/// One act of an administrator (or of anyone revealing personal data): who, from which post,
/// when, what, on what. Kept in `admin_acts`, one append-only hash chain like a case's timeline.
public struct AdminAct: Sendable, Hashable {
    public var sequence: Int64
    public var atMillis: Int64
    public var userID: Int64
    public var postID: Int64
    /// What was done, "<thing>.<verb>": "user.create", "area.retire", "case.reveal" …
    public var act: String
    /// What it was done to: "user 42", "area 370102", "case 7".
    public var subject: String
    public var details: [String: String]
    public var previousHash: String

    /// An act about to be done; its place in the chain is given when it is written.
    public init(act: String, subject: String, details: [String: String] = [:], by principal: Principal, at now: Date) {
        self.init(
            sequence: 0, atMillis: now.millisecondsSince1970, userID: principal.user.id, postID: principal.post.id, act: act,
            subject: subject, details: details, previousHash: TimelineEvent.genesisHash)
    }

    init(
        sequence: Int64, atMillis: Int64, userID: Int64, postID: Int64, act: String, subject: String, details: [String: String],
        previousHash: String
    ) {
        self.sequence = sequence
        self.atMillis = atMillis
        self.userID = userID
        self.postID = postID
        self.act = act
        self.subject = subject
        self.details = details
        self.previousHash = previousHash
    }

    /// SHA-256 over every field, the previous act's hash included, as a timeline event's is.
    public var hash: String {
        SHA256.hash(
            data: CanonicalJSON.object([
                ("sequence", .integer(sequence)), ("atMillis", .integer(atMillis)), ("userID", .integer(userID)),
                ("postID", .integer(postID)), ("act", .string(act)), ("subject", .string(subject)), ("details", .object(details)),
                ("previousHash", .string(previousHash)),
            ])
        ).hexEncoded
    }
}

/// The administrators' acts, written in the same transaction as the act itself: a use case runs
/// its store call inside `recording(_:)`, and the first transaction the call opens
/// (`OneGridDatabase.transaction`) appends the act before it commits. So an act is in the log
/// exactly when its change is in the database, without every store method taking the act as an
/// argument.
public enum AdminLog {
    /// An act waiting for the transaction that makes its change.
    final class Pending: Sendable {
        let act: AdminAct
        private let written = Atomic<Bool>(false)

        init(_ act: AdminAct) { self.act = act }

        /// True once, for the transaction that writes the act.
        func claim() -> Bool { !written.exchange(true, ordering: .acquiringAndReleasing) }
    }

    @TaskLocal static var pending: Pending?

    /// Runs `change` so that the first transaction it opens on `database` also records `act`. A
    /// change that opened none (it changed nothing stored) is still recorded, in a transaction of
    /// its own.
    public static func recording<T: Sendable>(
        _ act: AdminAct, on database: OneGridDatabase, _ change: () async throws -> T
    ) async throws -> T {
        let pending = Pending(act)
        let value = try await $pending.withValue(pending) { try await change() }
        if pending.claim() { try await database.transaction { db in try await append(act, on: db) } }
        return value
    }

    /// Appends to the chain inside the caller's transaction. The head row's update comes first:
    /// it serialises appends across servers (PostgreSQL holds its row lock to the commit).
    static func append(_ act: AdminAct, on db: any SQLDatabase) async throws {
        struct Head: Decodable {
            var sequence: Int64
            var hash: String
        }
        guard
            let head = try await db.update("admin_log_head").set("sequence", to: SQLRaw("sequence + 1")).where("id", .equal, 1)
                .returning("sequence", "hash").first(decoding: Head.self)
        else { throw AdminLogMissing() }
        var act = act
        act.sequence = head.sequence
        act.previousHash = head.hash
        let hash = act.hash
        try await db.insert(into: "admin_acts")
            .columns("sequence", "at", "user_id", "post_id", "act", "subject", "details", "previous_hash", "hash")
            .values(
                SQLBind(act.sequence), SQLBind(act.atMillis), SQLBind(act.userID), SQLBind(act.postID), SQLBind(act.act),
                SQLBind(act.subject), SQLBind(CanonicalJSON.object(act.details)), SQLBind(act.previousHash), SQLBind(hash)
            ).run()
        try await db.update("admin_log_head").set("hash", to: SQLBind(hash)).where("id", .equal, 1).run()
    }

    struct Row: Decodable {
        var sequence: Int64
        var at: Int64
        var userId: Int64
        var postId: Int64
        var act: String
        var subject: String
        var details: String
        var previousHash: String
        var hash: String

        func decoded() throws -> AdminAct {
            AdminAct(
                sequence: sequence, atMillis: at, userID: userId, postID: postId, act: act, subject: subject,
                details: try JSONDecoder().decode([String: String].self, from: Data(details.utf8)), previousHash: previousHash)
        }
    }

    /// The acts from `after` on, oldest first, at most `limit`.
    public static func acts(after: Int64 = 0, limit: Int = 100, in database: OneGridDatabase) async throws -> [AdminAct] {
        try await database.reader.select().columns("*").from("admin_acts").where("sequence", .greaterThan, after)
            .orderBy("sequence").limit(limit).all(decoding: Row.self, with: .snake).map { try $0.decoded() }
    }

    /// The chain's head as stored: how many acts, and the last one's hash.
    public static func head(in database: OneGridDatabase) async throws -> (sequence: Int64, hash: String) {
        let row = try await database.reader.select().columns("sequence", "hash").from("admin_log_head").where("id", .equal, 1).first()
        return (try row?.decode(column: "sequence", as: Int64.self) ?? 0, try row?.decode(column: "hash", as: String.self) ?? TimelineEvent.genesisHash)
    }

    /// Recomputes the chain; each finding names the act. Reads a page at a time.
    public static func verify(in database: OneGridDatabase) async throws -> (checkedActs: Int, findings: [String]) {
        var findings: [String] = []
        var previous = TimelineEvent.genesisHash
        var expected: Int64 = 1
        while true {
            let rows = try await database.reader.select().columns("*").from("admin_acts").where("sequence", .greaterThanOrEqual, expected)
                .orderBy("sequence").limit(1000).all(decoding: Row.self, with: .snake)
            guard !rows.isEmpty else { break }
            for row in rows {
                if row.sequence != expected {
                    findings.append("administrators' act \(expected): removed (the log jumps to \(row.sequence))")
                    return (Int(expected - 1), findings)
                }
                guard let act = try? row.decoded() else {
                    findings.append("administrators' act \(row.sequence): unreadable")
                    return (Int(expected), findings)
                }
                if row.previousHash != previous {
                    findings.append("administrators' act \(row.sequence): chain broken: previous hash does not match")
                }
                if act.hash != row.hash {
                    findings.append("administrators' act \(row.sequence): edited: content does not match its hash")
                }
                previous = row.hash
                expected += 1
            }
        }
        let head = try await head(in: database)
        if head.sequence != expected - 1 {
            findings.append("the administrators' log records \(head.sequence) acts, it holds \(expected - 1)")
        } else if head.hash != previous {
            findings.append("the administrators' log's last hash differs from its record")
        }
        return (Int(expected - 1), findings)
    }
}

struct AdminLogMissing: Error, CustomStringConvertible {
    var description: String { "the administrators' log has no head row: is migration 013 applied?" }
}
