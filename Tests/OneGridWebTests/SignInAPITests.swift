import Foundation
import HTTPTypes
import OneGridDemo
import Testing

/// POST /api/v1/session against guessing and probing: which usernames exist cannot be told from
/// the answer or its time, and repeated wrong passwords are refused with 429.
@Suite struct SignInAPITests {
    @Test func anUnknownUserIsRefusedLikeAWrongPasswordAndAsSlowly() async throws {
        try await TestApp.run { api, _ in
            // One wrong password per account: well inside the free failures of each.
            let known = DemoCity.walkthroughCredentials.prefix(7).map(\.username)
            let unknown = known.indices.map { "nobody.\($0)" }
            func refusal(_ username: String) async throws -> (API.Reply, Duration) {
                let started = ContinuousClock.now
                let reply = try await api.send(.post, "/api/v1/session", body: ["username": username, "password": "not-the-password"])
                return (reply, ContinuousClock.now - started)
            }
            var times: (known: [Duration], unknown: [Duration]) = ([], [])
            for (name, stranger) in zip(known, unknown) {
                let (wrong, wrongTime) = try await refusal(name)
                let (missing, missingTime) = try await refusal(stranger)
                #expect(wrong.status == .unauthorized && missing.status == .unauthorized)
                #expect(wrong.errorCode == missing.errorCode && wrong.errorMessage == missing.errorMessage)
                times.known.append(wrongTime)
                times.unknown.append(missingTime)
            }
            func median(_ list: [Duration]) -> Double {
                let sorted = list.sorted()
                let middle = sorted[sorted.count / 2].components
                return Double(middle.seconds) + Double(middle.attoseconds) / 1e18
            }
            // Both check a bcrypt hash of the same cost; without the stand-in the unknown name
            // answered about ten times sooner.
            let ratio = median(times.unknown) / median(times.known)
            #expect(ratio > 0.5 && ratio < 2, "unknown \(median(times.unknown)) s, known \(median(times.known)) s")
        }
    }

    @Test func repeatedWrongPasswordsAreRefusedWithTooManyAttempts() async throws {
        try await TestApp.run { api, _ in
            var replies: [API.Reply] = []
            for _ in 0..<6 {
                replies.append(try await api.send(.post, "/api/v1/session", body: ["username": "town1", "password": "guess"]))
            }
            #expect(replies.prefix(3).allSatisfy { $0.status == .unauthorized }, "the first failures cost nothing")
            let throttled = try #require(replies.first { $0.status == .tooManyRequests }, "\(replies.map(\.status))")
            #expect(throttled.errorCode == "tooManyAttempts")
            #expect(throttled.headers[.retryAfter].flatMap(Int.init).map { $0 >= 1 } == true, "says when to try again")
        }
    }
}
