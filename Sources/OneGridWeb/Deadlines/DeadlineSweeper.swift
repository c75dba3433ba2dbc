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
        // A failing round waits longer each time (up to 16 intervals) so a dead database is not
        // hammered; the loop ends when the server stops, however it stops.
        await BackgroundLoop(interval: interval, failure: "deadline sweep failed", logger: services.logger).run {
            let acted = try await sweep(now: services.clock.now)
            if acted > 0 { services.logger.info("deadline sweep", metadata: ["steps": "\(acted)"]) }
        }
    }

    @discardableResult
    func sweep(now: Date) async throws -> Int {
        try await services.sweepDeadlines(at: now)
    }
}
