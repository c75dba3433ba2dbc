import Crypto
import Foundation
public import OneGridDomain

public enum TimelineHasher {
    /// SHA-256 over the event's canonical bytes, which include the previous event's hash.
    public static func hash(_ event: TimelineEvent) -> String {
        SHA256.hash(data: event.canonicalBytes).map { String(format: "%02x", $0) }.joined()
    }

    public static func seal(_ event: TimelineEvent) -> StoredEvent {
        StoredEvent(event: event, hash: hash(event))
    }
}
