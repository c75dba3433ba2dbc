import Foundation
import Logging
import OneGridApplication
import OneGridDomain
import OneGridStore
import ServiceLifecycle

/// The background service that keeps every clock's promises: as deadlines come it records an
/// urge at yellow, a supervision at red and, where the category allows, escalates an overdue
/// case one level up — each a timeline event and an inbox notification, exactly once per clock
/// (see `CaseStore.sweepDeadlines`), also with several servers on one database.
struct DeadlineSweeper: Service {
    let services: OneGridServices
    let interval: Duration

    func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let acted = try await sweep(now: services.clock.now)
                if acted > 0 { services.logger.info("deadline sweep", metadata: ["steps": "\(acted)"]) }
                failures = 0
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                // Once per failure streak's doubling, not once per round: an outage writes a few
                // lines, not thousands.
                if failures.nonzeroBitCount == 1 {
                    services.logger.error("deadline sweep failed; retrying with back-off", metadata: ["error": "\(error)", "failures": "\(failures)"])
                }
            }
            // Wakes at once when the server shuts down instead of finishing the wait; a failing
            // round waits longer each time (up to 16 intervals) so a dead database is not hammered.
            let wait = interval * (1 << min(failures, 4))
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                return
            }
        }
    }

    @discardableResult
    func sweep(now: Date) async throws -> Int {
        try await services.sweepDeadlines(at: now)
    }
}
