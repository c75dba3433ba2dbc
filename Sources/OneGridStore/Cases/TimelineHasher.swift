import Crypto
import Foundation
public import OneGridDomain

public enum TimelineHasher {
    /// SHA-256 over the event's canonical bytes, which include the previous event's hash.
    public static func hash(_ event: TimelineEvent) -> String {
        SHA256.hash(data: event.canonicalBytes).hexEncoded
    }

    public static func seal(_ event: TimelineEvent) -> StoredEvent {
        StoredEvent(event: event, hash: hash(event))
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex. A table lookup: `String(format: "%02x")` per byte cost more than the
    /// hashing itself when the demo seals millions of events.
    public var hexEncoded: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
