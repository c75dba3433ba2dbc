import Crypto
import Foundation
import OneGridDomain

enum TimelineHasher {
    /// SHA-256 over the event's canonical bytes, which include the previous event's hash.
    static func hash(_ event: TimelineEvent) -> String {
        SHA256.hash(data: event.canonicalBytes).map { String(format: "%02x", $0) }.joined()
    }

    static func seal(_ event: TimelineEvent) -> StoredEvent {
        StoredEvent(event: event, hash: hash(event))
    }
}
