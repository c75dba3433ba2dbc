import Foundation
import Logging
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import Testing

/// Guessing at passwords: slowed, then locked for a while, never more than a hundred failures
/// an hour per account, counted in the database so every server sharing it applies the same limits.
@Suite struct SignInThrottleTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Admits an attempt at `now`, or says how long it must wait.
    static func admit(_ throttle: SignInThrottle, _ username: String, from address: String?, at now: Date) async throws -> TimeInterval? {
        do {
            _ = try await throttle.admit(username: username, address: address, now: now)
            return nil
        } catch let throttled as SignInThrottled {
            return throttled.retryAfter
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func wrongPasswordsSlowThenLockThenTheLockLifts(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            let throttle = SignInThrottle(database: database)
            for i in 0..<3 { #expect(try await Self.admit(throttle, "town1", from: "10.0.0.1", at: Self.start.addingTimeInterval(Double(i))) == nil) }
            #expect(try await Self.admit(throttle, "town1", from: nil, at: Self.start.addingTimeInterval(2.5)) != nil)
            // Retrying as soon as allowed: each wait twice the one before, until ten failures lock.
            var now = Self.start.addingTimeInterval(3)
            var waits: [TimeInterval] = []
            var heard = 3
            while heard < 10 {
                if let wait = try await Self.admit(throttle, "town1", from: "10.0.0.1", at: now) {
                    waits.append(wait)
                    now.addTimeInterval(wait)
                } else {
                    heard += 1
                }
            }
            #expect(waits == [2, 4, 8, 16, 32, 64], "\(waits)")
            let locked = try #require(try await Self.admit(throttle, "TOWN1", from: "10.9.9.9", at: now.addingTimeInterval(1)))
            #expect(locked > 500 && locked <= 600, "locked for ten minutes, from any address: \(locked)")
            // The lock lifts by itself within minutes: an attacker cannot keep a real user out for long.
            #expect(try await Self.admit(throttle, "town1", from: "10.9.9.9", at: now.addingTimeInterval(601)) == nil)
            // Another account from the same address is not locked by this one's failures.
            #expect(try await Self.admit(throttle, "village1", from: "10.0.0.1", at: now.addingTimeInterval(1)) == nil)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func anAccountNeverTakesMoreThanAHundredFailuresAnHour(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            // An attacker tries again the moment it may, for an hour, from ever new addresses.
            let throttle = SignInThrottle(database: database)
            var now = Self.start
            var heard = 0
            var attempt = 0
            while now < Self.start.addingTimeInterval(3600) {
                attempt += 1
                if let wait = try await Self.admit(throttle, "town1", from: "10.1.\(attempt / 250).\(attempt % 250)", at: now) {
                    now.addTimeInterval(wait)
                } else {
                    heard += 1
                }
            }
            #expect(heard <= 100)
            #expect(heard >= 10, "a real user is slowed, not shut out")

            // Even spaced out so that no run of failures slows them (limits that never slow, to
            // show the hourly cap alone), the 101st failure within an hour is refused.
            var patient = SignInThrottle.Limits()
            (patient.free, patient.lockAfter) = (1_000, 1_000)
            let spaced = SignInThrottle(database: database, limits: patient)
            for i in 0..<100 {
                #expect(try await Self.admit(spaced, "village1", from: "10.2.0.\(i)", at: Self.start.addingTimeInterval(Double(i) * 35)) == nil)
            }
            let refused = try #require(try await Self.admit(spaced, "village1", from: "10.2.1.1", at: Self.start.addingTimeInterval(3530)))
            #expect(refused == 70, "until the first failure is an hour old")
            #expect(try await Self.admit(spaced, "village1", from: "10.2.1.1", at: Self.start.addingTimeInterval(3600)) == nil)
        }
    }

    /// The failures are the database's: a server that never saw them refuses too, and a right
    /// password is refused while the account is locked.
    @Test(arguments: TestDatabases.kinds)
    func theLimitsHoldAcrossServers(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let other = try await OneGridServices(database: city.database, logger: Logger(label: "b"))
            // Ten wrong passwords in the last minute, through a server that let them all be tried.
            var patient = SignInThrottle.Limits()
            (patient.free, patient.lockAfter) = (1_000, 1_000)
            let first = SignInThrottle(database: city.database, limits: patient)
            for i in 0..<10 {
                #expect(try await Self.admit(first, "village1", from: "10.3.0.1", at: Date().addingTimeInterval(Double(i - 60))) == nil)
            }
            await #expect(throws: SignInThrottled.self) {
                try await other.sessions.signIn(username: "village1", password: DemoCity.password, postID: nil, address: "10.3.0.2")
            }
            // A right password elsewhere ends no one else's run: the other account signs in.
            _ = try await other.sessions.signIn(username: "town1", password: DemoCity.password, postID: nil, address: "10.3.0.2")
        }
    }
}
