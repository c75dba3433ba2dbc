import Foundation
public import Logging
import NIOPosix
@preconcurrency import PostgresKit
import SQLKit

/// Messages between the servers that share one PostgreSQL database (NOTIFY / LISTEN), so a
/// change written through one reaches the people watching through another. An SQLite file has
/// one server, which tells its own listeners directly.
extension OneGridDatabase {
    /// Whether other servers can share this database and must be told of changes.
    public var isShared: Bool { postgresConfiguration != nil }

    /// Sends each payload on `channel` to every server listening (itself included). PostgreSQL
    /// caps a payload at 8,000 bytes; callers keep theirs well below.
    public func notify(_ channel: String, payloads: [String]) async throws {
        guard isShared, !payloads.isEmpty else { return }
        for chunk in payloads.chunked(into: 100) {
            let calls = chunk.map { SQLQueryString("pg_notify(\(bind: channel), \(bind: $0))") }
            try await reader.raw("SELECT \(SQLList(calls))").run()
        }
    }

    /// Listens on `channel` on a connection of its own and hands each payload to `receive` until
    /// the task is cancelled or the connection is lost (which throws: the caller listens again
    /// after a wait). `listening` runs once listening has begun, for a listener that must make up
    /// for what it missed. Returns at once on SQLite.
    public func listen(
        _ channel: String, logger: Logger, listening: @escaping @Sendable () -> Void = {},
        receive: @escaping @Sendable (String) -> Void
    ) async throws {
        guard let configuration = postgresConfiguration else { return }
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration.coreConfiguration, id: 0, logger: logger)
        do {
            try await connection.listen(on: channel) { notifications in
                listening()
                for try await notification in notifications { receive(notification.payload) }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }
}
