import Foundation
import Logging
import Metrics
import OneGridApplication
import OneGridStore
import ServiceLifecycle

/// The background service that keeps the risk picture current: every round judges every area
/// and open matter (see `RiskWatch.judge`), so a new red warns its owner and the level above
/// within a minute; and when a week closes, each county's weekly report is issued and announced
/// to its leaders within a minute (see `RiskWatch.issueReports`). Two servers judging at once cannot both write a change: the loser's round
/// fails on the version and the next one finds the colour set.
///
/// A round reads and judges every standing, a CPU burst of half a second to two seconds every
/// half minute at 100,000 cases: it runs in the reports' lane (`ReportsExecutor`, lower CPU
/// priority), so that intake's requests do not wait behind it.
struct RiskWatcher: Service {
    let services: OneGridServices
    let interval: Duration

    func run() async throws {
        let duration = Metrics.Timer(label: "onegrid_risk_judgement_duration")
        await BackgroundLoop(interval: interval, failure: "risk judgement failed", logger: services.logger).run {
            try await withTaskExecutorPreference(ReportsExecutor.shared) { try await round(duration) }
        }
    }

    private func round(_ duration: Metrics.Timer) async throws {
        let started = ContinuousClock.now
        let round = try await services.riskWatch.judge(at: services.clock.now)
        let took = ContinuousClock.now - started
        duration.record(duration: took)
        if round.raised + round.lowered > 0 {
            services.logger.info(
                "risk judgement",
                metadata: ["raised": "\(round.raised)", "lowered": "\(round.lowered)", "warnings": "\(round.warnings)", "took": "\(took)"])
        }
        let reports = try await services.riskWatch.issueReports(at: services.clock.now)
        if reports > 0 { services.logger.info("risk reports issued", metadata: ["counties": "\(reports)"]) }
    }
}
