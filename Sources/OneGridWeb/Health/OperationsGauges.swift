import Logging
import Metrics
import OneGridApplication
import OneGridDomain
import OneGridStore
import ServiceLifecycle

/// Keeps the gauges an operator watches beside the request metrics: open cases by status and the
/// webhook deliveries waiting. Counted every `interval` rather than at each scrape, so a scraper
/// that asks often (or several at once) adds no load to the database.
struct OperationsGauges: Service {
    let services: OneGridServices
    var interval: Duration = .seconds(30)
    private let openCases: [CaseStatus: Gauge]
    private let backlog = Gauge(label: "onegrid_webhook_backlog")

    init(services: OneGridServices, interval: Duration = .seconds(30)) {
        self.services = services
        self.interval = interval
        openCases = Dictionary(
            uniqueKeysWithValues: CaseStatus.allCases.filter(\.isOpen).map {
                ($0, Gauge(label: "onegrid_open_cases", dimensions: [("status", $0.rawValue)]))
            })
    }

    func run() async throws {
        await BackgroundLoop(interval: interval, failure: "counting the operations gauges failed", logger: services.logger).run {
            try await count()
        }
    }

    /// One round: every gauge set from the database as it is now.
    func count() async throws {
        let counts = try await services.cases.openCasesByStatus()
        for (status, gauge) in openCases { gauge.record(counts[status] ?? 0) }
        backlog.record(try await services.webhooks.backlog())
    }
}
