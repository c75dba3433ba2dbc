import Foundation
import OneGridDomain
import Synchronization

/// The last overviews read, each kept while no case changed (the change feed's generation) and
/// for at most a second, which bounds what passing time alone changes (what is overdue now,
/// today's intake). Every open command room asks again on every change and every few seconds:
/// most of them then get the same answer without a read.
///
/// A read is shared: when a kept overview runs out, the command rooms asking at that moment all
/// wait for one read instead of each starting its own, which on a wall of viewers multiplied the
/// read by their number exactly when it was slowest. And reads of one overview begin at most
/// twice a second: under a steady stream of changes (a busy hotline) every kept overview is stale
/// at once, and an ask that comes sooner waits for the next read rather than taking a stale answer
/// or starting a read of its own.
final class FigureCache: Sendable {
    struct Key: Hashable {
        var areaID: Int64
        var from: FigureMonth
        var to: FigureMonth
    }

    private struct Entry {
        var overview: FiguresOverview
        var generation: Int
        var readAt: Date
    }

    private struct Reading {
        var generation: Int
        var task: Task<FiguresOverview, any Error>
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var readings: [Key: Reading] = [:]
    }

    static let lifetime: TimeInterval = 1
    static let readInterval: TimeInterval = 0.5
    private let state = Mutex(State())

    /// The overview of `key` as of `generation` (taken before asking, so a change landing during
    /// a read leaves its result stale at once): kept, being read, or read now by `read`.
    func overview(
        _ key: Key, generation: Int, now: Date, read: @escaping @Sendable () async throws -> FiguresOverview
    ) async throws -> FiguresOverview {
        enum Next {
            case kept(FiguresOverview)
            case wait(Task<FiguresOverview, any Error>)
            case pause(TimeInterval)
        }
        let next: Next = state.withLock { state in
            let entry = state.entries[key]
            if let entry, entry.generation == generation, abs(now.timeIntervalSince(entry.readAt)) < Self.lifetime {
                return .kept(entry.overview)
            }
            if let reading = state.readings[key], reading.generation >= generation { return .wait(reading.task) }
            if let entry, case let age = now.timeIntervalSince(entry.readAt), age >= 0, age < Self.readInterval {
                return .pause(Self.readInterval - age)
            }
            // Unstructured: the read finishes and is kept even when the request that began it
            // goes away, since the others waiting for it still need it.
            let task = Task {
                do {
                    let overview = try await read()
                    self.finish(key, generation: generation, keeping: overview, readAt: now)
                    return overview
                } catch {
                    self.finish(key, generation: generation, keeping: nil, readAt: now)
                    throw error
                }
            }
            state.readings[key] = Reading(generation: generation, task: task)
            return .wait(task)
        }
        switch next {
        case .kept(let overview): return overview
        case .wait(let task): return try await task.value
        case .pause(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            // The read then judges overdue at the moment asked, a fraction of a second before.
            return try await overview(key, generation: generation, now: now.addingTimeInterval(seconds), read: read)
        }
    }

    private func finish(_ key: Key, generation: Int, keeping overview: FiguresOverview?, readAt: Date) {
        state.withLock { state in
            if state.readings[key]?.generation == generation { state.readings[key] = nil }
            guard let overview else { return }
            // Bounded: many areas and periods asked once each must not grow it for good.
            if state.entries.count >= 512 { state.entries.removeAll() }
            state.entries[key] = Entry(overview: overview, generation: generation, readAt: readAt)
        }
    }
}
