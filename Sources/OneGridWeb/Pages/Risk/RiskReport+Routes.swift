import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The weekly stability reports: a county's list, one week's report as a printable document and
/// as CSV. What a report holds is `RiskWatch`'s; the pages only show it.
extension RiskPages {
    /// The county and week a report's path names; a week that is not ISO 8601's is not a page.
    static func reportKey(_ context: SignedInPageContext) throws -> (countyID: Int64, week: RiskWeek) {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0,
            let week = context.parameters.get("week").flatMap(RiskWeek.init(iso:))
        else { throw PageError.notFound }
        return (id, week)
    }

    /// The report the post may read; a county it does not cover, or a week not yet closed, is no page.
    func report(_ context: SignedInPageContext) async throws -> (county: Area, report: RiskReport, issued: Bool) {
        let key = try Self.reportKey(context)
        do {
            return try await site.services.riskWatch.report(countyID: key.countyID, week: key.week, for: context.principal.post)
        } catch let error as DomainError where error.code == .notFound || error.field == "week" {
            throw PageError.notFound
        }
    }

    /// "2026-11-23 至 2026-11-29（2026 年第 48 周）".
    func period(_ week: RiskWeek, formats: PageFormats) -> String {
        let span = site.services.riskWatch.span(of: week, at: formats.now)
        let iso = week.iso
        return formats.t.text("risk.report.period", [
            "from": String(formats.dateTime(span.lowerBound).prefix(10)), "to": String(formats.dateTime(span.upperBound.addingTimeInterval(-1)).prefix(10)),
            "year": String(iso.year), "week": String(iso.week),
        ])
    }

    /// The report's page model: rows judged as at the week's end, so a follow-up shows overdue
    /// as it was then, not as it is when the report is read.
    func reportPage(_ county: Area, _ report: RiskReport, issued: Bool, language: Language) async throws -> RiskReportPage {
        let services = site.services
        let directory = services.directory
        let t = site.renderer.translation(language)
        let now = site.formats(language)
        let end = services.riskWatch.span(of: report.week, at: now.now).upperBound
        let formats = PageFormats(t: t, calendar: services.calendar, now: end)
        let share = services.planner.yellowShare
        func row(_ standing: RiskStanding, title: String? = nil) -> RiskRow {
            RiskRow(RiskWatch.Entry(standing: standing, lineage: directory.lineage(of: standing.areaID)), title: title, directory: directory, formats: formats, yellowShare: share)
        }
        let titles = try await services.riskWatch.titles(of: report.matters.map(\.matter) + report.changes.map(\.change.matter))
        let users = try await services.people.users(ids: report.changes.compactMap(\.change.byUserID))
        /// Where it lies below the county, which the whole report is of; an area's own name is its
        /// row's name, not its place.
        func place(_ areaID: Int64, area: Bool) -> String {
            directory.lineage(of: areaID).dropLast(area ? 1 : 0).filter { $0.level > .county }.map(\.name).joined(separator: " · ")
        }
        var towns = report.towns.map { row($0) }
        for index in towns.indices {
            towns[index].href = SiteURL.risk.with([("area", String(report.towns[index].matter.id))])
            if towns[index].reasons.isEmpty { towns[index].reasons = "—" }
        }
        var matters = report.matters.map { row($0, title: titles[$0.matter]) }
        for index in matters.indices { matters[index].place = place(report.matters[index].areaID, area: false) }
        var colour = row(report.county)
        if colour.reasons.isEmpty { colour.reasons = t.text("risk.report.noReasons") }
        let key = county.code
        return RiskReportPage(
            city: directory.lineage(of: county.id).first { $0.level == .city }?.name ?? t.text("app.name"),
            heading: t.text("risk.report.heading", ["county": county.name]),
            number: t.text("risk.report.number", ["code": key, "week": report.week.isoText]),
            period: period(report.week, formats: now),
            issued: issued
                ? t.text("risk.report.issuedAt", ["at": now.dateTime(report.issuedAt)]) : t.text("risk.report.compiledAt", ["at": now.dateTime(report.issuedAt)]),
            colour: colour,
            summary: t.text("risk.report.summary", [
                "red": String(matters.count { $0.colour == "red" }), "yellow": String(matters.count { $0.colour == "yellow" }),
                "changes": String(report.changes.count),
                "redTowns": String(report.towns.count { $0.colour == .red }), "yellowTowns": String(report.towns.count { $0.colour == .yellow }),
            ]),
            towns: towns,
            changes: report.changes.map { entry in
                let change = entry.change
                let name = change.matter.kind == .area
                    ? directory.areas[change.matter.id]?.name ?? "" : titles[change.matter] ?? RiskRow.number(of: change.matter, t: t)
                return RiskReportPage.Change(
                    at: now.dateTime(change.at), kind: t.text("risk.kind.\(change.matter.kind.rawValue)"), name: name,
                    href: SiteURL.riskMatter(.value(change.matter.id)).with([("kind", change.matter.kind.rawValue)]),
                    place: place(entry.areaID, area: change.matter.kind == .area),
                    from: t.text("risk.colour.\(change.from.rawValue)"), fromState: change.from.rawValue,
                    to: t.text("risk.colour.\(change.to.rawValue)"), toState: change.to.rawValue,
                    reasons: change.to < change.from
                        ? t.text("risk.report.cameDown", ["note": change.followUpNote ?? "—"])
                        : change.reasons.map { RiskRow.reason($0, t: t) }.joined(separator: "；"),
                    by: change.byUserID.map { users[$0]?.displayName ?? "" } ?? t.text("risk.byRules"))
            },
            matters: matters,
            situations: report.situations.map { entry in
                let judgement = entry.judgement
                return RiskReportPage.Situation(
                    name: t.text("risk.situation.\(entry.situation.rawValue)"), count: String(judgement.count),
                    expected: String(format: "%.1f", judgement.expected), threshold: String(format: "%.1f", judgement.threshold),
                    basis: t.text(judgement.years > 0 ? "risk.report.basisYears" : "risk.report.basisRecent", [
                        "years": String(judgement.years), "seasonal": String(format: "%.1f", judgement.seasonal), "trend": String(format: "%.2f", judgement.trend),
                    ]),
                    above: judgement.isAbove, verdict: t.text(judgement.isAbove ? "risk.report.above" : "risk.report.within"))
            },
            followUpsDone: report.followUpsDone, followUpsOverdue: report.followUpsOverdue, anyOverdue: report.followUpsOverdue > 0,
            compiler: t.text("risk.report.compiler", ["county": county.name]),
            listURL: SiteURL.riskReports.with([("county", String(county.id))]),
            exportURL: SiteURL.riskReportExport(.value(county.id), week: report.week.isoText).path,
            previousURL: SiteURL.riskReport(.value(county.id), week: (report.week - 1).isoText).path,
            nextURL: report.week < services.riskWatch.lastWeek(at: now.now) ? SiteURL.riskReport(.value(county.id), week: (report.week + 1).isoText).path : nil)
    }

    @Sendable func showReport(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let (county, report, issued) = try await report(context)
        let model = try await reportPage(county, report, issued: issued, language: context.page.language)
        let layout = Layout(
            title: t.text("risk.report.title", ["county": county.name, "week": report.week.isoText]), request: request, context: context.page,
            renderer: site.renderer)
        return site.renderer.render("risk-report", model, layout: layout)
    }

    /// The report as a spreadsheet: a block per section, each with its own header row.
    @Sendable func exportReport(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let (county, report, issued) = try await report(context)
        let page = try await reportPage(county, report, issued: issued, language: context.page.language)
        var bytes = CSV.byteOrderMark + CSV.line([page.heading, page.number, page.period, page.issued])
        bytes += CSV.line([t.text("risk.report.countyColour"), page.colour.colourLabel, page.colour.reasons, page.summary])
        func section(_ title: String, _ header: [String], _ rows: [[String]]) {
            bytes += CSV.line([]) + CSV.line([title]) + CSV.line(header)
            for row in rows { bytes += CSV.line(row) }
        }
        let columns = RiskRow.columns.map { t.text("risk.column.\($0)") }
        section(t.text("risk.report.towns"), columns, page.towns.map(\.cells))
        section(
            t.text("risk.report.changes"),
            ["at", "kind", "name", "place", "from", "to", "reasons", "by"].map { t.text("risk.report.changeColumn.\($0)") },
            page.changes.map { [$0.at, $0.kind, $0.name, $0.place, $0.from, $0.to, $0.reasons, $0.by] })
        section(t.text("risk.report.matters"), columns, page.matters.map(\.cells))
        section(
            t.text("risk.report.situations"),
            ["situation", "count", "expected", "threshold", "basis", "verdict"].map { t.text("risk.report.situationColumn.\($0)") },
            page.situations.map { [$0.name, $0.count, $0.expected, $0.threshold, $0.basis, $0.verdict] })
        section(
            t.text("risk.report.followUps"), [t.text("risk.report.followUpsDone"), t.text("risk.report.followUpsOverdue")],
            [[String(page.followUpsDone), String(page.followUpsOverdue)]])
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"risk-report-\(county.code)-\(report.week.isoText).csv\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A county's issued reports, newest first; a post over several counties picks one.
    @Sendable func listReports(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let post = context.principal.post
        let language = context.page.language
        let t = site.renderer.translation(language)
        let formats = site.formats(language)
        let watch = site.services.riskWatch
        let counties = watch.reportCounties(for: post)
        let wanted = try CommandRoomPages.areaID(request.uri.queryParameters.get("county"))
        var heading = t.text("risk.report.listHeading")
        var items: [RiskReportsPage.Item] = []
        var latestURL: String?
        let last = watch.lastWeek(at: formats.now)
        var county = counties.first
        if let wanted {
            guard let found = counties.first(where: { $0.id == wanted }) else { throw PageError.notFound }
            county = found
        }
        if let county {
            let (_, issued) = try await watch.reports(countyID: county.id, for: post)
            heading = t.text("risk.report.listOf", ["county": county.name])
            latestURL = SiteURL.riskReport(.value(county.id), week: last.isoText).path
            items = issued.map { entry in
                RiskReportsPage.Item(
                    week: entry.week.isoText, period: period(entry.week, formats: formats), colour: entry.colour.rawValue,
                    colourLabel: t.text("risk.colour.\(entry.colour.rawValue)"), issuedAt: formats.dateTime(entry.issuedAt),
                    href: SiteURL.riskReport(.value(county.id), week: entry.week.isoText).path,
                    exportURL: SiteURL.riskReportExport(.value(county.id), week: entry.week.isoText).path)
            }
        }
        let model = RiskReportsPage(
            heading: heading,
            counties: counties.count > 1
                ? counties.map { .init(name: $0.name, href: SiteURL.riskReports.with([("county", String($0.id))]), current: $0.id == county?.id) } : [],
            items: items, latestURL: latestURL, latest: t.text("risk.report.latest", ["period": period(last, formats: formats)]),
            backURL: SiteURL.risk.path)
        let layout = Layout(title: heading, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("risk-reports", model, layout: layout)
    }
}
