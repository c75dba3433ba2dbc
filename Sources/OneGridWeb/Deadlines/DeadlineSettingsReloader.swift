import OneGridApplication
import Logging
import ServiceLifecycle

/// Reads the stored deadline settings (working calendar, yellow share) again every `interval`, so
/// settings another server took through a PUT, or `onegrid calendar load` wrote straight into the
/// database, are in force here within one interval. This server's own PUT applies at once.
struct DeadlineSettingsReloader: Service {
    let services: OneGridServices
    let interval: Duration

    func run() async throws {
        // Deadlines keep being counted on the settings in force until good ones read.
        await BackgroundLoop(interval: interval, failure: "reloading the deadline settings failed", logger: services.logger).run {
            try await services.reloadDeadlineSettings()
        }
    }
}
