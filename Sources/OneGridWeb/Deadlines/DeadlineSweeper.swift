import OneGridApplication
import Foundation
import Logging
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
        while !Task.isShuttingDownGracefully {
            do {
                let acted = try await sweep(now: services.clock.now)
                if acted > 0 { services.logger.info("deadline sweep", metadata: ["steps": "\(acted)"]) }
            } catch {
                services.logger.error("deadline sweep failed; retrying next round", metadata: ["error": "\(error)"])
            }
            // Wakes at once when the server shuts down instead of finishing the wait.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    @discardableResult
    func sweep(now: Date) async throws -> Int {
        try await services.sweepDeadlines(at: now)
    }
}
