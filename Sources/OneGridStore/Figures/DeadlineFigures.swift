public import Foundation
public import OneGridDomain
import SQLKit

/// How deadline figures are split into rows.
public enum DeadlineFigureGrouping: Sendable, Hashable {
    /// One row per area of this level: the case's own column for that level.
    case area(AdminLevel)
    /// One row per assigned department (the lead of a joint case); cases no department holds yet
    /// make one row of their own, so the rows still add up to the area's total.
    case department
}

/// What to count: the cases a scope sees, reported in [createdFrom, createdBefore) (either end
/// open when nil), with overdue judged at `now`.
public struct DeadlineFigureQuery: Sendable, Hashable {
    public var scope: CaseScope
    public var grouping: DeadlineFigureGrouping
    public var createdFrom: Date?
    public var createdBefore: Date?
    public var now: Date

    public init(scope: CaseScope, grouping: DeadlineFigureGrouping, createdFrom: Date? = nil, createdBefore: Date? = nil, now: Date) {
        self.scope = scope
        self.grouping = grouping
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
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

/// Deadline figures straight from the case rows, so they always agree with the record: a
/// report's read, over every case of the scope, so it runs in the reports' lane.
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
        struct Row: Decodable {
            var groupId: Int64
            var received: Int
            var closed: Int
            var closedOnTime: Int
            var overdue: Int
            var handled: Int
            var averageHandlingMillis: Double?
        }
        let group: any SQLExpression =
            switch query.grouping {
            case .area(let level): SQLIdentifier("\(level.rawValue)_id")
            // An expression rather than the bare column: SQLite would otherwise walk the whole
            // department index in order and fetch every row through it, three times slower than
            // a plain scan over a city's million cases. 0 stands for no department (ids start at 1).
            case .department: SQLFunction("COALESCE", args: SQLIdentifier("department_id"), SQLLiteral.numeric("0"))
            }
        let finished: [any Encodable & Sendable] = [CaseStatus.closed.rawValue, CaseStatus.archived.rawValue]
        let open: [any Encodable & Sendable] = CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)
        let now = query.now.millisecondsSince1970
        // One pass over the scope's rows: every figure is a conditional sum over the same group,
        // so the scope's index is read once whatever the number of figures. The handling time is
        // averaged as a double: PostgreSQL would average bigints into NUMERIC.
        let select = database.reportReader.select()
            .column(group, as: "group_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "received")
            .column(SQLQueryString("SUM(CASE WHEN status IN (\(binds: finished)) THEN 1 ELSE 0 END)"), as: "closed")
            .column(
                SQLQueryString("SUM(CASE WHEN status IN (\(binds: finished)) AND handled_at <= due_at THEN 1 ELSE 0 END)"),
                as: "closed_on_time")
            .column(
                SQLQueryString("SUM(CASE WHEN status IN (\(binds: open)) AND due_at < \(bind: now) THEN 1 ELSE 0 END)"),
                as: "overdue")
            .column(SQLQueryString("SUM(CASE WHEN handled_at IS NOT NULL THEN 1 ELSE 0 END)"), as: "handled")
            .column(SQLQueryString("AVG(CAST(handled_at - created_at AS DOUBLE PRECISION))"), as: "average_handling_millis")
            .from("cases")
        switch query.scope {
        case .area(let level, let id):
            select.where(SQLIdentifier("\(level.rawValue)_id"), .equal, SQLBind(id))
        case .department(let id):
            // The assignee (a joint case's lead) answers for the deadline; assisting departments
            // report to the lead and are not counted here.
            select.where("department_id", .equal, id)
        case .reporter(let userID):
            select.where("reporter_user_id", .equal, userID)
        case .nothing:
            return []
        }
        if let from = query.createdFrom { select.where("created_at", .greaterThanOrEqual, from.millisecondsSince1970) }
        if let before = query.createdBefore { select.where("created_at", .lessThan, before.millisecondsSince1970) }
        let rows = try await select.groupBy(group).all(decoding: Row.self, with: .snake)
        return rows.map { row in
            DeadlineFigureRow(
                groupID: row.groupId == 0 ? nil : row.groupId, received: row.received, closed: row.closed, closedOnTime: row.closedOnTime,
                overdue: row.overdue, handled: row.handled, averageHandlingSeconds: row.averageHandlingMillis.map { $0 / 1000 })
        }
    }
}
