public import Crypto
public import Foundation
import OneGridDomain
import SQLKit
import Synchronization

/// A checkpoint of every hash chain's head at one moment, signed with a key kept outside the
/// database, the way Certificate Transparency signs its tree heads: someone who can write to the
/// database can recompute a whole timeline so that it verifies again, but not the checkpoints an
/// auditor copied away, so the rewritten chain no longer passes through the head they recorded.
///
/// Each checkpoint lists only the heads of the timelines that changed since the one before
/// (their events' ids lie past the previous checkpoint's last), plus the administrators' log's
/// head, and chains to the previous one through `root`. At millions of cases a checkpoint then
/// costs what changed in its interval, not a pass over every case, while the series of
/// checkpoints together covers every chain: a head recorded once stays a point its chain must
/// pass through for good (each event's hash covers all before it). A checkpoint covers at most
/// `OneGridDatabase.checkpointEvents` events, so a database's first (every head once) or a
/// busy interval is signed as several checkpoints, each of bounded size: one of 953,616 heads
/// took about 480 MB of a server's memory and a 79 MB file.
public struct AuditCheckpoint: Codable, Sendable, Hashable {
    /// 1, 2, 3 … per database.
    public var sequence: Int64
    public var atMillis: Int64
    /// The heads are those of timelines with an event whose id lies in (`sinceEventID`, `throughEventID`].
    public var sinceEventID: Int64
    public var throughEventID: Int64
    /// "caseID:sequence:hash", by case id.
    public var heads: [String]
    /// The administrators' log's head: "sequence:hash".
    public var adminLog: String
    public var previousRoot: String
    /// SHA-256 over the previous root and everything above: one value that stands for the whole
    /// series up to this checkpoint.
    public var root: String

    /// The bytes the root covers: every field but the root, keys sorted.
    var rootedBytes: [UInt8] {
        CanonicalJSON.object([
            ("sequence", .integer(sequence)), ("atMillis", .integer(atMillis)), ("sinceEventID", .integer(sinceEventID)),
            ("throughEventID", .integer(throughEventID)), ("heads", .string(heads.joined(separator: ","))),
            ("adminLog", .string(adminLog)), ("previousRoot", .string(previousRoot)),
        ])
    }

    var computedRoot: String { SHA256.hash(data: rootedBytes).hexEncoded }
}

/// A checkpoint with its Ed25519 signature and the public key to check it with, as written to
/// its file. An auditor pins the key (`publicKey`) the first time and compares it after.
public struct SignedCheckpoint: Codable, Sendable, Hashable {
    public var checkpoint: AuditCheckpoint
    /// Base64 of the raw 32-byte Ed25519 public key.
    public var publicKey: String
    /// Base64 of the signature over the checkpoint's root bytes and root.
    public var signature: String

    public init(signing checkpoint: AuditCheckpoint, with key: Curve25519.Signing.PrivateKey) throws {
        self.checkpoint = checkpoint
        self.publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        self.signature = try key.signature(for: Self.signed(checkpoint)).base64EncodedString()
    }

    private static func signed(_ checkpoint: AuditCheckpoint) -> Data {
        Data(checkpoint.rootedBytes + Array(checkpoint.root.utf8))
    }

    /// Whether the signature holds and the root is the checkpoint's own.
    public var isValid: Bool {
        guard let keyBytes = Data(base64Encoded: publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            let signatureBytes = Data(base64Encoded: signature)
        else { return false }
        return checkpoint.root == checkpoint.computedRoot && key.isValidSignature(signatureBytes, for: Self.signed(checkpoint))
    }

    /// The file's bytes: JSON, keys sorted, so the same checkpoint is always the same file.
    public func document() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public init(document: Data) throws {
        self = try JSONDecoder().decode(Self.self, from: document)
    }
}

extension OneGridDatabase {
    /// How far back each checkpoint looks before the previous one's last event id. On PostgreSQL
    /// an event's id is drawn before its transaction commits, so one committed just after a
    /// checkpoint may carry an id below that checkpoint's last; looking back this many ids takes
    /// it in at the next checkpoint (its head is then listed twice, which costs nothing).
    static let checkpointOverlap: Int64 = 10_000
    /// The most events one checkpoint covers past the previous one's last: its heads are at
    /// most this many plus the overlap's, about 3 MB of file. A busy hour is signed as several
    /// checkpoints in a row, each held in memory while it is signed and stored (about 400 bytes
    /// a head, in its lines, root, document and the database's copy): at 100,000 a soak's hour
    /// of 2.6 million reports put 70 MB on the server for the minute it took.
    public static let checkpointEvents = 20_000

    /// The next checkpoint: the heads of the timelines changed since the last one stored, up to
    /// `events` events past it, and the administrators' log's head, with whether it reaches the
    /// latest event. Unsigned; `store` keeps it once signed.
    public func draftCheckpoint(at now: Date, events: Int = checkpointEvents) async throws -> (checkpoint: AuditCheckpoint, isLatest: Bool) {
        struct Last: Decodable {
            var sequence: Int64
            var throughEventId: Int64
            var root: String
        }
        let last = try await reader.select().columns("sequence", "through_event_id", "root").from("audit_checkpoints")
            .orderBy("sequence", .descending).limit(1).first(decoding: Last.self, with: .snake)
        let previousThrough = last?.throughEventId ?? 0
        let highest = try await reader.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "id").from("case_events")
            .first(decodingColumn: "id", as: Int64?.self)
        // The `events`-th event past the previous checkpoint, by the primary key's order.
        let bound = try await reader.select().column("id").from("case_events").where("id", .greaterThan, previousThrough)
            .orderBy("id").limit(1).offset(max(0, events - 1)).first(decodingColumn: "id", as: Int64.self)
        let latest: Int64 = (highest ?? nil) ?? 0
        let through = min(bound ?? latest, latest)
        let since = max(0, previousThrough - Self.checkpointOverlap)
        struct Head: Decodable {
            var caseId: Int64
            var sequence: Int
            var hash: String
        }
        // Each row is made its line as it comes: all the rows, then all the decoded heads, held
        // at once took about 700 bytes a head, 70 MB for a checkpoint of 100,000 events.
        let lines = HeadLines()
        try await reader.raw(
            """
            SELECT e.case_id, e.sequence, e.hash FROM case_events e
            JOIN (SELECT case_id, MAX(sequence) AS sequence FROM case_events WHERE id > \(bind: since) AND id <= \(bind: through)
                  GROUP BY case_id) h ON e.case_id = h.case_id AND e.sequence = h.sequence
            ORDER BY e.case_id
            """
        ).run { row in
            lines.add {
                let head = try row.decode(model: Head.self, with: .snake)
                return "\(head.caseId):\(head.sequence):\(head.hash)"
            }
        }
        let heads = try lines.all()
        let adminLog = try await AdminLog.head(in: self)
        var checkpoint = AuditCheckpoint(
            sequence: (last?.sequence ?? 0) + 1, atMillis: now.millisecondsSince1970, sinceEventID: since, throughEventID: through,
            heads: heads, adminLog: "\(adminLog.sequence):\(adminLog.hash)",
            previousRoot: last?.root ?? TimelineEvent.genesisHash, root: "")
        checkpoint.root = checkpoint.computedRoot
        return (checkpoint, through == latest)
    }

    /// Keeps a signed checkpoint; false when another server stored one of that number first
    /// (its draft then starts again from that one).
    public func store(_ signed: SignedCheckpoint) async throws -> Bool {
        let checkpoint = signed.checkpoint
        let document = String(decoding: try signed.document(), as: UTF8.self)
        return try await transaction { db in
            let taken = try await db.select().column("sequence").from("audit_checkpoints").where("sequence", .equal, checkpoint.sequence)
                .first()
            guard taken == nil else { return false }
            try await db.insert(into: "audit_checkpoints").columns("sequence", "at", "through_event_id", "root", "document")
                .values(
                    SQLBind(checkpoint.sequence), SQLBind(checkpoint.atMillis), SQLBind(checkpoint.throughEventID), SQLBind(checkpoint.root),
                    SQLBind(document)
                ).run()
            return true
        }
    }

    /// Where the record no longer passes through a checkpoint's heads: a timeline or the
    /// administrators' log rewritten (and re-hashed) after it was signed, or cut short.
    public func verify(against signed: SignedCheckpoint) async throws -> [String] {
        let checkpoint = signed.checkpoint
        guard signed.isValid else { return ["checkpoint \(checkpoint.sequence): the signature or the root does not hold"] }
        var findings: [String] = []
        for chunk in checkpoint.heads.chunked(into: 500) {
            let heads = chunk.compactMap { head -> (caseID: Int64, sequence: Int, hash: String)? in
                let parts = head.split(separator: ":")
                guard parts.count == 3, let caseID = Int64(parts[0]), let sequence = Int(parts[1]) else { return nil }
                return (caseID, sequence, String(parts[2]))
            }
            struct Event: Decodable, Hashable {
                var caseId: Int64
                var sequence: Int
                var hash: String
            }
            let stored = Set(
                try await reader.select().columns("case_id", "sequence", "hash").from("case_events")
                    .where("case_id", .in, heads.map(\.caseID)).where("sequence", .in, Array(Set(heads.map(\.sequence))))
                    .all(decoding: Event.self, with: .snake)
                    .map { "\($0.caseId):\($0.sequence):\($0.hash)" })
            for head in heads where !stored.contains("\(head.caseID):\(head.sequence):\(head.hash)") {
                findings.append(
                    "case \(head.caseID) event \(head.sequence): the timeline no longer passes through the head signed in checkpoint \(checkpoint.sequence)"
                )
            }
        }
        let parts = checkpoint.adminLog.split(separator: ":")
        if parts.count == 2, let sequence = Int64(parts[0]), sequence > 0 {
            let hash = try await reader.select().column("hash").from("admin_acts").where("sequence", .equal, sequence)
                .first(decodingColumn: "hash", as: String.self)
            if hash != String(parts[1]) {
                findings.append(
                    "administrators' act \(sequence): the log no longer passes through the head signed in checkpoint \(checkpoint.sequence)")
            }
        }
        return findings
    }
}

/// The heads' lines as a query hands its rows over, or the first row that failed to decode.
private final class HeadLines: Sendable {
    private let state = Mutex<(lines: [String], failure: (any Error)?)>(([], nil))

    func add(_ line: () throws -> String) {
        state.withLock { state in
            guard state.failure == nil else { return }
            do { state.lines.append(try line()) } catch { state.failure = error }
        }
    }

    func all() throws -> [String] {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            return state.lines
        }
    }
}
