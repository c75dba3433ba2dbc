public import Foundation
public import OneGridStore

/// Slows down, then briefly locks, repeated wrong passwords, per account and per address, with
/// the failures counted in the database (`SignInFailures`) so the limits hold across every
/// server sharing it (both the pages' sign-in and the API's POST /session go through it).
///
/// The limits keep guessing slow without letting an attacker lock a real user out for long:
/// the first failures cost nothing, then each waits twice as long as the one before, and a run
/// of `lockAfter` failures locks for `lockDuration`, which lifts by itself. An account never
/// takes more than `hourlyLimit` failures an hour however the attempts are spread (OWASP ASVS
/// 5.0 §6.3.1). An address (a whole office may share one) gets limits ten times as wide.
public struct SignInThrottle: Sendable {
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

    /// An attempt heard: it counts as a failure until `succeeded` says otherwise.
    public struct Admission: Sendable {
        let attempt: String
        let account: String
    }

    private let failures: SignInFailures
    private let limits: Limits

    public init(database: OneGridDatabase, limits: Limits = Limits()) {
        self.failures = SignInFailures(database: database)
        self.limits = limits
    }

    /// Hears an attempt, counted as a failure from now on, or throws `SignInThrottled` while the
    /// account or the address must wait.
    public func admit(username: String, address: String?, now: Date) async throws -> Admission {
        let keys = keys(username, address)
        let limitsByKey = Dictionary(uniqueKeysWithValues: keys)
        let attempt = try await failures.admit(subjects: keys.map(\.0), at: now) { failures in
            let longest = failures.map { key, list in Self.wait(list, limits: limitsByKey[key] ?? limits, now: now) }.max() ?? 0
            if longest > 0 { throw SignInThrottled(retryAfter: longest.rounded(.up)) }
        }
        return Admission(attempt: attempt, account: keys[0].0)
    }

    /// The right password ends the account's run of failures (not the address's: one user's
    /// success says nothing of the others guessing from there, so only this attempt is taken back).
    public func succeeded(_ admission: Admission) async throws {
        try await failures.forgive(attempt: admission.attempt, ending: admission.account)
    }

    private func keys(_ username: String, _ address: String?) -> [(String, Limits)] {
        let account = "account:" + username.trimmingCharacters(in: .whitespaces).lowercased()
        return [(account, limits)] + (address.map { [("address:" + $0, limits.forAddress)] } ?? [])
    }

    /// Seconds still to wait before the next attempt is heard, given the failures of the last
    /// hour, oldest first.
    private static func wait(_ hour: [Date], limits: Limits, now: Date) -> TimeInterval {
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
