import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Figures over the case record for the post's own area (DOMAIN.md §6–7).
struct FiguresController {
    let services: OneGridServices
    let overviewBodies = OverviewBodies()

    init(services: OneGridServices) {
        self.services = services
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
        /// Set on the row of the rows added up, in an NDJSON export.
        var total: Bool?
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

        /// A row named by its area or department as `grouping` counts it.
        init(_ row: DeadlineFigureRow, grouping: DeadlineFigureGrouping, directory: Directory) {
            switch grouping {
            case .area: self.init(row, area: row.groupID.flatMap { directory.areas[$0] })
            case .department:
                self.init(row, department: row.groupID.flatMap { directory.departments[$0] }, unassigned: row.groupID == nil ? true : nil)
            }
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
    /// A department handler counts its own department's cases only. As JSON, or with `format`
    /// a download of the rows and their total.
    @Sendable func deadlines(_ request: Request, context: SignedInContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let format = try ExportFormat.asked(parameters)
        let figures = try await deadlines(parameters, for: context.principal.post)
        let directory = services.directory
        if let format {
            let t = try Self.translation(request)
            return try FigureTable(deadlines: figures, directory: directory, translation: t)
                .response(format, translation: t, calendar: services.calendar, now: figures.now)
        }
        let json = DeadlineFiguresJSON(
            groupBy: figures.grouping == .department ? "department" : "area", from: figures.from, to: figures.to, now: figures.now,
            rows: figures.rows.map { FigureJSON($0, grouping: figures.grouping, directory: directory) }, total: FigureJSON(figures.total))
        return try json.response(from: request, context: context)
    }

    /// The deadline figures `groupBy` (area or department), `from` and `to` ask of for `post`.
    func deadlines(_ parameters: Parameters, for post: Post) async throws -> DeadlineFigures {
        let groupBy = parameters.get("groupBy") ?? "area"
        guard groupBy == "area" || groupBy == "department" else {
            throw APIError(.badRequest, code: .invalid, "groupBy must be area or department, not '\(groupBy)'", field: "groupBy")
        }
        let from = try parameters.get("from").map { try CaseController.date($0, field: "from") }
        let to = try parameters.get("to").map { try CaseController.date($0, field: "to") }
        // The figures are kept per report day: a time of day would count part of a day.
        for (field, date) in [("from", from), ("to", to)] where date.map({ Figures.calendar.startOfDay(for: $0) != $0 }) == true {
            throw APIError(
                .badRequest, code: .invalid, "\(field) must be a date like 2026-05-01, not a time of day: the figures count cases by the day they were reported",
                field: field)
        }
        if let from, let to, from >= to {
            throw APIError(.badRequest, code: .invalid, "to must be later than from", field: "to")
        }
        return try await services.figures.deadlines(for: post, byDepartment: groupBy == "department", from: from, to: to)
    }

    /// The language of a download's CSV header: the request's `Accept-Language`.
    static func translation(_ request: Request) throws -> Translation {
        try PageResources.bundled.get().translation(Language(acceptLanguage: request.headers[.acceptLanguage]))
    }
}
