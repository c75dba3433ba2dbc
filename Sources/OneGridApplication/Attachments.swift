public import Foundation
import Crypto
import OneGridDomain

/// A photo, a recording or a document kept with a step (at intake, feedback or verification):
/// stored outside the database under its SHA-256, and named in the step's timeline entry by that
/// checksum with its kind, size and the name it was sent under.
public struct Attachment: Sendable, Equatable {
    /// The kinds accepted, each recognised by its first bytes, never by its name.
    public enum Kind: String, Sendable, CaseIterable {
        /// `webm` and `ogg`: what a browser's MediaRecorder makes of a voice note (Opus).
        case jpeg, png, webp, mp3, m4a, amr, webm, ogg, pdf

        public var mediaType: String {
            switch self {
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            case .webp: "image/webp"
            case .mp3: "audio/mpeg"
            case .m4a: "audio/mp4"
            case .amr: "audio/amr"
            case .webm: "audio/webm"
            case .ogg: "audio/ogg"
            case .pdf: "application/pdf"
            }
        }

        public var isPhoto: Bool { [.jpeg, .png, .webp].contains(self) }

        /// The kind the content is, or nil when it is none of the accepted ones.
        static func recognise(_ bytes: [UInt8]) -> Kind? {
            func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
                bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
            }
            if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
            if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
            if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
            if starts(Array("%PDF-".utf8)) { return .pdf }
            if starts(Array("#!AMR".utf8)) { return .amr }
            if starts(Array("ftyp".utf8), at: 4), starts(Array("M4A ".utf8), at: 8) { return .m4a }
            if starts(Array("OggS".utf8)) { return .ogg }
            // Matroska's EBML header, whose DocType (within its first bytes) says WebM.
            if starts([0x1A, 0x45, 0xDF, 0xA3]), bytes.prefix(64).indices.contains(where: { starts(Array("webm".utf8), at: $0) }) { return .webm }
            // An MP3 starts with its ID3 tag or straight with a frame's sync bits.
            if starts(Array("ID3".utf8)) || (bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) { return .mp3 }
            return nil
        }
    }

    public var sha256: String
    public var kind: Kind
    public var size: Int
    public var name: String

    /// The line the timeline's `evidence` keeps: `sha256 kind size name`.
    public var evidence: String { "\(sha256) \(kind.rawValue) \(size) \(name)" }

    /// An attachment as a timeline's evidence line names it; nil for a line that names none
    /// (evidence written by hand, as the API takes it).
    public init?(evidence line: String) {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, AttachmentStore.isChecksum(parts[0]), let kind = Kind(rawValue: parts[1]), let size = Int(parts[2]) else {
            return nil
        }
        self.init(sha256: parts[0], kind: kind, size: size, name: parts[3])
    }

    public init(sha256: String, kind: Kind, size: Int, name: String) {
        self.sha256 = sha256
        self.kind = kind
        self.size = size
        self.name = name
    }
}

/// The folder attachments are kept in, each file named by its SHA-256, so the same photo sent
/// twice is kept once and a file's name can never reach outside the folder.
public struct AttachmentStore: Sendable {
    public let directory: URL
    /// The largest file accepted, in bytes.
    public let limit: Int

    public static let defaultLimit = 10 * 1024 * 1024

    public init(directory: URL, limit: Int = Self.defaultLimit) {
        self.directory = directory
        self.limit = limit
    }

    /// The folder beside an SQLite file (`onegrid.sqlite` → `onegrid-files/`).
    public static func beside(database path: String) -> URL {
        let file = URL(fileURLWithPath: path)
        return file.deletingLastPathComponent().appendingPathComponent(file.deletingPathExtension().lastPathComponent + "-files")
    }

    /// Checks a file sent in `field` and keeps it; refuses, naming the field, what is too large
    /// or not one of the accepted kinds.
    public func keep(_ bytes: [UInt8], name: String, field: String) throws -> Attachment {
        let shown = name.isEmpty ? field : name
        guard !bytes.isEmpty else { throw DomainError.invalid(field: field, "\(shown) is empty") }
        guard bytes.count <= limit else {
            throw DomainError.invalid(field: field, "\(shown) is \(Self.megabytes(bytes.count)); a file is at most \(Self.megabytes(limit))")
        }
        guard let kind = Attachment.Kind.recognise(bytes) else {
            throw DomainError.invalid(
                field: field, "\(shown) is not a photo (JPEG, PNG, WebP), a recording (MP3, M4A, AMR, WebM, Ogg) or a PDF document")
        }
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent(sha)
        if !FileManager.default.fileExists(atPath: target.path) {
            // Written aside and moved in whole, so a reader never sees half a file.
            let partial = directory.appendingPathComponent(sha + ".part-" + UUID().uuidString)
            try Data(bytes).write(to: partial)
            do {
                try FileManager.default.moveItem(at: partial, to: target)
            } catch where FileManager.default.fileExists(atPath: target.path) {
                try? FileManager.default.removeItem(at: partial)
            }
        }
        // Only the last part of a path a browser sent, and no line break to split the evidence line.
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(base.filter { !$0.isNewline }.prefix(200))
        return Attachment(sha256: sha, kind: kind, size: bytes.count, name: clean.isEmpty ? "\(kind.rawValue)" : clean)
    }

    /// The bytes of a kept file, or nil when none is kept under that checksum.
    public func read(_ sha256: String) -> Data? {
        guard Self.isChecksum(sha256) else { return nil }
        return FileManager.default.contents(atPath: directory.appendingPathComponent(sha256).path)
    }

    static func isChecksum(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
