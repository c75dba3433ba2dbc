import Logging
@testable import OneGridWeb
import Synchronization
import Testing

/// The loop every background service runs in: it ends when the server stops, however it stops,
/// and a failing round is retried with back-off, logged only at the streak's doublings.
@Suite struct BackgroundLoopTests {
    /// The fault of the busy port: the service group gives up and cancels, and every database
    /// call then throws `CancellationError`. The loop must end, not spin writing a line per turn.
    @Test func endsWhenCancelledWhileItsRoundsThrowCancellation() async throws {
        let log = CapturedLog()
        let rounds = Atomic<Int>(0)
        let loop = BackgroundLoop(interval: .milliseconds(10), failure: "sweep failed", logger: log.logger)
        let task = Task {
            await loop.run {
                rounds.add(1, ordering: .relaxed)
                try Task.checkCancellation()
                throw Failure()
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let cancelled = ContinuousClock.now
        await task.value
        // Broken, it never ends; the bound leaves room for a busy machine running every suite.
        #expect(ContinuousClock.now - cancelled < .seconds(10), "the loop ends at once")
        let afterEnd = rounds.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(100))
        #expect(rounds.load(ordering: .relaxed) == afterEnd, "no round runs after the end")
        #expect(log.lines.count <= 4, "\(log.lines)")
    }

    /// A round that never ends (a LISTEN connection) is cancelled with the server too.
    @Test func endsWhenCancelledDuringALongRound() async throws {
        let loop = BackgroundLoop(interval: .seconds(1), failure: "listening failed", logger: CapturedLog().logger, roundsEndAtShutdown: true)
        let task = Task { await loop.run { try await Task.sleep(for: .seconds(3600)) } }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let cancelled = ContinuousClock.now
        await task.value
        // Broken, it ends with its round after an hour.
        #expect(ContinuousClock.now - cancelled < .seconds(10))
    }

    /// Failing rounds wait 2, 4, 8, then 16 intervals; a streak of 20 failures is logged at its
    /// 1st, 2nd, 4th, 8th and 16th, and its end once.
    @Test func failuresBackOffAndAreLoggedAtTheStreaksDoublings() async throws {
        let loop = BackgroundLoop(interval: .seconds(1), failure: "sweep failed", logger: CapturedLog().logger)
        #expect((0...6).map { loop.wait(afterFailures: $0) } == [1, 2, 4, 8, 16, 16, 16].map { .seconds($0) })

        let log = CapturedLog()
        let rounds = Atomic<Int>(0)
        // 50 ms, not less: a round that takes longer than the longest wait counts as a recovery
        // (a long outage is not one streak), and a busy machine can take a few ms for a round.
        let fast = BackgroundLoop(interval: .milliseconds(50), failure: "sweep failed", logger: log.logger, maxDoublings: 0)
        let task = Task {
            await fast.run {
                let round = rounds.add(1, ordering: .relaxed).newValue
                if round <= 20 { throw Failure() }
            }
        }
        while rounds.load(ordering: .relaxed) < 25 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        await task.value
        let failures = log.lines.filter { $0.hasPrefix("error sweep failed; retrying with back-off") }
        #expect(failures.count == 5, "\(log.lines)")
        #expect(log.lines.filter { $0 == "notice sweep failed 20 times in a row; working again" }.count == 1, "\(log.lines)")
    }

    struct Failure: Error {}
}
