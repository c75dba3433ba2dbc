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
        // The wait is cancelled at graceful shutdown, so it never holds the server's exit up.
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    do {
                        try await services.reloadDeadlineSettings()
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        // Deadlines keep being counted on the settings in force until good ones read.
                        services.logger.error("reloading the deadline settings failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch is CancellationError {}
    }
}
