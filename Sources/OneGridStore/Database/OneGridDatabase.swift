import Foundation
public import Logging
import NIOCore
import NIOPosix
@preconcurrency import PostgresKit
@preconcurrency import AsyncKit
public import SQLKit
import SQLiteKit

/// The database OneGrid runs on: an SQLite file (the embedded default) or PostgreSQL. Both are
/// reached through SQLKit, so every store is written once; what differs is how connections and
/// transactions are held, and that lives here only.
public final class OneGridDatabase: Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }

    public let kind: Kind
    /// Reads: SQLite's readers see committed data beside the writer (WAL); PostgreSQL's pool.
    public let reader: any SQLDatabase
    private let writer: Writer
    private let close: @Sendable () async throws -> Void
    /// Where a connection of its own is opened for LISTEN, which a pooled one cannot hold.
    let postgresConfiguration: SQLPostgresConfiguration?

    private enum Writer: Sendable {
        /// SQLite allows one writer at a time; one connection behind a lock means writers queue
        /// in memory instead of failing with SQLITE_BUSY.
        case sqlite(any SQLDatabase, AsyncLock)
        case postgres(any SQLDatabase)
    }

    private init(
        kind: Kind, reader: any SQLDatabase, writer: Writer, postgresConfiguration: SQLPostgresConfiguration? = nil,
        close: @escaping @Sendable () async throws -> Void
    ) {
        self.kind = kind
        self.postgresConfiguration = postgresConfiguration
        self.reader = reader
        self.writer = writer
        self.close = close
    }

    /// Opens `location`: a `postgres://` or `postgresql://` URL, or the path of an SQLite file
    /// (created if missing).
    public static func open(_ location: String, logger: Logger = Logger(label: "onegrid.db")) async throws -> OneGridDatabase {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try await openPostgres(url: location, logger: logger)
        }
        return try await openSQLite(path: location, logger: logger)
    }

    private static func openSQLite(path: String, logger: Logger) async throws -> OneGridDatabase {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .info)
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: quiet)
        let writerSQL = writer.sql(queryLogLevel: nil)
        // WAL lets readers work beside the writer; synchronous=FULL makes every commit durable,
        // and batching many cases into one commit (IntakeWriter) keeps that affordable. Statement
        // journals (each statement of a batch transaction keeps one) stay in memory, not in temp files.
        for pragma in [
            "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000",
            "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-65536", "PRAGMA temp_store=MEMORY",
        ] {
            try await writerSQL.raw(SQLQueryString(pragma)).run()
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<4 {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: quiet)
            try await reader.sql().raw("PRAGMA busy_timeout=10000").run()
            try await reader.sql().raw("PRAGMA cache_size=-32768").run()
            readers.append(reader)
        }
        let readerSQL = RoundRobinDatabase(members: readers.map { $0.sql(queryLogLevel: nil) })
        return OneGridDatabase(
            kind: .sqlite, reader: readerSQL, writer: .sqlite(writerSQL, AsyncLock()),
            close: { [readers] in
                for reader in readers { try await reader.close() }
                try await writer.close()
            })
    }

    private static func openPostgres(url: String, logger: Logger) async throws -> OneGridDatabase {
        let configuration = try SQLPostgresConfiguration(url: url)
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: 8,
            requestTimeout: .seconds(30),
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton)
        let sql = pool.database(logger: logger).sql(queryLogLevel: nil)
        return OneGridDatabase(
            kind: .postgres, reader: sql, writer: .postgres(sql), postgresConfiguration: configuration,
            close: { try await pool.shutdownAsync() })
    }

    /// How a commit must reach the disk before it returns.
    public enum Durability: Sendable {
        /// On disk before the commit returns.
        case durable
        /// Work its caller redoes when lost, such as a deadline sweep, which finds the same clocks
        /// again: a crash of the database server may lose the last such commits, each whole, never
        /// a part of one. PostgreSQL then does not wait for the WAL flush (synchronous_commit off
        /// for the transaction); SQLite's one writer stays durable, its commits shared with intake.
        case redoable
    }

    /// Runs `body` in one transaction: all of its writes land, or none do.
    public func transaction<T: Sendable>(
        _ durability: Durability = .durable, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        switch writer {
        case .sqlite(let connection, let lock):
            return try await lock.withLock {
                try await Self.inTransaction(connection, begin: ["BEGIN IMMEDIATE"], body)
            }
        case .postgres(let pool):
            let begin = durability == .durable ? ["BEGIN"] : ["BEGIN", "SET LOCAL synchronous_commit TO OFF"]
            return try await pool.withSession { session in
                try await Self.inTransaction(session, begin: begin, body)
            }
        }
    }

    private static func inTransaction<T: Sendable>(
        _ database: any SQLDatabase, begin: [String], _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        for statement in begin { try await database.raw(SQLQueryString(statement)).run() }
        do {
            let result = try await body(database)
            try await database.raw("COMMIT").run()
            return result
        } catch {
            // Outside the caller's task: a cancelled task's statements fail, and a rollback that
            // did not run would leave the shared writer inside this transaction for good.
            await Task { try? await database.raw("ROLLBACK").run() }.value
            throw error
        }
    }

    /// Reserves `count` new ids of `table` for rows the caller inserts itself, so a batch can be
    /// written (and its hashes computed) without a round trip per row. Call inside `transaction`:
    /// on SQLite the writer lock makes the maximum safe to extend; PostgreSQL draws from the
    /// identity's sequence, safe across servers.
    public func reserveIDs(_ count: Int, of table: String, on db: any SQLDatabase) async throws -> [Int64] {
        guard count > 0 else { return [] }
        switch kind {
        case .sqlite:
            let highest = try await db.raw("SELECT COALESCE(MAX(id), 0) AS id FROM \(ident: table)")
                .first(decodingColumn: "id", as: Int64.self) ?? 0
            return (1...Int64(count)).map { highest + $0 }
        case .postgres:
            return try await db.raw(
                "SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id FROM generate_series(1, \(bind: count))"
            ).all(decodingColumn: "id", as: Int64.self)
        }
    }

    /// Opens `location`, runs `body` and closes the database whatever happened: the shape of
    /// every command that works on a database and exits.
    public static func using<T: Sendable>(
        _ location: String, logger: Logger = Logger(label: "onegrid.db"), _ body: (OneGridDatabase) async throws -> T
    ) async throws -> T {
        let database = try await open(location, logger: logger)
        do {
            let value = try await body(database)
            try await database.shutdown()
            return value
        } catch {
            try? await database.shutdown()
            throw error
        }
    }

    public func shutdown() async throws {
        try await close()
    }
}

/// Spreads reads over several SQLite connections, each of which runs one statement at a time.
private struct RoundRobinDatabase: SQLDatabase {
    let members: [any SQLDatabase]
    private let next = ManagedAtomicCounter()

    init(members: [any SQLDatabase]) {
        self.members = members
    }

    private var member: any SQLDatabase { members[next.increment() % members.count] }
    var logger: Logger { members[0].logger }
    var eventLoop: any EventLoop { members[0].eventLoop }
    var dialect: any SQLDialect { members[0].dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        member.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await member.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await member.withSession(closure)
    }
}
