import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The public map and list of reports: the command room's area map, regions one level down (a
/// city's towns, a town's villages), the reports as points over it.
struct CitizenReportsPages {
    let site: PageSite
    /// Rows listed under the map; the map shows every report of the period.
    static let listed = 50

    func register(on pages: PageRouter) {
        pages.on(.citizenReports, use: show)
    }

    @Sendable func show(_ request: Request, context: PageRequestContext) async throws -> Response {
        let services = site.services
        let directory = services.directory
        let t = site.renderer.translation(context.language)
        let formats = site.formats(context.language)
        let city = directory.areas.values.first { $0.level == .city }
        guard
            let area = request.uri.queryParameters.get("area").flatMap(Int64.init).flatMap({ directory.areas[$0] }) ?? city,
            area.level < .grid
        else { throw PageError.notFound }
        let reports = try await services.citizenPortal.publicReports(in: area.level == .city ? nil : area.id)
        func link(_ area: Area) -> String { SiteURL.citizenReports.with([("area", String(area.id))]) }

        // A city's counties are few and large: its towns say more on a phone's width.
        let level: AdminLevel = area.level == .city ? .town : area.level.below ?? .grid
        let regionAreas = directory.areas.values.filter { candidate in
            candidate.level == level && candidate.retiredAt == nil && directory.lineage(of: candidate.id).contains { $0.id == area.id }
        }.sorted { $0.code < $1.code }
        let gridsByRegion = Dictionary(grouping: directory.boundaries.keys) { directory.path(ofGrid: $0)?[level] ?? 0 }
        let counts = Dictionary(grouping: reports) { level == .town ? $0.townID : $0.villageID }.mapValues(\.count)
        var map = AreaMap(
            regions: regionAreas.map { region in
                let count = counts[region.id] ?? 0
                return AreaMap.Region(
                    name: region.name, href: region.level == .grid ? link(area) : link(region),
                    grids: (region.level == .grid ? [region.id] : gridsByRegion[region.id] ?? []).compactMap { directory.boundaries[$0] },
                    band: .grey, figure: level == .grid ? "" : String(count),
                    title: t.text("citizen.reports.regionTitle", ["area": region.name, "count": String(count)]))
            },
            legend: [], caption: t.text("citizen.reports.mapCaption", ["area": area.name]), width: 640, height: 560)
        map.markers = reports.compactMap { report in
            report.location.map {
                AreaMap.Marker(
                    point: $0, done: !report.status.isOpen,
                    title: "\(report.category) · \(report.village) · \(t.text("citizen.status.\(report.status.rawValue)"))")
            }
        }
        map.markerLegend = (t.text("citizen.reports.open"), t.text("citizen.reports.done"))
        let crumbs = directory.lineage(of: area.id).filter { $0.id != area.id && $0.level != .county }.map {
            CitizenReportsPage.Crumb(name: $0.name, href: link($0))
        }
        let rows = reports.prefix(Self.listed).map { report in
            CitizenReportsPage.Row(
                category: report.category, place: [report.town, report.village].joined(separator: " "),
                status: t.text("citizen.status.\(report.status.rawValue)"), done: !report.status.isOpen, date: formats.calendar.dayKey(report.reportedAt))
        }
        let page = CitizenReportsPage(
            area: area.name, heading: t.text("citizen.reports.heading", ["area": area.name]), crumbs: crumbs, hasCrumbs: !crumbs.isEmpty, map: map.svg(), rows: rows, hasRows: !rows.isEmpty,
            count: t.text("citizen.reports.count", ["count": String(reports.count)]))
        let layout = Layout.citizen(title: t.text("citizen.reports.title"), request: request, context: context, renderer: site.renderer)
        return site.renderer.render("citizen-reports", page, layout: layout)
    }
}
