import Dispatch
import Logging
import Metrics
import NIOCore
@preconcurrency import PostgresKit
import SQLKit
import Synchronization

/// A read that ran past its time limit. The caller may try again later; nothing it asked for
/// was changed, and the connection it used serves other reads again.
public struct ReadTimedOut: Error, Sendable, CustomStringConvertible {
    public let limit: Duration

    public var description: String { "the read took longer than \(limit) and was given up; try again shortly" }
}

/// Hands each read to an idle SQLite connection, waiting for one when all are busy (a read sent
/// to a busy connection would wait behind its statement while others idle).
///
/// A read past `timeLimit` answers `ReadTimedOut`. SQLiteNIO offers no public way to interrupt a
/// statement (no `sqlite3_interrupt`, no progress handler), so the caller stops waiting while the
/// connection finishes the statement and only then returns to the pool: a runaway read still
/// costs its reader until it ends, but never a writer, whose thread and connection are its own.
final class ReaderPool: AsyncSQLDatabase {
    private struct State {
        var idle: [any SQLDatabase]
        var waiters: [CheckedContinuation<any SQLDatabase, Never>] = []
    }

    private let members: [any SQLDatabase]
    private let state: Mutex<State>
    private let timeLimit: Duration
    private let pacing: Pacing?
    /// Readers busy and reads waiting for one: a lane whose reads keep waiting needs more readers
    /// or fewer heavy reads.
    private let busy: Gauge
    private let waiting: Gauge

    /// `lane` names the pool in the metrics: the requests' readers or the reports' lane.
    init(lane: String, members: [any SQLDatabase], timeLimit: Duration, pacing: Pacing? = nil) {
        self.members = members
        self.state = Mutex(State(idle: members))
        self.timeLimit = timeLimit
        self.pacing = pacing
        self.busy = Gauge(label: "onegrid_database_readers_busy", dimensions: [("lane", lane)])
        self.waiting = Gauge(label: "onegrid_database_reads_waiting", dimensions: [("lane", lane)])
    }

    var logger: Logger { members[0].logger }
    var eventLoop: any EventLoop { members[0].eventLoop }
    var dialect: any SQLDialect { members[0].dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await withSession { try await $0.execute(sql: query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let outcome = Outcome<R>()
        let timeLimit = self.timeLimit
        // A cancelled caller (a request gone, a server shutting down) stops waiting at once, as
        // at the time limit: waiting on, it would hold a shutdown past its bound.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.await(continuation)
                let timer = Task {
                    try await Task.sleep(for: timeLimit)
                    outcome.finish(.failure(ReadTimedOut(limit: timeLimit)))
                }
                // Not a child task: when the caller gives up, the statement still runs to its end and
                // its connection returns to the pool only then.
                Task {
                    let member = await self.checkOut()
                    defer { self.checkIn(member) }
                    // A read given up while it waited for a connection is not started at all.
                    guard !outcome.isFinished else {
                        timer.cancel()
                        return
                    }
                    let started = ContinuousClock.now
                    do {
                        let value = try await closure(member)
                        outcome.finish(.success(value))
                    } catch {
                        outcome.finish(.failure(error))
                    }
                    timer.cancel()
                    // The answer is out; the connection rests before the lane's next read.
                    if let rest = self.pacing?.rest(after: ContinuousClock.now - started) { try? await Task.sleep(for: rest) }
                }
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }

    /// Runs `body` while every connection of the pool is idle and held from reads, once the
    /// reads in hand have ended: no read of this pool then holds a snapshot of the database.
    func holdingEveryMember<R: Sendable>(_ body: () async throws -> R) async rethrows -> R {
        var held: [any SQLDatabase] = []
        for _ in members { held.append(await checkOut()) }
        defer { for member in held { checkIn(member) } }
        return try await body()
    }

    private func checkOut() async -> any SQLDatabase {
        await withCheckedContinuation { continuation in
            let (member, busy, waiting) = state.withLock { state -> ((any SQLDatabase)?, Int, Int) in
                let member = state.idle.popLast()
                if member == nil { state.waiters.append(continuation) }
                return (member, members.count - state.idle.count, state.waiters.count)
            }
            self.busy.record(busy)
            self.waiting.record(waiting)
            if let member { continuation.resume(returning: member) }
        }
    }

    private func checkIn(_ member: any SQLDatabase) {
        let (waiter, busy, waiting) = state.withLock { state -> (CheckedContinuation<any SQLDatabase, Never>?, Int, Int) in
            let waiter = state.waiters.isEmpty ? nil : state.waiters.removeFirst()
            if waiter == nil { state.idle.append(member) }
            return (waiter, members.count - state.idle.count, state.waiters.count)
        }
        self.busy.record(busy)
        self.waiting.record(waiting)
        waiter?.resume(returning: member)
    }
}

/// How a lane yields to writes where its CPU priority cannot be lowered: PostgreSQL's server
/// does a report's work in a process of its own, beyond the thread priority SQLite's lane gets.
/// While writes are under way, after a read that took `d` the lane's connection rests
/// `d × (1 − share) / share` (at most `longestRest`, so a long report delays the next by little
/// against its own length), and the lane keeps at most about `share` of a core from intake. Alone,
/// the lane reads without pause.
struct Pacing: Sendable {
    var share: Double
    var longestRest: Duration = .seconds(2)
    var writesUnderWay: @Sendable () -> Bool

    func rest(after read: Duration) -> Duration? {
        guard writesUnderWay() else { return nil }
        return min(read * ((1 - share) / share), longestRest)
    }
}

/// When the last write transaction began or ended, for the reports' lane to yield while writes
/// keep coming.
final class WriteActivity: Sendable {
    private let lastNanoseconds = Atomic<UInt64>(0)
    /// A write this recent means intake is under way.
    static let window: UInt64 = 1_000_000_000

    func mark() { lastNanoseconds.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }

    var isUnderWay: Bool {
        let last = lastNanoseconds.load(ordering: .relaxed)
        return last > 0 && DispatchTime.now().uptimeNanoseconds - last < Self.window
    }
}

/// Waits for `work` at most `limit`, and says whether it finished in that time. Past the limit
/// the work goes on unawaited: for what may not be interrupted, where waiting longer is worse
/// than leaving it to the process's end.
func finishes(within limit: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
    let outcome = Outcome<Bool>()
    let finished = try? await withCheckedThrowingContinuation { continuation in
        outcome.await(continuation)
        Task {
            await work()
            outcome.finish(.success(true))
        }
        Task {
            try? await Task.sleep(for: limit)
            outcome.finish(.success(false))
        }
    }
    return finished ?? false
}

/// The answer of a read, delivered once: by the read, or by its time limit, whichever comes first.
private final class Outcome<R>: @unchecked Sendable {
    // Guarded by `lock`; `R` crosses tasks only as the result handed to the waiting caller.
    private let lock = Mutex(())
    private var continuation: CheckedContinuation<R, any Error>?
    /// A result that came before the caller began waiting: a read asked for in a task already
    /// cancelled is finished by its cancellation handler first. Without it that caller would
    /// wait for ever (a server failing to start hung in its shutdown).
    private var early: Result<R, any Error>?
    private var finished = false

    var isFinished: Bool { lock.withLock { _ in finished } }

    func await(_ continuation: CheckedContinuation<R, any Error>) {
        let ready = lock.withLock { _ -> Result<R, any Error>? in
            guard let early else {
                self.continuation = continuation
                return nil
            }
            self.early = nil
            return early
        }
        nonisolated(unsafe) let handedOver = ready
        if let handedOver { continuation.resume(with: handedOver) }
    }

    func finish(_ result: Result<R, any Error>) {
        nonisolated(unsafe) let handedOver = result
        let waiting = lock.withLock { _ -> CheckedContinuation<R, any Error>? in
            guard !finished else { return nil }
            finished = true
            guard let continuation else {
                early = handedOver
                return nil
            }
            self.continuation = nil
            return continuation
        }
        // Handed over once, to the one caller waiting: nothing else keeps or reads it.
        waiting?.resume(with: handedOver)
    }
}

/// PostgreSQL's reads, whose connections the server cancels past their statement_timeout:
/// that cancellation answers `ReadTimedOut`, like SQLite's.
struct TimedReads: SQLDatabase {
    let base: any SQLDatabase
    let timeLimit: Duration

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow).flatMapErrorThrowing { throw named($0) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        do { try await base.execute(sql: query, onRow) } catch { throw named(error) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do { return try await base.withSession(closure) } catch { throw named(error) }
    }

    private func named(_ error: any Error) -> any Error {
        // PostgresNIO answers the cancellation in its newer or its older error type, by path.
        let state = (error as? PSQLError)?.serverInfo?[.sqlState] ?? (error as? PostgresError)?.code.raw
        return state == PostgresError.Code.queryCanceled.raw ? ReadTimedOut(limit: timeLimit) : error
    }
}

/// A statement of a write transaction that went unanswered past its limit: its connection was
/// closed and the transaction is lost, nothing of it written.
public struct StatementAbandoned: Error, Sendable, CustomStringConvertible {
    public let limit: Duration

    public var description: String { "the database did not answer a statement within \(limit); its connection was closed" }
}

/// A connection's statements, each given `limit` to answer. Past it, or as soon as the
/// connection is found closed with the statement unanswered, the caller stops waiting
/// (`StatementAbandoned`) and `abandon` closes the connection: a statement sent on a connection
/// PostgreSQL ended may never be answered, closed or not, so waiting for it is no way out.
struct WatchedStatements: AsyncSQLDatabase {
    let base: any SQLDatabase
    let limit: Duration
    let isClosed: @Sendable () -> Bool
    let abandon: @Sendable () -> Void

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let outcome = Outcome<Void>()
        let (base, limit, isClosed, abandon) = (base, limit, isClosed, abandon)
        try await withCheckedThrowingContinuation { continuation in
            outcome.await(continuation)
            let timer = Task {
                let deadline = ContinuousClock.now + limit
                while ContinuousClock.now < deadline, !isClosed() { try await Task.sleep(for: .milliseconds(100)) }
                abandon()
                outcome.finish(.failure(StatementAbandoned(limit: limit)))
            }
            // Not a child task: the caller must be able to stop waiting for it.
            Task {
                do {
                    try await base.execute(sql: query, onRow)
                    outcome.finish(.success(()))
                } catch {
                    outcome.finish(.failure(error))
                }
                timer.cancel()
            }
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { try await closure(WatchedStatements(base: $0, limit: limit, isClosed: isClosed, abandon: abandon)) }
    }
}

/// A wrapper whose statements are async work of its own: SQLKit's future-returning `execute`
/// is that work run in a task.
protocol AsyncSQLDatabase: SQLDatabase {}

extension AsyncSQLDatabase {
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }
}
