public import Foundation
public import OneGridDomain
import SQLKit

/// An open case past its due time, for the worst-overdue list.
public struct OverdueCase: Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var status: CaseStatus
    public var gridID: Int64
    public var departmentID: Int64?
    public var dueAt: Date
    public var createdAt: Date
}

/// The figures of DOMAIN.md §6, read from the ledger the case writes keep (flows per month, the
/// open stock) and from the open cases' due-time index (what is overdue now): never a scan of
/// the cases table, so they cost the same at ten thousand cases as at ten million.
public protocol FigureStore: Sendable {
    /// Each area's counts per month over `months` (both ends included); an area or month
    /// without events has no entry.
    func monthly(areaIDs: [Int64], months: ClosedRange<FigureMonth>) async throws -> [Int64: [FigureMonth: FigureTotals]]
    /// How many cases are open in each area at the end of `month`, or now when it is nil.
    func open(areaIDs: [Int64], through month: FigureMonth?) async throws -> [Int64: Int]
    /// How many open cases are past their due time at `now`, per grid with any.
    func overdueByGrid(at now: Date) async throws -> [Int64: Int]
    /// The open cases longest past their due time within an area, oldest due first.
    func worstOverdue(in area: Area, at now: Date, limit: Int) async throws -> [OverdueCase]
    /// How many cases were reported in an area from `start` until `end`: the same hours of a
    /// day a year before.
    func received(in area: Area, since start: Date, before end: Date) async throws -> Int
    /// How many cases were reported in an area on the day (in the city's time zone) of `date`:
    /// today's intake.
    func received(in area: Area, onDayOf date: Date) async throws -> Int
}

extension FigureStore {
    /// How many cases are open now in each area.
    public func open(areaIDs: [Int64]) async throws -> [Int64: Int] {
        try await open(areaIDs: areaIDs, through: nil)
    }
}

public struct SQLFigureStore: FigureStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// PostgreSQL sums BIGINTs into NUMERIC; cast back so both databases give an integer.
    private static let sum = SQLQueryString("CAST(SUM(value) AS BIGINT)")

    /// The ledger's grouped rows as one text cell each, `|` between the fields, the free-form
    /// dimension last: PostgresKit decodes every cell through its generic path, and decoding the
    /// city's overview five cells a row was a third of that read's time on PostgreSQL.
    private static func line(_ fields: [any SQLExpression]) -> SQLQueryString {
        var line = SQLQueryString("")
        for (index, field) in fields.enumerated() {
            if index > 0 { line.appendLiteral(" || '|' || ") }
            line.appendInterpolation(field)
        }
        return line
    }

    /// The fields of a `line`, the last keeping any `|` of its own.
    private static func fields(_ row: any SQLRow, count: Int) throws -> [Substring] {
        // Split over bytes: splitting by characters took as long as decoding.
        let fields = try row.decode(column: "line", as: String.self).utf8
            .split(separator: UInt8(ascii: "|"), maxSplits: count - 1, omittingEmptySubsequences: false).map(Substring.init)
        guard fields.count == count else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a ledger line of \(fields.count) fields")) }
        return fields
    }

    public func monthly(areaIDs: [Int64], months: ClosedRange<FigureMonth>) async throws -> [Int64: [FigureMonth: FigureTotals]] {
        guard !areaIDs.isEmpty else { return [:] }
        // Summed over the shards, which are write-side only.
        let rows = try await database.reader.select()
            .column(Self.line([SQLIdentifier("area_id"), SQLIdentifier("month"), Self.sum, SQLIdentifier("count"), SQLIdentifier("dimension")]), as: "line")
            .from("figure_ledger")
            .where("area_id", .in, areaIDs)
            .where("month", .greaterThanOrEqual, months.lowerBound.key).where("month", .lessThanOrEqual, months.upperBound.key)
            .groupBy("area_id").groupBy("month").groupBy("count").groupBy("dimension")
            .all()
        var result: [Int64: [FigureMonth: FigureTotals]] = [:]
        for row in rows {
            let fields = try Self.fields(row, count: 5)
            guard let areaID = Int64(fields[0]), let month = Int(fields[1]).flatMap(FigureMonth.init(key:)), let value = Int(fields[2]),
                let count = FigureCount(rawValue: String(fields[3]))
            else { continue }
            result[areaID, default: [:]][month, default: FigureTotals()].add(count, String(fields[4]), value)
        }
        return result
    }

    public func open(areaIDs: [Int64], through month: FigureMonth?) async throws -> [Int64: Int] {
        guard !areaIDs.isEmpty else { return [:] }
        // The open count is kept as each month's change, so the stock at a month's end is the
        // sum of the changes up to it; and once more over all time, the stock now.
        let select = database.reader.select()
            .column(Self.line([SQLIdentifier("area_id"), Self.sum]), as: "line")
            .from("figure_ledger")
            .where("area_id", .in, areaIDs).where("count", .equal, FigureCount.open.rawValue)
        if let month {
            select.where("month", .greaterThan, FigureLedger.allTime).where("month", .lessThanOrEqual, month.key)
        } else {
            select.where("month", .equal, FigureLedger.allTime)
        }
        var open: [Int64: Int] = [:]
        for row in try await select.groupBy("area_id").all() {
            let fields = try Self.fields(row, count: 2)
            guard let areaID = Int64(fields[0]), let value = Int(fields[1]) else { continue }
            open[areaID, default: 0] += value
        }
        return open
    }

    public func overdueByGrid(at now: Date) async throws -> [Int64: Int] {
        struct Row: Decodable {
            var gridId: Int64
            var overdue: Int
        }
        // Grouped by an expression, not the column: grouping by `grid_id` made SQLite walk every
        // open case in `cases_open_grid_category` (migration 034) for its order, 47 ms beside a
        // busy hotline's new reports, where the overdue are a few read by due time.
        let rows = try await Self.overdueByGrid(at: now, on: database.reader)
            .all(decoding: Row.self, with: .snake)
        return Dictionary(rows.map { ($0.gridId, $0.overdue) }, uniquingKeysWith: +)
    }

    /// The query of `overdueByGrid`, apart so a test can ask its plan.
    static func overdueByGrid(at now: Date, on db: any SQLDatabase) -> SQLSelectBuilder {
        // PostgreSQL shows only what is grouped by: the same expression, named as the column.
        db.select()
            .column(SQLQueryString("grid_id + 0"), as: "grid_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "overdue")
            .from("cases")
            .where(OpenCases.predicate).where("due_at", .lessThan, now.millisecondsSince1970)
            .groupBy(SQLQueryString("grid_id + 0"))
    }

    public func worstOverdue(in area: Area, at now: Date, limit: Int) async throws -> [OverdueCase] {
        struct Row: Decodable {
            var id: Int64
            var title: String
            var status: String
            var gridId: Int64
            var departmentId: Int64?
            var dueAt: Int64
            var createdAt: Int64
        }
        let select = database.reader.select()
            .columns("id", "title", "status", "grid_id", "department_id", "due_at", "created_at")
            .from("cases")
            .where(OpenCases.predicate).where("due_at", .lessThan, now.millisecondsSince1970)
        if area.level != .city { select.where(SQLIdentifier("\(area.level.rawValue)_id"), .equal, SQLBind(area.id)) }
        let rows = try await select.orderBy("due_at").orderBy("id").limit(limit).all(decoding: Row.self, with: .snake)
        return rows.compactMap { row in
            guard let status = CaseStatus(rawValue: row.status) else { return nil }
            return OverdueCase(
                id: row.id, title: row.title, status: status, gridID: row.gridId, departmentID: row.departmentId,
                dueAt: Date(millisecondsSince1970: row.dueAt), createdAt: Date(millisecondsSince1970: row.createdAt))
        }
    }

    public func received(in area: Area, since start: Date, before end: Date) async throws -> Int {
        let select = database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cases")
            .where("created_at", .greaterThanOrEqual, start.millisecondsSince1970)
            .where("created_at", .lessThan, end.millisecondsSince1970)
        if area.level != .city { select.where(SQLIdentifier("\(area.level.rawValue)_id"), .equal, SQLBind(area.id)) }
        return try await select.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// From the deadline figures' running totals, a few rows: counting the cases themselves read
    /// every case reported today, which a busy hotline's day makes thousands, on every refresh.
    public func received(in area: Area, onDayOf date: Date) async throws -> Int {
        let sum = try await database.reader.select().column(SQLQueryString("CAST(SUM(received) AS BIGINT)"), as: "n")
            .from("deadline_ledger")
            .where("area_id", .equal, area.id).where("day", .equal, DeadlineLedger.day(ofMillis: date.millisecondsSince1970))
            .first(decodingColumn: "n", as: Int?.self)
        return (sum ?? nil) ?? 0
    }
}
