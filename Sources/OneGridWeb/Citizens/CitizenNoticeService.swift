public import Logging
public import OneGridApplication
public import ServiceLifecycle

/// Passes on the citizens' notices (acceptance, result, closure) beside the server, never inside
/// a request: the outbox wrote each in its event's transaction, so a sender that is down delays
/// nothing but its own messages.
public struct CitizenNoticeService: Service {
    let notifier: CitizenNotifier
    let services: OneGridServices
    /// Nil: nothing is sent by itself; `deliverDue` is called by hand (tests).
    let pollInterval: Duration?
    let logger: Logger

    public init(notifier: CitizenNotifier, services: OneGridServices, pollInterval: Duration?, logger: Logger) {
        self.notifier = notifier
        self.services = services
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        guard let pollInterval else {
            // Stays up with the others: a service that returns early stops the whole server.
            try? await gracefulShutdown()
            return
        }
        await BackgroundLoop(interval: pollInterval, failure: "passing on citizens' notices failed", logger: logger).run {
            try await notifier.deliverDue(now: services.clock.now)
        }
    }
}
