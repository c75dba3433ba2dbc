import Foundation
import OneGridDomain
import SQLKit

/// The deadline figures' running totals: per area of a case's lineage (grid to city), day it
/// was reported and department holding it, what its cases add to each figure, kept in the
/// transaction that writes the case. A step moves its case's share from the key and totals it
/// had to those it has, so a report over every case of a city reads a few rows per day instead of
/// the cases: the one-hour soak's city grew to 4,000,000 cases and the scan ran past its limit.
struct DeadlineLedger: Sendable {
    struct Key: Hashable, Comparable, Sendable {
        var areaID: Int64
        var day: Int
        /// 0 for the cases no department holds yet (ids start at 1).
        var departmentID: Int64

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.areaID, lhs.day, lhs.departmentID) < (rhs.areaID, rhs.day, rhs.departmentID)
        }
    }

    /// What one case adds, or what many add up to: `DeadlineFigureRow`'s counts, with the
    /// handling time as a sum for the average.
    struct Totals: Hashable, Sendable {
        var received = 0
        var closed = 0
        var closedOnTime = 0
        var handled = 0
        var handlingMillis: Int64 = 0

        static let columns = ["received", "closed", "closed_on_time", "handled", "handling_millis"]

        var amounts: [Int64] { [Int64(received), Int64(closed), Int64(closedOnTime), Int64(handled), handlingMillis] }

        mutating func add(_ other: Totals, times sign: Int = 1) {
            received += sign * other.received
            closed += sign * other.closed
            closedOnTime += sign * other.closedOnTime
            handled += sign * other.handled
            handlingMillis += Int64(sign) * other.handlingMillis
        }
    }

    private(set) var values: [Key: Totals] = [:]

    /// The day of a moment in the city's time zone, as days since 1970-01-01 there. Shanghai
    /// has kept one offset since 1991, so the day is plain arithmetic, the same the migration's
    /// SQL does over the stored cases.
    static func day(ofMillis millis: Int64) -> Int { Int((millis + offsetMillis) / 86_400_000) }

    /// The moment a day starts.
    static func start(ofDay day: Int) -> Int64 { Int64(day) * 86_400_000 - offsetMillis }

    static let offsetMillis = Int64(FigureMonth.cityTimeZone.secondsFromGMT()) * 1000

    /// What a case adds to its keys: the counts `SQLDeadlineFigureStore` reads, judged from the
    /// row as the figures define them.
    static func share(of row: CaseRow) -> Totals {
        let closed = row.status == CaseStatus.closed.rawValue || row.status == CaseStatus.archived.rawValue
        return Totals(
            received: 1, closed: closed ? 1 : 0, closedOnTime: closed && row.handledAt.map { $0 <= row.dueAt } == true ? 1 : 0,
            handled: row.handledAt == nil ? 0 : 1, handlingMillis: row.handledAt.map { $0 - row.createdAt } ?? 0)
    }

    static func keys(of row: CaseRow) -> [Key] {
        let day = day(ofMillis: row.createdAt)
        return [row.cityId, row.countyId, row.townId, row.villageId, row.gridId].map {
            Key(areaID: $0, day: day, departmentID: row.departmentId ?? 0)
        }
    }

    /// A case's share added (or, with -1, taken away).
    mutating func add(_ row: CaseRow, times sign: Int = 1) {
        add(Self.share(of: row), to: Self.keys(of: row), times: sign)
    }

    /// A step's change: the case's share as it was taken away, as it is added; nothing when the
    /// step changed neither (most steps: an urge, a note, an accept).
    mutating func move(from before: CaseRow, to after: CaseRow) {
        let was = (share: Self.share(of: before), keys: Self.keys(of: before))
        let now = (share: Self.share(of: after), keys: Self.keys(of: after))
        guard was != now else { return }
        add(was.share, to: was.keys, times: -1)
        add(now.share, to: now.keys)
    }

    private mutating func add(_ share: Totals, to keys: [Key], times sign: Int = 1) {
        for key in keys {
            values[key, default: Totals()].add(share, times: sign)
        }
    }

    mutating func add(_ other: DeadlineLedger) {
        for (key, totals) in other.values {
            values[key, default: Totals()].add(totals)
        }
    }

    func write(into group: inout StatementGroup) {
        let changed = values.filter { $0.value != Totals() }.sorted { $0.key < $1.key }
        RunningTotals.add(
            changed.map { key, totals in
                ([SQLBind(key.areaID), SQLBind(key.day), SQLBind(key.departmentID)], totals.amounts.map { SQLBind($0) })
            }, into: "deadline_ledger", keys: ["area_id", "day", "department_id"], amounts: Totals.columns, to: &group)
    }
}
