import Foundation
public import OneGridDomain
import Synchronization

/// The last overviews read, each kept while no case changed (the change feed's generation) and
/// for at most a second, which bounds what passing time alone changes (what is overdue now,
/// today's intake). Every open command room asks again on every change and every few seconds:
/// most of them then get the same answer without a read.
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

    static let lifetime: TimeInterval = 1
    private let entries = Mutex<[Key: Entry]>([:])

    func overview(_ key: Key, generation: Int, now: Date) -> FiguresOverview? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.generation == generation, abs(now.timeIntervalSince(entry.readAt)) < Self.lifetime
            else { return nil }
            return entry.overview
        }
    }

    /// Keeps `overview`, read at `generation` (taken before the read began, so a change landing
    /// during the read leaves it stale at once).
    func keep(_ overview: FiguresOverview, for key: Key, generation: Int, now: Date) {
        entries.withLock { entries in
            // Bounded: many areas and periods asked once each must not grow it for good.
            if entries.count >= 512 { entries.removeAll() }
            entries[key] = Entry(overview: overview, generation: generation, readAt: now)
        }
    }
}
