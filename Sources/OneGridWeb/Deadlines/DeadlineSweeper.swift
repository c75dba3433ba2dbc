import Foundation
import Logging
import Metrics
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
        // What an operator alerts on: a sweep that stops finishing (time() minus the last round)
        // or takes ever longer, and the steps it takes.
        let duration = Metrics.Timer(label: "onegrid_deadline_sweep_duration")
        let lastRound = Gauge(label: "onegrid_deadline_sweep_last_round_timestamp_seconds")
        let steps = Counter(label: "onegrid_deadline_sweep_steps")
        // A failing round waits longer each time (up to 16 intervals) so a dead database is not
        // hammered; the loop ends when the server stops, however it stops.
        await BackgroundLoop(interval: interval, failure: "deadline sweep failed", logger: services.logger).run {
            let started = ContinuousClock.now
            let acted = try await sweep(now: services.clock.now)
            duration.record(duration: ContinuousClock.now - started)
            lastRound.record(Date().timeIntervalSince1970)
            steps.increment(by: acted)
            if acted > 0 { services.logger.info("deadline sweep", metadata: ["steps": "\(acted)"]) }
        }
    }

    @discardableResult
    func sweep(now: Date) async throws -> Int {
        try await services.sweepDeadlines(at: now)
    }
}
