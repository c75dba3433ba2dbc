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
    /// Inside `inOneTransaction`, that transaction, so a step reads what the steps before it wrote.
    public var reader: any SQLDatabase { joined?.database ?? readers }
    private let readers: any SQLDatabase
    /// Reads that are long by nature (reports, exports, figures counted from the case rows, a
    /// text search no index narrows): one at a time, on a connection of their own, so however
    /// many are asked for they never take the readers from the lists or the CPU from the writer.
    /// SQLite's runs on a thread of lower CPU priority. Waiting for the lane counts against the
    /// read's time limit.
    public let reportReader: any SQLDatabase
    private let writer: Writer
    /// SQLite's: truncates the write-ahead log that reads without pause would let grow for good.
    private let walRestart: WALRestart?
    /// Marked by every write transaction, for the reports' lane on PostgreSQL to yield to.
    private let writes: WriteActivity
    private let close: @Sendable () async throws -> Void
    /// Where a connection of its own is opened for LISTEN, which a pooled one cannot hold.
    let postgresConfiguration: SQLPostgresConfiguration?
    /// The SQLite file, for tools that read it on a connection of their own (`DatabaseCopy`).
    let sqlitePath: String?

    private enum Writer: Sendable {
        /// SQLite allows one writer at a time; one connection behind a lock means writers queue
        /// in memory instead of failing with SQLITE_BUSY.
        case sqlite(any SQLDatabase, AsyncLock)
        /// The pool itself, not its SQLDatabase: a transaction holds one connection it can close.
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>, logger: Logger)
    }

    private init(
        kind: Kind, reader: any SQLDatabase, reportReader: any SQLDatabase, writer: Writer, writes: WriteActivity = WriteActivity(),
        walRestart: WALRestart? = nil, postgresConfiguration: SQLPostgresConfiguration? = nil, sqlitePath: String? = nil,
        close: @escaping @Sendable () async throws -> Void
    ) {
        self.kind = kind
        self.walRestart = walRestart
        self.writes = writes
        self.postgresConfiguration = postgresConfiguration
        self.sqlitePath = sqlitePath
        self.readers = reader
        self.reportReader = reportReader
        self.writer = writer
        self.close = close
    }

    /// How long a read may take before it answers `ReadTimedOut`: long enough for the heaviest
    /// figures at a county's size, short enough that a runaway read cannot hold a connection.
    public static let defaultReadTimeLimit: Duration = .seconds(10)

    /// Opens `location`: a `postgres://` or `postgresql://` URL, or the path of an SQLite file
    /// (created if missing). Reads running past `readTimeLimit` answer `ReadTimedOut`.
    public static func open(
        _ location: String, readTimeLimit: Duration = defaultReadTimeLimit, logger: Logger = Logger(label: "onegrid.db")
    ) async throws -> OneGridDatabase {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try await openPostgres(url: location, readTimeLimit: readTimeLimit, logger: logger)
        }
        return try await openSQLite(path: location, readTimeLimit: readTimeLimit, logger: logger)
    }

    /// How long the log's truncation waits for the writer while it holds the reports' lane: a
    /// write transaction may itself be waiting for a report's read.
    static let walRestartWriterWait: Duration = .milliseconds(500)

    private static let readerCount = 4
    /// What the reports' lane may take of a core while writes keep coming, on PostgreSQL (`Pacing`):
    /// what SQLite's reports' connection gets from its lower priority beside a busy writer (Linux
    /// weighs nice 10 at 110 against nice 0's 1,024, a tenth). A quarter left PostgreSQL's intake
    /// p99 at 60–76 ms beside the heavy reads, against 17–26 ms alone.
    static let reportsShareBesideWrites = 0.1
    /// Connections of each PostgreSQL pool, the writers' and the readers'.
    private static let postgresConnections = 4

    static func openSQLite(
        path: String, readTimeLimit: Duration, logger: Logger, walLimit: Int64 = WALRestart.limit, walCheckEvery: Int = WALRestart.checkEvery
    ) async throws -> OneGridDatabase {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .info)
        // The writer has a thread of its own and the readers a pool of their own (one thread
        // each), so a slow read never queues a write: SQLiteNIO runs every call of a connection
        // on the pool it was opened with, and NIOThreadPool.singleton is shared with everything.
        let writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
        let readerThreads = NIOThreadPool(numberOfThreads: readerCount)
        readerThreads.start()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let writer = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: writerThread, logger: quiet, on: eventLoop
        ).get()
        let writerSQL = writer.sql(queryLogLevel: nil)
        // WAL lets readers work beside the writer; synchronous=FULL makes every commit durable,
        // and batching many cases into one commit (IntakeWriter) keeps that affordable. Statement
        // journals (each statement of a batch transaction keeps one) stay in memory, not in temp files.
        // The writer's page cache, unlike a reader's, survives other connections' commits, so it
        // fills up to its size as the file grows and stays full: 16 MB, where 64 MB kept a soak's
        // memory rising for half an hour. The pages it misses come from the system's file cache.
        for pragma in [
            "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000",
            "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-16384", "PRAGMA temp_store=MEMORY",
        ] {
            try await writerSQL.raw(SQLQueryString(pragma)).run()
        }
        // Niced before its connection opens: every call of that connection runs on this thread.
        let reportThread = NIOThreadPool(numberOfThreads: 1)
        reportThread.start()
        try await reportThread.runIfActive { lowerThisThreadsPriority() }
        // A reader's cache is emptied when its next read finds the file changed, but until then
        // it keeps what its last read touched, and reads touch more as the file grows. Each
        // emptying hands its pages back to the allocator one by one, between the requests' own
        // allocations, and what a long read filled left the process's memory higher for good: in
        // a soak the reports' reader filled 8 MB now and then, and resident memory rose with
        // each time. At 2 MB a full cache recycles its own pages instead; the pages a long read
        // misses come from the file cache. (The requests' readers, on indexes, rarely fill 2 MB.)
        func openReader(on threads: NIOThreadPool) async throws -> SQLiteConnection {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, logger: quiet, on: eventLoop).get()
            try await reader.sql().raw("PRAGMA busy_timeout=10000").run()
            try await reader.sql().raw("PRAGMA cache_size=-2048").run()
            return reader
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount { readers.append(try await openReader(on: readerThreads)) }
        let reports = try await openReader(on: reportThread)
        let reportLane = ReaderPool(lane: "reports", members: [reports.sql(queryLogLevel: nil)], timeLimit: readTimeLimit)
        let writerLock = AsyncLock()
        let walRestart = WALRestart(databasePath: path, limit: walLimit, checkEvery: walCheckEvery, logger: logger) {
            try await reportLane.holdingEveryMember {
                _ = try await writerLock.withLock(within: walRestartWriterWait) {
                    // SQLite waits for the requests' readers, which are short; a runaway one
                    // (given up at its time limit, still running) is not waited for: the log
                    // is truncated after a later commit.
                    try await writerSQL.raw("PRAGMA busy_timeout=200").run()
                    let truncated: (any Error)?
                    do {
                        try await writerSQL.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
                        truncated = nil
                    } catch {
                        truncated = error
                    }
                    try await writerSQL.raw("PRAGMA busy_timeout=10000").run()
                    if let truncated { throw truncated }
                }
            }
        }
        return OneGridDatabase(
            kind: .sqlite, reader: ReaderPool(lane: "requests", members: readers.map { $0.sql(queryLogLevel: nil) }, timeLimit: readTimeLimit),
            reportReader: reportLane, writer: .sqlite(writerSQL, writerLock), walRestart: walRestart, sqlitePath: path,
            close: { [readers] in
                // A reader closes on its own thread once its statement ends, and SQLiteNIO cannot
                // interrupt a statement: a read given up at its time limit may run minutes more,
                // and a shutdown waiting for it overran its bound and crashed the process.
                // Readers write nothing, so one still busy is left to the process's end.
                let readersClosed = await finishes(within: .seconds(1)) {
                    for reader in readers + [reports] { try? await reader.close() }
                }
                try await writer.close()
                try await writerThread.shutdownGracefully()
                if readersClosed {
                    try await reportThread.shutdownGracefully()
                    try await readerThreads.shutdownGracefully()
                }
            })
    }

    private static func openPostgres(url: String, readTimeLimit: Duration, logger: Logger) async throws -> OneGridDatabase {
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            // PostgresKit's error quotes the URL, password and all, into whatever prints it.
            throw InvalidDatabaseURL()
        }
        // Writes and reads draw from pools of their own, so long reads cannot take every
        // connection from writes. The server cancels a read past its limit (statement_timeout,
        // set for each reading connection as it starts); `TimedReads` names that cancellation.
        var reading = configuration
        let milliseconds = readTimeLimit.components.seconds * 1000 + readTimeLimit.components.attoseconds / 1_000_000_000_000_000
        reading.coreConfiguration.options.additionalStartupParameters.append(("statement_timeout", "\(milliseconds)"))
        // A read keeps to one core: PostgreSQL's parallel workers would give a long count (the
        // deadline figures, a report) every core of a county's machine, and writes would wait.
        reading.coreConfiguration.options.additionalStartupParameters.append(("max_parallel_workers_per_gather", "0"))
        // Each pool lives on one event loop, so an opened database holds at most
        // `postgresConnections` of the server's connections however many cores the machine has:
        // tests open many databases at once, and servers share one max_connections. The writes'
        // loop is a thread of its own, as SQLite's writer is: a connection's replies are decoded
        // on its loop, and a loop shared with the readers' and reports' pools puts their large
        // replies ahead of the writes'. (Measured alone it did not move intake's p99 beside a
        // command room: the figures' own cost did.)
        // A connection the pool cannot open fails the request that waited for it, and the server
        // logs that once per interval; the pool's own line per attempt would double an outage's log.
        var poolLogger = logger
        poolLogger.logLevel = .critical
        func pool(_ configuration: SQLPostgresConfiguration, on loop: any EventLoop) -> EventLoopGroupConnectionPool<PostgresConnectionSource> {
            EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: postgresConnections,
                requestTimeout: .seconds(30),
                logger: poolLogger,
                on: loop)
        }
        let writerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let writes = pool(configuration, on: writerLoop.next())
        let reads = pool(reading, on: MultiThreadedEventLoopGroup.singleton.next())
        let reports = pool(reading, on: MultiThreadedEventLoopGroup.singleton.next())
        func timed(_ pool: EventLoopGroupConnectionPool<PostgresConnectionSource>) -> TimedReads {
            TimedReads(base: pool.database(logger: poolLogger).sql(queryLogLevel: nil), timeLimit: readTimeLimit)
        }
        let activity = WriteActivity()
        return OneGridDatabase(
            kind: .postgres,
            reader: timed(reads),
            // One member: the lane's reads take turns, however many connections its pool may hold.
            reportReader: ReaderPool(
                lane: "reports", members: [timed(reports)], timeLimit: readTimeLimit,
                pacing: Pacing(share: reportsShareBesideWrites, writesUnderWay: { activity.isUnderWay })),
            writer: .postgres(writes, logger: poolLogger), writes: activity,
            postgresConfiguration: configuration,
            close: {
                try await reports.shutdownAsync()
                try await reads.shutdownAsync()
                try await writes.shutdownAsync()
                try await writerLoop.shutdownGracefully()
            })
    }

    /// Asks the database the most trivial question, through the readers' pool: answers when the
    /// database does (readiness probes).
    public func ping() async throws {
        _ = try await reader.raw("SELECT 1 AS one").first()
    }

    /// A `postgres://` location that is not a URL PostgresKit can use. Says so without repeating
    /// the URL, which holds the password.
    public struct InvalidDatabaseURL: Error, CustomStringConvertible {
        public var description: String {
            "not a valid database URL (expected postgres://user:password@host:port/database or an SQLite file path)"
        }
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

    /// Runs `body` in one transaction: all of its writes land, or none do. On PostgreSQL a
    /// statement is given up when its connection closes under it, or after `statementLimit`
    /// (closing the connection): a pooled connection that PostgreSQL ended as it stopped can take
    /// a statement and never answer it, even after PostgreSQL is back, and the writer (and every
    /// report queued behind it) waited for good. Nil for work whose statements may rightly run
    /// long (migrations).
    public func transaction<T: Sendable>(
        _ durability: Durability = .durable, statementLimit: Duration? = .seconds(30),
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        if let joined { return try await joined.savepoint(body) }
        return try await onWriter(durability, statementLimit: statementLimit, transactional: true, body)
    }

    /// Runs `body`, whose writes are one statement (a `StatementGroup` PostgreSQL takes as one;
    /// it may read before), with all of `transaction`'s guarantees: PostgreSQL makes a single
    /// statement atomic and durable by itself, so it runs outside a transaction there and saves
    /// the BEGIN and COMMIT, each a round trip the writer waits for. SQLite, and a write inside
    /// `inOneTransaction`, run it in a transaction as any other.
    public func oneStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard kind == .postgres, joined == nil else { return try await transaction(.durable, body) }
        return try await onWriter(.durable, statementLimit: .seconds(30), transactional: false, body)
    }

    private func onWriter<T: Sendable>(
        _ durability: Durability, statementLimit: Duration?, transactional: Bool,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        writes.mark()
        defer { writes.mark() }
        // At full priority whatever lane asked: a write asked from the reports' lane (the risk
        // watcher's round) would otherwise hold SQLite's one writer, and on PostgreSQL its rows'
        // locks, while its thread waits behind everything else for a CPU.
        return try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await onWriterAtFullPriority(durability, statementLimit: statementLimit, transactional: transactional, body)
        }
    }

    private func onWriterAtFullPriority<T: Sendable>(
        _ durability: Durability, statementLimit: Duration?, transactional: Bool,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        switch writer {
        case .sqlite(let connection, let lock):
            let result = try await lock.withLock {
                try await Self.inTransaction(connection, begin: ["BEGIN IMMEDIATE"], body)
            }
            walRestart?.committed()
            return result
        case .postgres(let pool, let logger):
            let begin = durability == .durable ? ["BEGIN"] : ["BEGIN", "SET LOCAL synchronous_commit TO OFF"]
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            let session = connection.sql(queryLogLevel: nil)
            let close: @Sendable () -> Void = { let _: EventLoopFuture<Void> = connection.close() }
            let watched: any SQLDatabase =
                statementLimit.map { WatchedStatements(base: session, limit: $0, isClosed: { connection.isClosed }, abandon: close) } ?? session
            guard transactional else {
                do {
                    return try await body(watched)
                } catch {
                    if DatabaseFault(error) == .unavailable { close() }
                    throw error
                }
            }
            return try await Self.inTransaction(watched, begin: begin, lost: close, body)
        }
    }

    /// `lost` gives up a connection the database dropped: PostgreSQL rolls back what a closed
    /// connection began, and a ROLLBACK sent on it might never be answered.
    private static func inTransaction<T: Sendable>(
        _ database: any SQLDatabase, begin: [String], lost: (@Sendable () -> Void)? = nil,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            for statement in begin { try await database.raw(SQLQueryString(statement)).run() }
        } catch {
            if let lost, DatabaseFault(error) == .unavailable { lost() }
            throw error
        }
        do {
            let result = try await withPendingAct(body, on: database)
            try await database.raw("COMMIT").run()
            return result
        } catch {
            if let lost, DatabaseFault(error) == .unavailable {
                lost()
                throw error
            }
            // Outside the caller's task: a cancelled task's statements fail, and a rollback that
            // did not run would leave the shared writer inside this transaction for good.
            await Task { try? await database.raw("ROLLBACK").run() }.value
            throw error
        }
    }

    /// Runs `body` and writes the administrator's act under way with its change (`AdminLog.recording`).
    private static func withPendingAct<T: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> T, on database: any SQLDatabase
    ) async throws -> T {
        let result = try await body(database)
        if let pending = AdminLog.pending, pending.claim() { try await AdminLog.append(pending.act, on: database) }
        return result
    }

    /// The transaction `inOneTransaction` holds for the current task, on this database.
    private var joined: Joined? { Self.joinedTransaction.flatMap { $0.owner == ObjectIdentifier(self) ? $0 : nil } }
    @TaskLocal private static var joinedTransaction: Joined?

    private struct Joined: Sendable {
        var owner: ObjectIdentifier
        var database: any SQLDatabase

        /// A transaction begun inside the joined one is a savepoint: all of it or none of it, and
        /// its failure leaves the outer transaction usable (PostgreSQL would refuse every later
        /// statement of a transaction an error aborted).
        func savepoint<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            try await database.raw("SAVEPOINT step").run()
            do {
                let result = try await withPendingAct(body, on: database)
                try await database.raw("RELEASE SAVEPOINT step").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK TO SAVEPOINT step").run()
                try? await database.raw("RELEASE SAVEPOINT step").run()
                throw error
            }
        }
    }

    /// Runs `body` in one transaction that every transaction and read it makes on this database
    /// joins: a file's rows, each written by the use case an administrator's page calls, land
    /// together or not at all. A failed step is undone alone; `body` decides whether the whole
    /// is kept (by returning) or undone (by throwing).
    public func inOneTransaction<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        precondition(joined == nil, "inOneTransaction does not nest")
        return try await transaction { db in
            try await Self.$joinedTransaction.withValue(Joined(owner: ObjectIdentifier(self), database: db)) { try await body() }
        }
    }

    /// Brings PostgreSQL's planner statistics up to date after a bulk write, which autovacuum
    /// would reach only later: until then the planner takes the new rows for absent and may walk
    /// the wrong index. SQLite's statistics describe the cases table at scale from the start
    /// (migration 012), so there is nothing to do.
    public func analyze() async throws {
        guard case .postgres(let pool, let logger) = writer else { return }
        try await pool.database(logger: logger).sql(queryLogLevel: nil).raw("ANALYZE").run()
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

    /// How long a command that works on a database and exits may read: as long as its work takes.
    /// The default limit guards a server's requests from one another; a batch has no others, and
    /// at 10,000,000 cases the demo's last steps read for longer than it and failed the build.
    public static let batchReadTimeLimit: Duration = .seconds(6 * 3600)

    /// Opens `location`, runs `body` and closes the database whatever happened: the shape of
    /// every command that works on a database and exits.
    public static func using<T: Sendable>(
        _ location: String, logger: Logger = Logger(label: "onegrid.db"), _ body: (OneGridDatabase) async throws -> T
    ) async throws -> T {
        let database = try await open(location, readTimeLimit: batchReadTimeLimit, logger: logger)
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

/// Makes the calling thread yield the CPU to the server's others (nice 10): what runs on it is
/// done when they leave time for it, yet it keeps about a tenth of a core beside them. SQLite's
/// reports' connection needs that tenth: while it reads it holds its snapshot of the log, which
/// cannot be truncated before the read ends (idle-scheduled, a read beside a busy machine held
/// the log past 10 MB). Linux keeps a nice value per thread, and `who` 0 names the calling thread,
/// not the process; elsewhere the lane keeps its one-at-a-time limit alone.
func lowerThisThreadsPriority() {
    #if os(Linux)
    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
    #endif
}

/// Makes the calling thread run only on time the server's other threads leave (Linux's
/// SCHED_IDLE; pid 0 names the calling thread): for work no write waits for. A niced thread keeps
/// its core for the rest of its slice when a request's thread wakes, and each intake request
/// wakes three threads in turn. Intake on 16 connections beside an export without pause, on a
/// 100,000-case city, three runs each: formatting at nice 10, 1,345–1,497 cases/s (88 % of
/// intake alone); idle-scheduled, 1,460–1,608 (93 %).
func runThisThreadOnlyWhenIdle() {
    #if os(Linux)
    var parameters = sched_param()
    parameters.sched_priority = 0
    _ = sched_setscheduler(0, idleSchedulingPolicy, &parameters)
    #endif
}

/// Linux's SCHED_IDLE, which Glibc's module leaves out (it is behind _GNU_SOURCE).
let idleSchedulingPolicy: Int32 = 5
