import Logging
import OneGridApplication
import ServiceLifecycle

/// Carries news between the servers sharing one PostgreSQL database for as long as the server
/// runs: case changes for the live pages (`CaseChangeFeed.run`), revoked tokens
/// (`TokenAuthenticator.run`). Idle on SQLite.
struct NotificationListener: Service {
    let logger: Logger
    let listen: @Sendable (Logger) async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await listen(logger) }
        // On SQLite `listen` returns at once; the service stays until the server stops, as the
        // service group expects of each of its members.
        try? await gracefulShutdown()
    }
}
