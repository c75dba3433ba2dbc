import Logging
import OneGridApplication
import ServiceLifecycle

/// Carries news between the servers sharing one PostgreSQL database for as long as the server
/// runs: case changes for the live pages (`CaseChangeFeed.listen`), revoked tokens
/// (`TokenAuthenticator.run`). A lost connection is opened again with back-off. Idle on SQLite.
struct NotificationListener: Service {
    /// What is listened for, as the log names it.
    let news: String
    /// Whether other servers share the database (PostgreSQL); else there is nothing to hear.
    let shared: Bool
    let logger: Logger
    /// One LISTEN session: until the connection is lost (throws) or the task is cancelled.
    let listen: @Sendable (Logger) async throws -> Void

    func run() async throws {
        guard shared else {
            // The service stays until the server stops, as the service group expects of each of
            // its members.
            try? await gracefulShutdown()
            return
        }
        let loop = BackgroundLoop(interval: .seconds(1), failure: "listening for \(news) failed", logger: logger, roundsEndAtShutdown: true)
        await loop.run { try await listen(logger) }
    }
}

/// Sends this server's case changes to the other servers (`CaseChangeFeed.sendAnnouncements`)
/// until the server stops. Idle on SQLite, where the feed delivers them directly.
struct CaseChangeAnnouncer: Service {
    let feed: CaseChangeFeed
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown { await feed.sendAnnouncements(logger: logger) }
        try? await gracefulShutdown()
    }
}
