import Crypto
public import Foundation
public import OneGridStore

/// Signs checkpoints of every hash chain's head (`AuditCheckpoint`) with a key kept in a file
/// outside the database, and writes each as a JSON file in a folder an auditor copies; the
/// database keeps them too, so every server continues the same series.
public struct AuditCheckpoints: Sendable {
    let database: OneGridDatabase
    let key: Curve25519.Signing.PrivateKey
    let folder: URL

    /// Reads the signing key at `keyPath`, or makes one there (readable by its owner only) when
    /// there is none yet, and makes `folder` if needed.
    public init(database: OneGridDatabase, keyPath: String, folder: String) throws {
        self.database = database
        self.key = try Self.key(at: URL(fileURLWithPath: keyPath))
        self.folder = URL(fileURLWithPath: folder, isDirectory: true)
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
    }

    /// Signs and keeps checkpoints up to the latest event, as many as its events need (each
    /// covers at most `events`), and returns their files; it stops early, returning those
    /// written, when another server writes the next checkpoint at the same moment.
    @discardableResult
    public func checkpoint(at now: Date, events: Int = OneGridDatabase.checkpointEvents) async throws -> [URL] {
        var files: [URL] = []
        while true {
            let draft = try await database.draftCheckpoint(at: now, events: events)
            let signed = try SignedCheckpoint(signing: draft.checkpoint, with: key)
            guard try await database.store(signed) else { return files }
            let file = folder.appendingPathComponent(String(format: "checkpoint-%08lld.json", signed.checkpoint.sequence))
            try signed.document().write(to: file, options: .atomic)
            files.append(file)
            if draft.isLatest { return files }
        }
    }

    private static func key(at url: URL) throws -> Curve25519.Signing.PrivateKey {
        if let stored = try? Data(contentsOf: url) {
            guard let raw = Data(base64Encoded: String(decoding: stored, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            else { throw CheckpointKeyUnreadable(path: url.path) }
            return key
        }
        let key = Curve25519.Signing.PrivateKey()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Created with owner-only permissions before the key is written into it.
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CheckpointKeyUnreadable(path: url.path)
        }
        try Data((key.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: url)
        return key
    }
}

/// The signing key's file exists but holds no Ed25519 key, or cannot be made.
public struct CheckpointKeyUnreadable: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path) is not a OneGrid checkpoint key (base64 of a raw Ed25519 private key), nor could one be made there" }
}
