import Logging
import OneGridApplication
import ServiceLifecycle

/// Carries case changes between the servers sharing one PostgreSQL database for as long as the
/// server runs (`CaseChangeFeed.run`); idle on SQLite.
struct CaseChangeListener: Service {
    let feed: CaseChangeFeed
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await feed.run(logger: logger) }
        // On SQLite `run` returns at once; the service stays until the server stops, as the
        // service group expects of each of its members.
        try? await gracefulShutdown()
    }
}
