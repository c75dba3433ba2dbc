import Foundation
public import Logging
import OneGridDomain
import Synchronization

/// Log lines as one JSON object each, for a log collector (Loki, Elasticsearch, journald's
/// fields): `{"time":…,"level":…,"label":…,"message":…,"hb.request.id":…,…}`. Every line a
/// request causes carries its request id (Hummingbird puts `hb.request.id` in the request's
/// logger), so one request's lines can be found together. `onegrid serve --log-format json`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable ([UInt8]) -> Void

    /// Lines to standard output, written whole: lines of several threads never interleave.
    public init(label: String) {
        self.init(label: label) { line in
            standardOutput.withLock { _ in FileHandle.standardOutput.write(Data(line)) }
        }
    }

    init(label: String, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata given: Logger.Metadata?, source: String, file: String, function: String,
        line number: UInt
    ) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given { merged.merge(given) { _, new in new } }
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(UInt8(ascii: "{"))
        func member(_ key: String, _ value: String) {
            if line.count > 1 { line.append(UInt8(ascii: ",")) }
            CanonicalJSON.appendString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            CanonicalJSON.appendString(value, to: &line)
        }
        member("time", Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        member("level", level.rawValue)
        member("label", label)
        member("message", message.description)
        // Fields of the line itself keep their names; metadata may not overwrite them.
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where !["time", "level", "label", "message"].contains(key) {
            member(key, value.description)
        }
        line.append(contentsOf: "}\n".utf8)
        write(line)
    }
}

private let standardOutput = Mutex(())
