import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Figures over the case record for the post's own area (DOMAIN.md §6–7).
struct FiguresController {
    let services: OneGridServices
    let figures: any DeadlineFigureStore
    let overviewBodies = OverviewBodies()

    init(services: OneGridServices) {
        self.services = services
        self.figures = SQLDeadlineFigureStore(database: services.database)
    }

    func register(on api: APIRouter) {
        api.on(.deadlineFigures, use: deadlines)
        api.on(.figureOverview, use: overview)
        api.on(.figureProcedures, use: procedures)
    }

    struct FigureJSON: Codable, Sendable {
        var area: AreaJSON?
        var department: DepartmentJSON?
        /// Set on the row of cases no department holds yet.
        var unassigned: Bool?
        var received: Int
        var closed: Int
        var closedOnTime: Int
        var onTimeRate: Double?
        var overdue: Int
        var handled: Int
        var averageHandlingHours: Double?

        init(_ row: DeadlineFigureRow, area: Area? = nil, department: Department? = nil, unassigned: Bool? = nil) {
            self.area = area.map(AreaJSON.init)
            self.department = department.map(DepartmentJSON.init)
            self.unassigned = unassigned
            received = row.received
            closed = row.closed
            closedOnTime = row.closedOnTime
            onTimeRate = row.onTimeRate
            overdue = row.overdue
            handled = row.handled
            averageHandlingHours = row.averageHandlingSeconds.map { $0 / 3600 }
        }
    }

    struct DeadlineFiguresJSON: ResponseEncodable {
        var groupBy: String
        var from: Date?
        var to: Date?
        /// The moment overdue was judged at.
        var now: Date
        var rows: [FigureJSON]
        var total: FigureJSON
    }

    /// Per area one level below the post's (a town dispatcher sees its villages; a grid worker
    /// its grid) or per department: received, closed, closed on time, overdue, handling time.
    /// A department handler counts its own department's cases only.
    @Sendable func deadlines(_ request: Request, context: SignedInContext) async throws -> DeadlineFiguresJSON {
        let post = context.principal.post
        let parameters = request.uri.queryParameters
        let groupBy = parameters.get("groupBy") ?? "area"
        let areaLevel = post.areaLevel.below ?? post.areaLevel
        let grouping: DeadlineFigureGrouping
        switch groupBy {
        case "area": grouping = .area(areaLevel)
        case "department": grouping = .department
        default:
            throw APIError(.badRequest, code: .invalid, "groupBy must be area or department, not '\(groupBy)'", field: "groupBy")
        }
        let from = try parameters.get("from").map { try CaseController.date($0, field: "from") }
        let to = try parameters.get("to").map { try CaseController.date($0, field: "to") }
        if let from, let to, from >= to {
            throw APIError(.badRequest, code: .invalid, "to must be later than from", field: "to")
        }
        let now = services.clock.now
        let scope = CaseScope(post: post)
        var rows = try await figures.deadlineFigures(
            DeadlineFigureQuery(scope: scope, grouping: grouping, createdFrom: from, createdBefore: to, now: now))

        let directory = services.directory
        var views: [FigureJSON]
        switch grouping {
        case .area:
            // Every area below the post's gets its row, so an area without cases shows as such
            // instead of missing.
            if scope != .nothing {
                let expected = areaLevel == post.areaLevel ? [post.areaID] : directory.children(of: post.areaID).map(\.id)
                let present = Set(rows.compactMap(\.groupID))
                rows += expected.filter { !present.contains($0) }.map { DeadlineFigureRow(groupID: $0) }
            }
            views = rows.map { row in FigureJSON(row, area: row.groupID.flatMap { directory.areas[$0] }) }
            views.sort { ($0.area?.code ?? "") < ($1.area?.code ?? "") }
        case .department:
            views = rows.sorted { ($0.groupID ?? .max) < ($1.groupID ?? .max) }.map { row in
                FigureJSON(row, department: row.groupID.flatMap { directory.departments[$0] }, unassigned: row.groupID == nil ? true : nil)
            }
        }
        return DeadlineFiguresJSON(groupBy: groupBy, from: from, to: to, now: now, rows: views, total: FigureJSON(Self.total(rows)))
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
}
