public import Foundation
public import OneGridDomain
import SQLKit

extension SQLCaseStore {
    /// Read in the reports' lane, off the requests' readers; the partial indexes on open cases
    /// keep it to the open ones at any size of the table.
    public func openCasesByStatus() async throws -> [CaseStatus: Int] {
        let rows = try await database.reportReader.select().column("status")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cases").where(OpenCases.predicate)
            .groupBy("status").all()
        var counts: [CaseStatus: Int] = [:]
        for row in rows {
            guard let status = CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            counts[status] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    public func record(id: Int64) async throws -> CaseRecord? {
        try await record(id: id, on: database.reader)
    }

    func record(id: Int64, on db: any SQLDatabase) async throws -> CaseRecord? {
        guard let row = try await db.select().columns("*").from("cases").where("id", .equal, id)
            .first().map({ try CaseRow(row: $0) })
        else { return nil }
        return try row.record(assists: try await assists(caseID: id, on: db))
    }

    func assists(caseID: Int64, on db: any SQLDatabase) async throws -> [CaseFile.Assist] {
        try await assists(caseIDs: [caseID], on: db)[caseID] ?? []
    }

    /// The assists of several cases in one query: a joint case reads the same in a list as alone.
    func assists(caseIDs: [Int64], on db: any SQLDatabase) async throws -> [Int64: [CaseFile.Assist]] {
        struct Row: Decodable {
            var caseId: Int64
            var departmentId: Int64
            var reportedAt: Int64?
        }
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await db.select().columns("case_id", "department_id", "reported_at").from("case_assists")
            .where("case_id", .in, caseIDs).orderBy("department_id")
            .all(decoding: Row.self, with: .snake)
        return Dictionary(grouping: rows, by: \.caseId).mapValues { rows in
            rows.map { CaseFile.Assist(departmentID: $0.departmentId, reportedAt: $0.reportedAt.map(Date.init(millisecondsSince1970:))) }
        }
    }

    public func list(_ query: CaseQuery, scope: CaseScope, now: Date) async throws -> CasePage {
        // A text no index narrows (a lone character, punctuation) is checked against every case
        // of the scope: a report's read, in the reports' lane.
        let unindexed = query.text.map { !$0.isEmpty && CaseSearch.pairs($0).isEmpty } ?? false
        let reader = unindexed ? database.reportReader : database.reader
        guard let select = listSelect(query, scope: scope, now: now, on: reader) else {
            return CasePage(cases: [], next: nil)
        }
        var rows: [CaseRow] = []
        if Self.readsTheNewestFirst(query, scope: scope), let newest = listSelect(query, scope: scope, now: now, on: reader, amongNewest: Self.newestRows) {
            rows = try await newest.all().map { try CaseRow(row: $0) }
        }
        // Fewer than a page among the newest: the page reaches further back, read from the indexes.
        if rows.count <= query.limit {
            if let merged = statusByStatus(query, scope: scope, now: now, on: reader) {
                rows = try await reader.raw(merged).all().map { try CaseRow(row: $0) }
            } else {
                rows = try await select.all().map { try CaseRow(row: $0) }
            }
        }
        let shown = rows.prefix(query.limit)
        let assists = try await assists(caseIDs: shown.compactMap(\.id), on: database.reader)
        let page = try shown.map { try $0.record(assists: assists[$0.id ?? 0] ?? []) }
        return CasePage(cases: page, next: rows.count > query.limit ? page.last.map { CaseCursor(after: $0, in: query.order) } : nil)
    }

    /// How many of the newest cases a list newest first looks among before it reads an index.
    static let newestRows = 1_000

    /// Whether a list newest first may find its page among the newest cases. Filters on several
    /// categories or statuses, a report-time window or a text are served by indexes not in id order:
    /// the planner reads every match and keeps the newest page, and a broad filter on recent cases
    /// (a platform's categories over the last 90 days, the open statuses) matches tens of
    /// thousands at 100,000 cases and a million at 10,000,000, most of them among the newest.
    /// Walking the newest cases finds such a page in a few dozen rows. It is worth a try only
    /// where a page can be there: a town or more (a village's or a grid's cases are too few among
    /// a city's newest) and a page of at most a twentieth of them; when fewer than a page of the
    /// newest match, the filter is narrow and its index is the fast way.
    static func readsTheNewestFirst(_ query: CaseQuery, scope: CaseScope) -> Bool {
        guard case .area(let level, _) = scope, level <= .town, (query.area?.level ?? level) <= .town else { return false }
        return query.order == .newest && query.overdue != true && (query.limit + 1) * 20 <= newestRows
            && (query.categoryIDs.count > 1 || query.statuses.count > 1 || query.createdFrom != nil || query.createdBefore != nil
                || !(query.text ?? "").isEmpty)
    }

    /// A list newest first on several statuses as one page per status, each read newest first
    /// from `cases_status_id` (status, id) and merged: a planner given the statuses as one list
    /// reads every case of them and keeps the newest (the open statuses are 3 % of a city's
    /// cases, 300,000 at 10,000,000), or walks every case newest first looking for them, past
    /// every newer case in another status (25,000 reports just taken on PostgreSQL: 13 ms).
    /// Nil where one query serves: a single status, another order, a text search, or a village's
    /// or a grid's cases, which are few enough to read once in id order where an arm per status
    /// reads them once per status (the seven open statuses of a grid walked its every case seven
    /// times: 70 ms warm, 500 ms from a cold file, at 3,400,000 cases).
    func statusByStatus(_ query: CaseQuery, scope: CaseScope, now: Date, on db: any SQLDatabase) -> SQLQueryString? {
        guard query.order == .newest, query.statuses.count > 1, query.overdue != true, (query.text ?? "").isEmpty else { return nil }
        var narrowest = query.area?.level
        if case .area(let level, _) = scope { narrowest = max(narrowest ?? level, level) }
        guard (narrowest ?? .city) <= .town else { return nil }
        var arms: [any SQLExpression] = []
        for (index, status) in query.statuses.enumerated() {
            var one = query
            one.statuses = [status]
            guard let arm = listSelect(one, scope: scope, now: now, on: db) else { return nil }
            arms.append(SQLQueryString("SELECT * FROM (\(arm.query)) AS \(ident: "status\(index)")"))
        }
        return "\(SQLList(arms, separator: SQLRaw(" UNION ALL "))) ORDER BY id DESC LIMIT \(literal: query.limit + 1)"
    }

    /// The query of `list` (nil when the scope sees nothing), apart so tests can ask each
    /// filter's plan of the database. With `amongNewest` it looks only among that many of the
    /// newest cases (after the cursor): every match of the page is among them when it finds more
    /// than a page.
    func listSelect(_ query: CaseQuery, scope: CaseScope, now: Date, on db: any SQLDatabase, amongNewest: Int? = nil) -> SQLSelectBuilder? {
        let select = db.select().columns("*")
        if let amongNewest {
            let newest = db.select().columns("*").from("cases")
            if let after = query.after { newest.where("id", .lessThan, after.id) }
            newest.orderBy("id", .descending).limit(amongNewest)
            select.from(SQLAlias(SQLGroupExpression(newest.select), as: SQLIdentifier("cases")))
        } else {
            select.from("cases")
        }
        let openStatuses = CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)
        // Open cases asked by their statuses (Open311's status=open) are stated as the partial
        // indexes' condition, so those indexes serve them too.
        let asksOpen = Set(query.statuses.map(\.rawValue)) == Set(openStatuses)
        // Statuses newest first within a county or a town are read from (status, id), the
        // area checked on each: SQLite's statistics hold one average per column, and for a
        // status few cases hold it walked the town's every case newest first instead (98
        // accepted among a soak's town of 60,000 reports: 42 ms at 700,000 cases, growing with
        // each). Written `+town_id`, the area's index is not a choice. A village or a grid is
        // small enough to walk; PostgreSQL's statistics know each status's share.
        let walksStatuses = database.kind == .sqlite && query.order == .newest && query.overdue != true && !query.statuses.isEmpty && !asksOpen
        func areaColumn(_ level: AdminLevel) -> any SQLExpression {
            let column = "\(level.rawValue)_id"
            return walksStatuses && (level == .county || level == .town) ? SQLQueryString("+\(ident: column)") : SQLIdentifier(column)
        }
        switch scope {
        case .area(let level, let id):
            select.where(areaColumn(level), .equal, SQLBind(id))
        case .department(let id):
            select.where { group in
                group.where("department_id", .equal, id)
                    .orWhere(
                        SQLIdentifier("id"), .in,
                        SQLGroupExpression(
                            db.select().column("case_id").from("case_assists")
                                .where("department_id", .equal, id).select))
            }
        case .reporter(let userID):
            select.where("reporter_user_id", .equal, userID)
        case .nothing:
            return nil
        }
        if let area = query.area { select.where(areaColumn(area.level), .equal, SQLBind(area.id)) }
        if !query.statuses.isEmpty && !asksOpen { select.where("status", .in, query.statuses.map(\.rawValue)) }
        if !query.categoryIDs.isEmpty { select.where("category_id", .in, query.categoryIDs) }
        if let platform = query.platform { select.where("platform", .equal, platform.rawValue) }
        if let channel = query.channel { select.where("channel", .equal, channel.rawValue) }
        if let department = query.departmentID { select.where("department_id", .equal, department) }
        // Stated once: SQLite uses the partial indexes of open cases only when it is stated word
        // for word. PostgreSQL proves it from statuses that are all open ones, and stated beside
        // them it counts the open cases' share twice: it expected 611 of the city's 61,000 cases
        // in a dispatcher's five statuses, sorted them all instead of walking cases_open_by_due
        // to the first page, and the queue took 173 ms instead of 0.7 ms at 10,000,000 cases.
        let impliedByStatuses = database.kind == .postgres && !query.statuses.isEmpty && query.statuses.allSatisfy(\.isOpen)
        if asksOpen || ((query.overdue == true || query.order == .urgent) && !impliedByStatuses) { select.where(OpenCases.predicate) }
        switch query.overdue {
        case true?:
            select.where("due_at", .lessThan, now.millisecondsSince1970)
        case false?:
            select.where { $0.where("due_at", .greaterThanOrEqual, now.millisecondsSince1970).orWhere("status", .notIn, openStatuses) }
        case nil:
            break
        }
        if let text = query.text, !text.isEmpty {
            // Among the newest cases the text is checked on each: the search index's candidates
            // would be every case with the text (tens of thousands for 路灯 in a city's year).
            if amongNewest == nil, let candidates = CaseSearch.candidates(text, kind: database.kind) {
                select.where(SQLIdentifier("id"), .in, SQLGroupExpression(candidates))
            }
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            // ESCAPE names the backslash on both databases, so % and _ in the text match literally.
            select.where(SQLQueryString("(title LIKE \(bind: pattern) ESCAPE '\\' OR description LIKE \(bind: pattern) ESCAPE '\\')"))
        }
        if let from = query.createdFrom { select.where("created_at", .greaterThanOrEqual, from.millisecondsSince1970) }
        if let before = query.createdBefore { select.where("created_at", .lessThan, before.millisecondsSince1970) }
        switch query.order {
        case .newest:
            if let after = query.after { select.where("id", .lessThan, after.id) }
            // The overdue are few: read them from the due-time indexes and sort them. Given the
            // id to order by, a planner may instead walk every case newest first, looking for a
            // page of them, which reads most of the table when they are old.
            let id: any SQLExpression = query.overdue == true ? SQLQueryString("(id + 0)") : SQLIdentifier("id")
            select.orderBy(SQLOrderBy(expression: id, direction: SQLDirection.descending))
        case .urgent:
            // Read in order from cases_open_by_due (due_at, id, grid_id), from the cursor on. The
            // first page states its bound too: SQLite walks a partial index in order for a range
            // on its columns, and otherwise reads the open cases by status and sorts them.
            let after = query.after ?? CaseCursor(id: 0, dueAt: .min)
            select.where(SQLQueryString("(due_at, id) > (\(bind: after.dueAt ?? .min), \(bind: after.id))"))
            select.orderBy("due_at").orderBy("id")
        case .reported:
            // Read backwards in order from cases_created_at_id, cases_category_created or
            // cases_open_created (migration 031) up to a page, whatever the report-time window.
            if let after = query.after {
                select.where(SQLQueryString("(created_at, id) < (\(bind: after.reportedAt ?? .max), \(bind: after.id))"))
            }
            select.orderBy("created_at", .descending).orderBy("id", .descending)
        }
        return select.limit(query.limit + 1)
    }

    public func timeline(caseID: Int64) async throws -> [StoredEvent] {
        try await database.reader.select().columns("*").from("case_events").where("case_id", .equal, caseID)
            .orderBy("sequence").all(decoding: EventRow.self, with: .spelledOut).map { try $0.stored() }
    }
}
