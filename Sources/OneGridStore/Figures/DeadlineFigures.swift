public import Foundation
public import OneGridDomain
import SQLKit

/// How deadline figures are split into rows.
public enum DeadlineFigureGrouping: Sendable, Hashable {
    /// One row per area of the query's level: the case's own column for that level.
    case area
    /// One row per assigned department (the lead of a joint case); cases no department holds yet
    /// make one row of their own, so the rows still add up to the area's total.
    case department
}

/// What to count: the cases of `areaIDs` (all of `areaLevel`), of one department when
/// `departmentID` is set, reported on the days from `from`'s through the one before `before`'s
/// (either end open when nil; the figures count whole days of the city's time zone), with overdue
/// judged at `now`. Grouped by area, each of `areaIDs` is a row.
public struct DeadlineFigureQuery: Sendable, Hashable {
    public var areaLevel: AdminLevel
    public var areaIDs: [Int64]
    public var departmentID: Int64?
    public var grouping: DeadlineFigureGrouping
    public var from: Date?
    public var before: Date?
    public var now: Date

    public init(
        areaLevel: AdminLevel, areaIDs: [Int64], departmentID: Int64? = nil, grouping: DeadlineFigureGrouping, from: Date? = nil,
        before: Date? = nil, now: Date
    ) {
        self.areaLevel = areaLevel
        self.areaIDs = areaIDs
        self.departmentID = departmentID
        self.grouping = grouping
        self.from = from
        self.before = before
        self.now = now
    }
}

/// One row of the deadline figures (DOMAIN.md §6–7): how many cases came in, how many were
/// closed and how many of those on time, how many are open past their due time, and how long
/// handling took.
public struct DeadlineFigureRow: Sendable, Hashable {
    /// The area or department counted; nil for the cases no department holds yet.
    public var groupID: Int64?
    public var received: Int
    /// Closed or archived: finished with the reporter's case concluded.
    public var closed: Int
    /// Closed cases whose (last) feedback came no later than their due time.
    public var closedOnTime: Int
    /// Still owed work and past their due time.
    public var overdue: Int
    /// Cases fed back (whatever came after), the base of the average handling time.
    public var handled: Int
    /// Mean of feedback time minus report time over the handled cases; nil when none was.
    public var averageHandlingSeconds: Double?

    public init(
        groupID: Int64?, received: Int = 0, closed: Int = 0, closedOnTime: Int = 0, overdue: Int = 0, handled: Int = 0,
        averageHandlingSeconds: Double? = nil
    ) {
        self.groupID = groupID
        self.received = received
        self.closed = closed
        self.closedOnTime = closedOnTime
        self.overdue = overdue
        self.handled = handled
        self.averageHandlingSeconds = averageHandlingSeconds
    }

    /// On time / closed, the standards' on-time rate; nil when nothing was closed.
    public var onTimeRate: Double? { closed > 0 ? Double(closedOnTime) / Double(closed) : nil }
}

/// Deadline figures: what came in, was closed (on time) and handled from the running totals
/// (`DeadlineLedger`), written with every case change and so exact at each commit; what is
/// overdue from the open cases past due, the only figure that moves with the clock alone.
public protocol DeadlineFigureStore: Sendable {
    /// The rows of `query`, in no particular order; groups without cases have no row.
    func deadlineFigures(_ query: DeadlineFigureQuery) async throws -> [DeadlineFigureRow]
}

public struct SQLDeadlineFigureStore: DeadlineFigureStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    public func deadlineFigures(_ query: DeadlineFigureQuery) async throws -> [DeadlineFigureRow] {
        guard !query.areaIDs.isEmpty else { return [] }
        let fromDay = query.from.map { DeadlineLedger.day(ofMillis: $0.millisecondsSince1970) }
        let beforeDay = query.before.map { DeadlineLedger.day(ofMillis: $0.millisecondsSince1970) }
        var rows: [Int64: DeadlineFigureRow] = [:]
        for counted in try await counted(query, fromDay: fromDay, beforeDay: beforeDay) where counted.received > 0 {
            rows[counted.groupId] = DeadlineFigureRow(
                groupID: counted.groupId, received: counted.received, closed: counted.closed, closedOnTime: counted.closedOnTime,
                handled: counted.handled,
                averageHandlingSeconds: counted.handled > 0 ? Double(counted.handlingMillis) / Double(counted.handled) / 1000 : nil)
        }
        for (group, overdue) in try await overdue(query, fromDay: fromDay, beforeDay: beforeDay) {
            rows[group, default: DeadlineFigureRow(groupID: group)].overdue = overdue
        }
        return rows.values.map { row in
            var row = row
            if row.groupID == 0 { row.groupID = nil }
            return row
        }
    }

    private struct Counted: Decodable {
        var groupId: Int64
        var received: Int
        var closed: Int
        var closedOnTime: Int
        var handled: Int
        var handlingMillis: Int64
    }

    /// The ledger's rows of the query's areas and days added up per group. PostgreSQL sums
    /// bigints into NUMERIC, so each sum is cast back.
    private func counted(_ query: DeadlineFigureQuery, fromDay: Int?, beforeDay: Int?) async throws -> [Counted] {
        let group = SQLIdentifier(query.grouping == .department ? "department_id" : "area_id")
        let select = database.reportReader.select().column(group, as: "group_id")
        for column in DeadlineLedger.Totals.columns {
            select.column(SQLQueryString("CAST(SUM(\(ident: column)) AS BIGINT)"), as: column)
        }
        select.from("deadline_ledger").where("area_id", .in, query.areaIDs)
        if let department = query.departmentID { select.where("department_id", .equal, department) }
        if let fromDay { select.where("day", .greaterThanOrEqual, fromDay) }
        if let beforeDay { select.where("day", .lessThan, beforeDay) }
        return try await select.groupBy(group).all(decoding: Counted.self, with: .snake)
    }

    /// The open cases past due per group, 0 standing for no department: read from the open
    /// cases by due time, so they cost the cases overdue now, not the scope's every case.
    private func overdue(_ query: DeadlineFigureQuery, fromDay: Int?, beforeDay: Int?) async throws -> [Int64: Int] {
        struct Row: Decodable {
            var groupId: Int64
            var overdue: Int
        }
        let area = SQLIdentifier("\(query.areaLevel.rawValue)_id")
        let group: any SQLExpression =
            query.grouping == .department ? SQLFunction("COALESCE", args: SQLIdentifier("department_id"), SQLLiteral.numeric("0")) : area
        let select = database.reportReader.select()
            .column(group, as: "group_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "overdue")
            .from("cases")
            .where(OpenCases.predicate)
            .where("due_at", .lessThan, query.now.millisecondsSince1970)
            .where(area, .in, SQLBind.group(query.areaIDs))
        if let department = query.departmentID { select.where("department_id", .equal, department) }
        if let fromDay { select.where("created_at", .greaterThanOrEqual, DeadlineLedger.start(ofDay: fromDay)) }
        if let beforeDay { select.where("created_at", .lessThan, DeadlineLedger.start(ofDay: beforeDay)) }
        let rows = try await select.groupBy(group).all(decoding: Row.self, with: .snake)
        return Dictionary(rows.map { ($0.groupId, $0.overdue) }, uniquingKeysWith: +)
    }
}
