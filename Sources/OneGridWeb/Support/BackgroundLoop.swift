import Logging
import ServiceLifecycle

/// How every background service repeats its work (a sweep, a reload, a round of deliveries, a
/// LISTEN session): one round, then a wait, until the server stops — by graceful shutdown or by
/// cancellation, say when the HTTP server could not start and the service group gives up.
///
/// A failed round is tried again after a wait that doubles with each failure in a row (up to
/// `interval` × 2^`maxDoublings`), so a dead database is neither hammered nor flooded with log
/// lines: a failure streak is logged at its 1st, 2nd, 4th, 8th… failure, and its end once.
struct BackgroundLoop: Sendable {
    /// The wait after a round that succeeded.
    let interval: Duration
    /// What failed, as the log says it ("deadline sweep failed").
    let failure: Logger.Message
    let logger: Logger
    /// The longest wait is `interval` doubled this many times: 16 intervals.
    var maxDoublings = 4
    /// Whether a graceful shutdown also cuts a round short. A round that ends by itself (a sweep,
    /// a delivery round) is let finish, so nothing is left half done; one that lasts until it
    /// fails (a LISTEN session) is not.
    var roundsEndAtShutdown = false

    /// The wait after `failures` failed rounds in a row (none: `interval`).
    func wait(afterFailures failures: Int) -> Duration {
        interval * (1 << min(failures, maxDoublings))
    }

    /// Runs `round` at once and then after every wait, until the server stops.
    func run(_ round: @escaping @Sendable () async throws -> Void) async {
        var failures = 0
        while !stopping {
            let started = ContinuousClock.now
            do {
                if roundsEndAtShutdown {
                    try await cancelWhenGracefulShutdown { try await round() }
                } else {
                    try await round()
                }
                if stopping { return }
                if failures > 0 { recovered(after: failures) }
                failures = 0
            } catch {
                // A round cut short because the server stops is no failure; a cancellation error
                // while the server runs on is one, and waits like any other.
                if stopping { return }
                // A round that lasted (a connection held for a while, then lost) ended the streak
                // before it failed: a new streak begins, with a short wait.
                if failures > 0, ContinuousClock.now - started >= wait(afterFailures: maxDoublings) {
                    recovered(after: failures)
                    failures = 0
                }
                failures += 1
                if failures.nonzeroBitCount == 1 {
                    logger.error(
                        "\(failure); retrying with back-off",
                        metadata: [
                            "error": "\(String(reflecting: error))", "failures": "\(failures)", "next": "\(wait(afterFailures: failures))",
                        ])
                }
            }
            let pause = wait(afterFailures: failures)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
        }
    }

    private func recovered(after failures: Int) {
        logger.notice("\(failure) \(failures) times in a row; working again")
    }

    private var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
