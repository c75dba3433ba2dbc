import Foundation
import Hummingbird
import Synchronization
import OneGridApplication
import OneGridDomain
import OneGridStore

/// `GET /api/v1/figures/overview`: what the command room shows, as JSON.
extension FiguresController {
    /// The counts of a period and the rates of DOMAIN.md §6 built from them.
    struct TotalsJSON: Codable, Sendable {
        var received: Int
        var receivedByChannel: [String: Int]
        var accepted: Int
        var cancelled: Int
        var rejected: Int
        var guided: Int
        var merged: Int
        var dispatched: Int
        var dispatchedByPlatform: [String: Int]
        var handled: Int
        var handledByChannel: [String: Int]
        var verified: Int
        var reworked: Int
        var closed: Int
        var closedByLevel: [String: Int]
        var closedOnTime: Int
        var rated: Int
        var ratedBy: [String: Int]
        var returned: Int
        var escalated: Int
        var closureRate: Double?
        var onTimeRate: Double?
        var reworkRate: Double?
        var satisfaction: Double?
        var handlingRate: Double?
        /// Closed at the village level or below / closed: the seeds' headline.
        var shareClosedInVillage: Double?

        init(_ totals: FigureTotals) {
            func by<T: RawRepresentable & CaseIterable>(_ count: FigureCount, _: T.Type) -> [String: Int] where T.RawValue == String {
                Dictionary(uniqueKeysWithValues: T.allCases.map { ($0.rawValue, totals[count, $0.rawValue]) })
            }
            received = totals[.received]
            receivedByChannel = by(.received, Channel.self)
            accepted = totals[.accepted]
            cancelled = totals.cancelled
            rejected = totals[.rejected]
            guided = totals[.guided]
            merged = totals[.merged]
            dispatched = totals[.dispatched]
            dispatchedByPlatform = by(.dispatched, Platform.self)
            handled = totals[.handled]
            handledByChannel = by(.handled, Channel.self)
            verified = totals[.verified]
            reworked = totals[.reworked]
            closed = totals[.closed]
            closedByLevel = by(.closed, AdminLevel.self)
            closedOnTime = totals[.closedOnTime]
            rated = totals[.rated]
            ratedBy = by(.rated, Rating.self)
            returned = totals[.returned]
            escalated = totals[.escalated]
            closureRate = totals.closureRate
            onTimeRate = totals.onTimeRate
            reworkRate = totals.reworkRate
            satisfaction = totals.satisfaction
            handlingRate = totals.handlingRate
            shareClosedInVillage = totals.shareClosed(atOrBelow: .village)
        }
    }

    struct AreaFiguresJSON: Codable, Sendable {
        var area: AreaJSON
        var totals: TotalsJSON
        var lastYear: TotalsJSON
        var open: Int
        var overdue: Int

        init(_ figures: AreaFigures) {
            area = AreaJSON(figures.area)
            totals = TotalsJSON(figures.totals)
            lastYear = TotalsJSON(figures.lastYear)
            open = figures.open
            overdue = figures.overdue
        }
    }

    struct MonthJSON: Codable, Sendable {
        var month: String
        var totals: TotalsJSON
    }

    struct GridJSON: Codable, Sendable {
        var area: AreaJSON
        var open: Int
        var overdue: Int
    }

    struct OverdueJSON: Codable, Sendable {
        var id: Int64
        var title: String
        var status: CaseStatus
        var grid: AreaJSON?
        var dueAt: Date
        var overdueHours: Double
    }

    struct OverviewJSON: ResponseEncodable {
        var from: String
        var to: String
        var now: Date
        var lineage: [AreaJSON]
        var figures: AreaFiguresJSON
        var thisMonth: TotalsJSON
        var thisMonthLastYear: TotalsJSON
        var receivedToday: Int
        var receivedTodayLastYear: Int
        var open: Int
        var openLastYear: Int
        var children: [AreaFiguresJSON]
        var trend: [MonthJSON]
        var grids: [GridJSON]
        var worstOverdue: [OverdueJSON]

        init(_ overview: FiguresOverview, directory: Directory) {
            from = overview.from.description
            to = overview.to.description
            now = overview.now
            lineage = overview.lineage.map(AreaJSON.init)
            figures = AreaFiguresJSON(overview.area)
            thisMonth = TotalsJSON(overview.thisMonth)
            thisMonthLastYear = TotalsJSON(overview.thisMonthLastYear)
            receivedToday = overview.receivedToday
            receivedTodayLastYear = overview.receivedTodayLastYear
            open = overview.area.open
            openLastYear = overview.openLastYear
            children = overview.children.map(AreaFiguresJSON.init)
            trend = overview.trend.map { MonthJSON(month: $0.month.description, totals: TotalsJSON($0.totals)) }
            grids = overview.grids.map { GridJSON(area: AreaJSON($0.grid), open: $0.open, overdue: $0.overdue) }
            worstOverdue = overview.worstOverdue.map { item in
                OverdueJSON(
                    id: item.id, title: item.title, status: item.status, grid: directory.areas[item.gridID].map(AreaJSON.init),
                    dueAt: item.dueAt, overdueHours: (overview.now.timeIntervalSince(item.dueAt) / 360).rounded() / 10)
            }
        }
    }

    /// The overview of `area` (default: the post's own) for the months `from`–`to` (YYYY-MM,
    /// default: this month). With `format`, a download of the area's and its children's rows.
    @Sendable func overview(_ request: Request, context: SignedInContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let format = try ExportFormat.asked(parameters)
        let overview = try await overview(parameters, for: context.principal.post)
        if let format {
            let t = try Self.translation(request)
            return try FigureTable(overview: overview, translation: t).response(format, translation: t, calendar: services.calendar, now: overview.now)
        }
        let body = try overviewBodies.body(of: overview) {
            try JSONEncoder.api.encode(OverviewJSON(overview, directory: services.directory))
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    /// The overview `area`, `from` and `to` ask of for `post`.
    func overview(_ parameters: Parameters, for post: Post) async throws -> FiguresOverview {
        let (areaID, from, to) = try Self.scope(parameters)
        return try await services.figures.overview(for: post, areaID: areaID, from: from, to: to)
    }

    /// The `area`, `from` and `to` of a figures query, each refused by its name when malformed.
    static func scope(_ parameters: Parameters) throws -> (areaID: Int64?, from: FigureMonth?, to: FigureMonth?) {
        let areaID = try parameters.get("area").map { text in
            guard let id = Int64(text), id > 0 else {
                throw APIError(.badRequest, code: .invalid, "area must be an area id, not '\(text)'", field: "area")
            }
            return id
        }
        func month(_ field: String) throws -> FigureMonth? {
            try parameters.get(field).map { text in
                guard let month = FigureMonth(text) else {
                    throw APIError(.badRequest, code: .invalid, "\(field) must be a month as YYYY-MM, not '\(text)'", field: field)
                }
                return month
            }
        }
        return (areaID, try month("from"), try month("to"))
    }
}

/// The JSON of the overviews last answered. The figures service hands every command room the
/// same overview until a case changes or a second passes; encoding it (a city's hundreds of
/// grids) again for each of them was most of what answering them cost.
final class OverviewBodies: Sendable {
    private struct Key: Hashable {
        var areaID: Int64
        var from: FigureMonth
        var to: FigureMonth
        /// When the overview was read: a new read is a new overview.
        var now: Date
    }

    private let bodies = Mutex<[Key: ByteBuffer]>([:])

    func body(of overview: FiguresOverview, encode: () throws -> Data) throws -> ByteBuffer {
        let key = Key(areaID: overview.area.area.id, from: overview.from, to: overview.to, now: overview.now)
        if let body = bodies.withLock({ $0[key] }) { return body }
        let body = ByteBuffer(bytes: try encode())
        bodies.withLock { bodies in
            // Only the newest read of each area and period is asked for again.
            bodies = bodies.filter { $0.key.areaID != key.areaID || $0.key.from != key.from || $0.key.to != key.to }
            if bodies.count >= 512 { bodies.removeAll() }
            bodies[key] = body
        }
        return body
    }
}
