import Foundation
import OneGridDomain
import Synchronization
import Testing

@testable import OneGridApplication

/// The command rooms' shared figures: one read however many ask at once, a new one after a
/// change or a second, and a failed read never kept.
@Suite struct FigureCacheTests {
    let key = FigureCache.Key(areaID: 1, from: FigureMonth(year: 2026, month: 11), to: FigureMonth(year: 2026, month: 11))
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func overview(received: Int, at now: Date) -> FiguresOverview {
        let city = Area(id: 1, code: "370800", name: "济宁市", level: .city, parentID: nil)
        let figures = AreaFigures(area: city, totals: FigureTotals(), lastYear: FigureTotals(), open: 0, overdue: 0)
        let month = FigureMonth(year: 2026, month: 11)
        return FiguresOverview(
            area: figures, lineage: [city], from: month, to: month, now: now, thisMonth: FigureTotals(),
            thisMonthLastYear: FigureTotals(), receivedToday: received, receivedTodayLastYear: 0, openLastYear: 0, children: [],
            trend: [], grids: [], worstOverdue: [])
    }

    /// Counts reads; each takes a while, so the askers overlap it.
    final class Reads: Sendable {
        let count = Atomic<Int>(0)

        func read(at now: Date) async throws -> FiguresOverview {
            let number = count.add(1, ordering: .relaxed).newValue
            try await Task.sleep(for: .milliseconds(100))
            return FigureCacheTests.overview(received: number, at: now)
        }
    }

    @Test func askersAtOnceShareOneRead() async throws {
        let cache = FigureCache()
        let reads = Reads()
        let received = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { [key, now] in
                    try await cache.overview(key, generation: 7, now: now) { try await reads.read(at: now) }.receivedToday
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(reads.count.load(ordering: .relaxed) == 1)
        #expect(received == Array(repeating: 1, count: 16))
        // Kept afterwards, within the second and the generation.
        let again = try await cache.overview(key, generation: 7, now: now.addingTimeInterval(0.5)) { try await reads.read(at: now) }
        #expect(again.receivedToday == 1)
        #expect(reads.count.load(ordering: .relaxed) == 1)
    }

    @Test func aChangeOrASecondReadsAgain() async throws {
        let cache = FigureCache()
        let reads = Reads()
        _ = try await cache.overview(key, generation: 7, now: now) { try await reads.read(at: now) }
        let changed = try await cache.overview(key, generation: 8, now: now) { try await reads.read(at: now) }
        #expect(changed.receivedToday == 2)
        let later = now.addingTimeInterval(1.5)
        let aged = try await cache.overview(key, generation: 8, now: later) { try await reads.read(at: later) }
        #expect(aged.receivedToday == 3)
    }

    @Test func aFailedReadIsNotKept() async throws {
        struct Unreachable: Error {}
        let cache = FigureCache()
        await #expect(throws: Unreachable.self) {
            _ = try await cache.overview(key, generation: 7, now: now) { throw Unreachable() }
        }
        let reads = Reads()
        let next = try await cache.overview(key, generation: 7, now: now) { try await reads.read(at: now) }
        #expect(next.receivedToday == 1)
    }
}
