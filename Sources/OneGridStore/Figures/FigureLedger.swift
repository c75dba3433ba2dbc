import Foundation
import OneGridDomain
import SQLKit

/// The figures' running totals: what the events of a transaction add to each area of their
/// cases' lineage (grid to city) for the month they happened in, written in that transaction,
/// so figures read from `figure_ledger` are exact at every commit and cost a few index reads
/// however many cases the city holds.
struct FigureLedger: Sendable {
    struct Key: Hashable, Comparable, Sendable {
        var month: Int
        var areaID: Int64
        var count: String
        var dimension: String

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.areaID, lhs.month, lhs.count, lhs.dimension) < (rhs.areaID, rhs.month, rhs.count, rhs.dimension)
        }
    }

    /// The month key under which the open count is kept a second time, over all time: the cases
    /// open now are then one row per area and shard. Summing every month's change instead read
    /// 41,721 rows for a city's 739 areas two years in (33 ms on PostgreSQL), for every command
    /// room read, twice a second while the hotline writes. No month has this key.
    static let allTime = 0

    private(set) var values: [Key: Int] = [:]
    /// The deadline figures' totals of the same changes, written with these.
    var deadlines = DeadlineLedger()

    init() {}

    /// One step's figures: `before` is the case the step was decided on, `after` the case it left.
    init(_ event: TimelineEvent, before: CaseFile, after: CaseRecord) {
        add(
            FigureRules.increments(of: event, after: after.file, reworkedBefore: before.reworkCount > 0, subject: after.figureSubject),
            at: event.atMillis, reportedAt: after.createdAt, areas: after.file.areas)
    }

    /// The reports of new cases: each row with its report event.
    init(reports rows: [CaseRow], events: [EventRow]) throws {
        for (row, event) in zip(rows, events) {
            deadlines.add(row)
            let record = try row.record(assists: [])
            add(
                FigureRules.increments(of: try event.stored().event, after: record.file, reworkedBefore: false, subject: record.figureSubject),
                at: event.at, reportedAt: record.createdAt, areas: record.file.areas)
        }
    }

    /// A whole timeline, as an import or a backfill writes it.
    mutating func add(timeline events: [TimelineEvent], final: CaseFile, subject: FigureSubject) {
        for (event, increments) in FigureRules.increments(ofTimeline: events, final: final, subject: subject) {
            add(increments, at: event.atMillis, reportedAt: subject.reportedAt, areas: final.areas)
        }
    }

    mutating func add(_ increments: [FigureIncrement], at millis: Int64, reportedAt: Date, areas: AreaPath) {
        guard !increments.isEmpty else { return }
        let eventMonth = FigureMonth(Date(millisecondsSince1970: millis), in: FigureMonth.cityTimeZone).key
        let reportMonth = FigureMonth(reportedAt, in: FigureMonth.cityTimeZone).key
        for increment in increments {
            let month = increment.count.isBookedAtReport ? reportMonth : eventMonth
            for month in increment.count == .open ? [month, Self.allTime] : [month] {
                for level in AdminLevel.allCases {
                    values[Key(month: month, areaID: areas[level], count: increment.count.rawValue, dimension: increment.dimension), default: 0] +=
                        increment.value
                }
            }
        }
    }

    mutating func add(_ other: FigureLedger) {
        values.merge(other.values, uniquingKeysWith: +)
        deadlines.add(other.deadlines)
    }

    /// Adds the totals to the stored ones, the deadline figures' with them.
    func write(into group: inout StatementGroup) {
        let changed = values.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        RunningTotals.add(
            changed.map { key, value in
                ([SQLBind(key.areaID), SQLBind(key.month), SQLBind(key.count), SQLBind(key.dimension)], [SQLBind(value)])
            }, into: "figure_ledger", keys: ["area_id", "month", "count", "dimension"], amounts: ["value"], to: &group)
        deadlines.write(into: &group)
    }
}

extension CaseRecord {
    var figureSubject: FigureSubject { FigureSubject(channel: channel, platform: platform, dueAt: dueAt, reportedAt: createdAt) }
}
