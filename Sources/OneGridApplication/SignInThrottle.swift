public import Foundation
import Synchronization

/// Slows down, then briefly locks, repeated wrong passwords, per account and per address, in
/// this process (both the pages' sign-in and the API's POST /session go through it).
///
/// The limits keep guessing slow without letting an attacker lock a real user out for long:
/// the first failures cost nothing, then each waits twice as long as the one before, and a run
/// of `lockAfter` failures locks for `lockDuration`, which lifts by itself. An account never
/// takes more than `hourlyLimit` failures an hour however the attempts are spread. An address
/// (a whole office may share one) gets limits ten times as wide.
public final class SignInThrottle: Sendable {
    public struct Limits: Sendable {
        /// Failures that cost nothing.
        public var free = 3
        /// Failures within `window` that lock.
        public var lockAfter = 10
        public var window: TimeInterval = 15 * 60
        public var lockDuration: TimeInterval = 10 * 60
        public var hourlyLimit = 100

        public init() {}

        /// An address stands for many people at once.
        var forAddress: Limits {
            var limits = self
            limits.free *= 10
            limits.lockAfter *= 10
            limits.hourlyLimit *= 10
            return limits
        }
    }

    private let limits: Limits
    /// Failures in the last hour, oldest first, per "account:<name>" or "address:<ip>".
    private let failures = Mutex<[String: [Date]]>([:])

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Throws `SignInThrottled` while the account or the address must wait.
    public func check(username: String, address: String?, now: Date) throws(SignInThrottled) {
        let waits = failures.withLock { failures in
            keys(username, address).map { key, limits in wait(failures[key] ?? [], limits: limits, now: now) }
        }
        if let longest = waits.max(), longest > 0 { throw SignInThrottled(retryAfter: longest.rounded(.up)) }
    }

    public func recordFailure(username: String, address: String?, now: Date) {
        failures.withLock { failures in
            // Bounded: a flood of made-up names cannot grow the table without limit.
            if failures.count > 100_000 { failures = failures.filter { $0.value.last.map { now.timeIntervalSince($0) < 3600 } ?? false } }
            for (key, _) in keys(username, address) {
                var list = (failures[key] ?? []).filter { now.timeIntervalSince($0) < 3600 }
                list.append(now)
                failures[key] = list
            }
        }
    }

    /// The right password ends the account's run of failures (not the address's: one user's
    /// success says nothing of the others guessing from there).
    public func recordSuccess(username: String) {
        _ = failures.withLock { $0.removeValue(forKey: Self.accountKey(username)) }
    }

    private func keys(_ username: String, _ address: String?) -> [(String, Limits)] {
        [(Self.accountKey(username), limits)] + (address.map { [("address:" + $0, limits.forAddress)] } ?? [])
    }

    private static func accountKey(_ username: String) -> String {
        "account:" + username.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Seconds still to wait before the next attempt is heard.
    private func wait(_ list: [Date], limits: Limits, now: Date) -> TimeInterval {
        let hour = list.filter { now.timeIntervalSince($0) < 3600 }
        if hour.count >= limits.hourlyLimit, let oldest = hour.first { return oldest.addingTimeInterval(3600).timeIntervalSince(now) }
        let recent = hour.filter { now.timeIntervalSince($0) < limits.window }
        guard let last = recent.last, recent.count >= limits.free else { return 0 }
        if recent.count >= limits.lockAfter { return last.addingTimeInterval(limits.lockDuration).timeIntervalSince(now) }
        let delay = min(limits.lockDuration, pow(2, Double(recent.count - limits.free)))
        return last.addingTimeInterval(delay).timeIntervalSince(now)
    }
}

/// Too many wrong passwords lately: try again after `retryAfter` seconds.
public struct SignInThrottled: Error, Sendable {
    public let retryAfter: TimeInterval
}
