import Foundation
public import Logging
public import OneGridDomain
public import OneGridStore
import Synchronization

/// A change to a case that open command rooms and queues should show: which case, and the grid
/// it lies in (which gives every area above it). Nil for both when a deadline sweep changed
/// cases anywhere, or a risk judgement changed colours that pages show.
public struct CaseChange: Sendable, Hashable {
    public var caseID: Int64?
    public var gridID: Int64?

    public init(caseID: Int64?, gridID: Int64?) {
        self.caseID = caseID
        self.gridID = gridID
    }

    public init(_ record: CaseRecord) {
        self.init(caseID: record.id, gridID: record.file.areas.grid)
    }

    /// Cases changed by a deadline sweep, or colours by a risk judgement, wherever they are.
    public static let anywhere = CaseChange(caseID: nil, gridID: nil)

    /// `case:grid`, or `*` for a change anywhere: what travels in a notification.
    var payload: String {
        guard let caseID, let gridID else { return "*" }
        return "\(caseID):\(gridID)"
    }

    init?(payload: Substring) {
        if payload == "*" {
            self = .anywhere
            return
        }
        let parts = payload.split(separator: ":")
        guard parts.count == 2, let caseID = Int64(parts[0]), let gridID = Int64(parts[1]) else { return nil }
        self.init(caseID: caseID, gridID: gridID)
    }

    /// Whether the change concerns `area`, given the grid's path from the directory.
    public func concerns(_ area: Area, in directory: Directory) -> Bool {
        guard let gridID else { return true }
        return directory.path(ofGrid: gridID)?[area.level] == area.id
    }
}

/// Tells everyone watching (each open command room and queue, through its live stream) that cases
/// changed, after the change committed. With PostgreSQL the news goes out as NOTIFY and comes back
/// through each server's LISTEN, so a step taken on one server reaches the pages open on all of
/// them; with SQLite it goes straight to this server's subscribers.
public final class CaseChangeFeed: Sendable {
    /// The PostgreSQL channel.
    static let channel = "onegrid_cases"

    private let database: OneGridDatabase
    private let subscribers = Mutex<[Int: AsyncStream<[CaseChange]>.Continuation]>([:])
    private let nextSubscriber = Atomic<Int>(0)
    private let announced = Atomic<Int>(0)
    /// Changes waiting to be sent as notifications, and the wake-up of the sender in `run`.
    private let outgoing = Mutex<[CaseChange]>([])
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    init(database: OneGridDatabase) {
        self.database = database
        // One pending wake-up is enough: the sender takes everything queued when it wakes.
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Whether changes travel through the database to other servers (PostgreSQL), so someone
    /// must `listen` and `sendAnnouncements`.
    public var isShared: Bool { database.isShared }

    /// Announces committed changes. Never waits and never fails the write it follows: on
    /// PostgreSQL, `run` sends what has gathered since it last woke in one statement.
    public func publish(_ changes: [CaseChange]) {
        guard !changes.isEmpty else { return }
        announced.add(1, ordering: .releasing)
        if database.isShared {
            outgoing.withLock { $0 += changes }
            wake.yield()
        } else {
            deliver(changes)
        }
    }

    /// The changes from now on, in batches, until the consumer stops iterating. A consumer that
    /// falls behind loses the oldest batches rather than holding memory: it refreshes anyway.
    public func subscribe() -> AsyncStream<[CaseChange]> {
        let id = nextSubscriber.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: [CaseChange].self, bufferingPolicy: .bufferingNewest(64))
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Grows with every batch of changes published here or heard from another server: what was
    /// read at one generation may be kept while the generation stays the same.
    public var generation: Int { announced.load(ordering: .acquiring) }

    private func deliver(_ changes: [CaseChange]) {
        announced.add(1, ordering: .releasing)
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(changes) }
    }

    /// On PostgreSQL: hears every server's changes (this one's included) over one LISTEN
    /// connection until the task is cancelled or the connection is lost, which throws; the caller
    /// listens again after a wait. Returns at once on SQLite, which needs no listening.
    public func listen(logger: Logger) async throws {
        try await database.listen(Self.channel, logger: logger) { payload in
            let changes = payload.split(separator: ",").compactMap(CaseChange.init(payload:))
            if !changes.isEmpty { self.deliver(changes) }
        }
    }

    /// On PostgreSQL: sends this server's changes as they are published, until the task is
    /// cancelled. Call once per feed. Returns at once on SQLite, which delivers them directly.
    public func sendAnnouncements(logger: Logger) async {
        guard database.isShared else { return }
        for await _ in wakes {
            let changes = outgoing.withLock { pending in defer { pending = [] }; return pending }
            // About 20 bytes a change: 300 keep a payload far below PostgreSQL's 8,000.
            let payloads = stride(from: 0, to: changes.count, by: 300).map { start in
                changes[start..<min(start + 300, changes.count)].map(\.payload).joined(separator: ",")
            }
            do {
                try await database.notify(Self.channel, payloads: payloads)
            } catch {
                logger.warning("could not announce \(changes.count) case changes: \(error)")
            }
        }
    }
}
