public import Foundation
public import OneGridDomain
public import OneGridStore

/// One area's figures in an overview: its flows over the period, and its stocks now.
public struct AreaFigures: Sendable, Hashable {
    public var area: Area
    public var totals: FigureTotals
    /// The same months a year earlier.
    public var lastYear: FigureTotals
    public var open: Int
    public var overdue: Int
}

/// What a command room shows for an area (DOMAIN.md §6): the counts and rates of a period with
/// the same period a year before, this month and today, the open and overdue cases now, one row
/// per area one level down to drill into, a 12-month trend, the map's values per grid and the
/// worst-overdue cases.
public struct FiguresOverview: Sendable {
    public var area: AreaFigures
    /// The chain from the city down to the area, for the way back up.
    public var lineage: [Area]
    public var from: FigureMonth
    public var to: FigureMonth
    public var now: Date
    public var thisMonth: FigureTotals
    public var thisMonthLastYear: FigureTotals
    public var receivedToday: Int
    /// Reported on the same day a year before, up to the same time of day.
    public var receivedTodayLastYear: Int
    /// Open at the end of the same month a year before: the ledger's nearest point to a year ago.
    public var openLastYear: Int
    /// The areas one level down (none below a grid).
    public var children: [AreaFigures]
    /// The 12 months ending with `to`, oldest first; months without events count zero.
    public var trend: [(month: FigureMonth, totals: FigureTotals)]
    /// Every grid of the area with its open and overdue cases now, for the map.
    public var grids: [(grid: Area, open: Int, overdue: Int)]
    public var worstOverdue: [OverdueCase]
}

/// The deadline figures of a post (DOMAIN.md §6–7), as `Figures.deadlines` reads them.
public struct DeadlineFigures: Sendable {
    public var grouping: DeadlineFigureGrouping
    public var from: Date?
    public var to: Date?
    /// The moment overdue was judged at.
    public var now: Date
    public var rows: [DeadlineFigureRow]
    public var total: DeadlineFigureRow
}

/// The figures use case: the one place the command room, `/api/v1/figures/overview` and the
/// exports read figures from.
public struct Figures: Sendable {
    let services: OneGridServices
    let store: any FigureStore

    public init(services: OneGridServices) {
        self.services = services
        self.store = SQLFigureStore(database: services.database)
    }

    /// The overview of `areaID` (the post's own area when nil) over the months `from` through
    /// `to` (this month alone when both are nil). Refuses an area outside the post's and a period
    /// that runs backwards or spans more than five years.
    public func overview(for post: Post, areaID: Int64?, from: FigureMonth?, to: FigureMonth?) async throws -> FiguresOverview {
        let directory = services.directory
        let now = services.clock.now
        let current = FigureMonth(now, in: FigureMonth.cityTimeZone)
        let (area, first, last) = try scope(for: post, areaID: areaID, from: from, to: to, current: current)
        let cacheKey = FigureCache.Key(areaID: area.id, from: first, to: last)
        let generation = services.changes.generation
        return try await services.figureCache.overview(cacheKey, generation: generation, now: now) {
            try await read(area, from: first, to: last, current: current, now: now, in: directory)
        }
    }

    /// The area asked for, which the post's area must cover, and the period's first and last
    /// months, refused when it runs backwards or spans more than five years.
    func scope(for post: Post, areaID: Int64?, from: FigureMonth?, to: FigureMonth?, current: FigureMonth) throws -> (Area, FigureMonth, FigureMonth) {
        let directory = services.directory
        let areaID = areaID ?? post.areaID
        guard let area = directory.areas[areaID], directory.covers(post, areaID: areaID) else {
            throw DomainError.notFound("area \(areaID) within the post's area", field: "area")
        }
        let last = to ?? from ?? current
        let first = from ?? last
        guard first <= last else { throw DomainError.invalid(field: "to", "to must not be before from") }
        guard first.adding(months: 60) > last else { throw DomainError.invalid(field: "from", "a period spans at most 60 months") }
        return (area, first, last)
    }

    /// The overview read from the ledger and the open cases, without the cache.
    private func read(
        _ area: Area, from first: FigureMonth, to last: FigureMonth, current: FigureMonth, now: Date, in directory: Directory
    ) async throws -> FiguresOverview {
        let children = directory.children(of: area.id)
        let grids = area.level == .grid ? [area] : Self.grids(of: area, in: directory)
        let trendStart = last.adding(months: -11)
        // The area's months: its period, its trend, this month and the year before each. Its
        // children show only their period beside the year before: read apart, they are a few
        // months each instead of the area's two years, which were four-fifths of the city's
        // 4,000 ledger rows read each second while the hotline keeps changing them.
        var monthly = try await store.monthly(
            areaIDs: [area.id], months: min(first.yearBefore, trendStart, current.yearBefore)...max(last, current))
        // A period over a year long meets its year before: one range then.
        let childMonths =
            last.yearBefore.adding(months: 1) >= first ? [first.yearBefore...last] : [first...last, first.yearBefore...last.yearBefore]
        for months in childMonths where !children.isEmpty {
            for (id, byMonth) in try await store.monthly(areaIDs: children.map(\.id), months: months) {
                monthly[id, default: [:]].merge(byMonth) { kept, _ in kept }
            }
        }
        let open = try await store.open(areaIDs: [area.id] + children.map(\.id) + grids.map(\.id))
        let overdueByGrid = try await store.overdueByGrid(at: now)

        func sum(_ id: Int64, _ months: [FigureMonth]) -> FigureTotals {
            months.reduce(into: FigureTotals()) { total, month in monthly[id]?[month].map { total.add($0) } }
        }
        func overdue(in area: Area) -> Int {
            area.level == .grid
                ? overdueByGrid[area.id] ?? 0
                : overdueByGrid.reduce(0) { $0 + (directory.path(ofGrid: $1.key)?[area.level] == area.id ? $1.value : 0) }
        }
        let period = first.through(last)
        let periodLastYear = period.map(\.yearBefore)
        func figures(_ area: Area) -> AreaFigures {
            AreaFigures(
                area: area, totals: sum(area.id, period), lastYear: sum(area.id, periodLastYear), open: open[area.id] ?? 0,
                overdue: overdue(in: area))
        }
        let aYearAgo = Self.calendar.date(byAdding: .year, value: -1, to: now) ?? now
        return FiguresOverview(
            area: figures(area), lineage: directory.lineage(of: area.id), from: first, to: last, now: now,
            thisMonth: sum(area.id, [current]), thisMonthLastYear: sum(area.id, [current.yearBefore]),
            receivedToday: try await store.received(in: area, onDayOf: now),
            receivedTodayLastYear: try await store.received(
                in: area, since: Self.calendar.startOfDay(for: aYearAgo), before: aYearAgo),
            openLastYear: try await store.open(areaIDs: [area.id], through: current.yearBefore)[area.id] ?? 0,
            children: children.map(figures),
            trend: trendStart.through(last).map { ($0, sum(area.id, [$0])) },
            grids: grids.map { ($0, open[$0.id] ?? 0, overdueByGrid[$0.id] ?? 0) },
            worstOverdue: try await store.worstOverdue(in: area, at: now, limit: 10))
    }

    /// The deadline figures of the post's cases reported on the days from `from` through the day
    /// before `to` (either end open when nil; each the start of a day in the city's time zone):
    /// one row per area one level below the post's (its own at the bottom), every such area
    /// present also without cases and in code order, or one row per department by id with the
    /// cases no department holds last; and the rows added up. That `from` and `to` start days and
    /// `from` comes before `to` is the caller's to check, where it can name the field as its
    /// caller wrote it.
    public func deadlines(for post: Post, byDepartment: Bool, from: Date?, to: Date?) async throws -> DeadlineFigures {
        let directory = services.directory
        let now = services.clock.now
        let areaLevel = post.areaLevel.below ?? post.areaLevel
        let grouping: DeadlineFigureGrouping = byDepartment ? .department : .area
        let rowAreas = areaLevel == post.areaLevel ? [post.areaID] : directory.children(of: post.areaID).map(\.id)
        // The areas counted: by area, each a row; by department, the post's own area, or every
        // city for a department, which answers for its cases wherever they lie.
        let areas: (level: AdminLevel, ids: [Int64])
        var departmentID: Int64?
        switch (CaseScope(post: post), byDepartment) {
        case (.area(let level, let id), true): areas = (level, [id])
        case (.area, false): areas = (areaLevel, rowAreas)
        case (.department(let id), let byDepartment):
            let level = byDepartment ? AdminLevel.city : areaLevel
            areas = (level, directory.areas.values.filter { $0.level == level }.map(\.id).sorted())
            departmentID = id
        case (.reporter, _), (.nothing, _): areas = (areaLevel, [])
        }
        var rows = try await SQLDeadlineFigureStore(database: services.database).deadlineFigures(
            DeadlineFigureQuery(
                areaLevel: areas.level, areaIDs: areas.ids, departmentID: departmentID, grouping: grouping, from: from, before: to, now: now))
        if byDepartment {
            rows.sort { ($0.groupID ?? .max) < ($1.groupID ?? .max) }
        } else {
            // Every area below the post's gets its row, so an area without cases shows as such
            // instead of missing.
            if !areas.ids.isEmpty {
                let present = Set(rows.compactMap(\.groupID))
                rows += rowAreas.filter { !present.contains($0) }.map { DeadlineFigureRow(groupID: $0) }
            }
            rows.sort { (directory.areas[$0.groupID ?? 0]?.code ?? "") < (directory.areas[$1.groupID ?? 0]?.code ?? "") }
        }
        return DeadlineFigures(grouping: grouping, from: from, to: to, now: now, rows: rows, total: Self.total(rows))
    }

    /// The rows added up; the average handling time weighted by each row's handled cases.
    static func total(_ rows: [DeadlineFigureRow]) -> DeadlineFigureRow {
        var total = DeadlineFigureRow(groupID: nil)
        var handlingSeconds = 0.0
        for row in rows {
            total.received += row.received
            total.closed += row.closed
            total.closedOnTime += row.closedOnTime
            total.overdue += row.overdue
            total.handled += row.handled
            handlingSeconds += (row.averageHandlingSeconds ?? 0) * Double(row.handled)
        }
        total.averageHandlingSeconds = total.handled > 0 ? handlingSeconds / Double(total.handled) : nil
        return total
    }

    /// Days and months in the city's time zone.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FigureMonth.cityTimeZone
        return calendar
    }()

    /// The grids inside `area`, in code order.
    static func grids(of area: Area, in directory: Directory) -> [Area] {
        directory.areas.values.filter { $0.level == .grid && directory.path(ofGrid: $0.id)?[area.level] == area.id }
            .sorted { $0.code < $1.code }
    }
}

extension OneGridServices {
    public var figures: Figures { Figures(services: self) }
}
