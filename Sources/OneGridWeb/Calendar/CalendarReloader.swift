import Logging
import ServiceLifecycle

/// Reads the stored working calendar again every `interval`, so a calendar another server took
/// through `PUT /api/v1/calendar`, or `onegrid calendar load` wrote straight into the database,
/// is in force here within one interval. This server's own PUT applies at once.
struct CalendarReloader: Service {
    let services: OneGridServices
    let interval: Duration

    func run() async throws {
        // The wait is cancelled at graceful shutdown, so it never holds the server's exit up.
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    do {
                        try await services.reloadCalendar()
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        // Deadlines keep being counted on the calendar in force until a good one reads.
                        services.logger.error("reloading the working calendar failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch is CancellationError {}
    }
}
