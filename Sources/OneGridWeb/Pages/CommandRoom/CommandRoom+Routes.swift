import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The command room of the area the post covers, or of an area below it named by `area=`.
struct CommandRoomPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.commandRoom, use: show)
        pages.on(.commandRoomExport, use: export)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let post = context.principal.post
        let areaID = try Self.areaID(request.uri.queryParameters.get("area"))
        let overview: FiguresOverview
        do {
            overview = try await site.services.figures.overview(for: post, areaID: areaID, from: nil, to: nil)
        } catch let error as DomainError where error.code == .notFound {
            // An area outside the post's cover is a page that does not exist, never its figures.
            throw PageError.notFound
        }
        let t = site.renderer.translation(context.page.language)
        var model = CommandRoomPage(overview, post: post, directory: site.services.directory, formats: site.formats(context.page.language))
        model.procedures = try await procedures(of: overview.area.area, for: context.principal, language: context.page.language)
        var layout = Layout(
            title: t.text("room.title", ["area": model.heading]), request: request, context: context.page, renderer: site.renderer)
        layout.wall = true
        layout.pageStylesheet = site.renderer.assets.url("room.css")
        return site.renderer.render("command-room", model, layout: layout)
    }

    /// The year so far of mediation and petitions and what screening is overdue, in the room's area.
    func procedures(of area: Area, for principal: Principal, language: Language) async throws -> RoomProcedures {
        let now = FigureMonth(site.services.clock.now, in: FigureMonth.cityTimeZone)
        let figures = try await site.services.figures.procedures(
            for: principal.post, areaID: area.id, from: FigureMonth(year: now.year, month: 1), to: now)
        let screening = try await site.services.screening.overview(for: principal, areaID: area.id)
        return RoomProcedures(figures, screening: screening, directory: site.services.directory, formats: site.formats(language))
    }

    /// The figures the page shows for its area and the areas below, as a CSV or NDJSON
    /// download in the page's language: the API's export of the same overview.
    @Sendable func export(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let format: ExportFormat
        do {
            format = try ExportFormat.asked(parameters) ?? .csv
        } catch {
            // Only the page's own links name a format: another names no download there is.
            throw PageError.notFound
        }
        let areaID = try Self.areaID(parameters.get("area"))
        let overview: FiguresOverview
        do {
            overview = try await site.services.figures.overview(for: context.principal.post, areaID: areaID, from: nil, to: nil)
        } catch let error as DomainError where error.code == .notFound {
            throw PageError.notFound
        }
        let t = site.renderer.translation(context.page.language)
        return try FigureTable(overview: overview, translation: t)
            .response(format, translation: t, calendar: site.services.calendar, now: overview.now)
    }

    /// The area asked for, nil for the post's own; anything but an id names no page.
    static func areaID(_ text: String?) throws -> Int64? {
        guard let text else { return nil }
        guard let id = Int64(text), id > 0 else { throw PageError.notFound }
        return id
    }
}
