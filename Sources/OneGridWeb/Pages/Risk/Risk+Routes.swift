import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The risk pages: the map and lists of an area, their CSV, a matter's colour with its history
/// and the forms of its follow-up. Every rule is `RiskWatch`'s; the pages only ask and show.
struct RiskPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.risk, use: show)
        pages.on(.riskExport, use: export)
        pages.on(.riskMatter(.key), use: matter)
        pages.on(.riskFollowUp(.key), method: .post, use: followUp)
        pages.on(.riskLower(.key), method: .post, use: lower)
        pages.on(.riskReports, use: listReports)
        pages.on(.riskReport(.key, week: nil), use: showReport)
        pages.on(.riskReportExport(.key, week: nil), use: exportReport)
    }

    /// The area's picture: its own colour, its areas one level down, its red and yellow matters.
    struct Picture {
        var area: Area
        var own: RiskWatch.Entry?
        var children: [(area: Area, entry: RiskWatch.Entry)]
        var matters: [RiskWatch.Entry]
        var titles: [RiskMatter: String]
    }

    func picture(_ request: Request, post: Post) async throws -> Picture {
        let services = site.services
        let areaID = try CommandRoomPages.areaID(request.uri.queryParameters.get("area"))
        let overview: RiskWatch.Overview
        do {
            overview = try await services.riskWatch.overview(areaID: areaID, for: post)
        } catch let error as DomainError where error.code == .notFound {
            throw PageError.notFound
        }
        let titles = try await services.riskWatch.titles(of: overview.matters.map(\.standing.matter))
        let children = overview.children.compactMap { entry in entry.lineage.last.map { (area: $0, entry: entry) } }
        return Picture(area: overview.area, own: overview.own, children: children, matters: overview.matters, titles: titles)
    }

    func rows(_ entries: [RiskWatch.Entry], titles: [RiskMatter: String], language: Language) -> [RiskRow] {
        let formats = site.formats(language)
        let share = site.services.planner.yellowShare
        return entries.map { RiskRow($0, title: titles[$0.standing.matter], directory: site.services.directory, formats: formats, yellowShare: share) }
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let post = context.principal.post
        let language = context.page.language
        let t = site.renderer.translation(language)
        let formats = site.formats(language)
        let directory = site.services.directory
        let picture = try await picture(request, post: post)
        let area = picture.area
        var children = rows(picture.children.map(\.entry), titles: [:], language: language)
        for index in children.indices { children[index].href = RiskPage.link(picture.children[index].area) }
        let bands = zip(picture.children, children).map { ($0.area, $0.entry.standing.colour, $1) }
        let level = area.level.below ?? .grid
        let gridsByChild = Dictionary(grouping: directory.areas.values.filter { $0.level == .grid && $0.retiredAt == nil }) {
            directory.path(ofGrid: $0.id)?[level] ?? 0
        }
        let map = AreaMap(
            regions: bands.map { child, colour, row in
                AreaMap.Region(
                    name: child.name, href: RiskPage.link(child),
                    grids: (level == .grid ? [child] : gridsByChild[child.id] ?? []).compactMap { directory.boundaries[$0.id] },
                    band: AreaMap.Band(rawValue: colour.rawValue) ?? .grey, figure: row.colourLabel,
                    title: t.text("risk.mapTitle", ["area": child.name, "colour": row.colourLabel, "reasons": row.reasons.isEmpty ? "—" : row.reasons]))
            },
            legend: RiskColour.allCases.reversed().map { (AreaMap.Band(rawValue: $0.rawValue) ?? .grey, t.text("risk.colour.\($0.rawValue)")) },
            caption: t.text("risk.mapCaption", ["area": area.name]))
        let warnings = try await site.services.riskWatch.warnings(for: post)
        try await site.services.risks.markWarningsRead(postID: post.id, at: site.services.clock.now)
        let matters = rows(picture.matters, titles: picture.titles, language: language)
        let model = RiskPage(
            heading: area.name, level: t.text("level.\(area.level.rawValue)"),
            crumbs: directory.lineage(of: area.id).drop { $0.id != post.areaID }.map { RiskPage.Crumb(name: $0.name, href: $0.id == area.id ? nil : RiskPage.link($0)) },
            colour: picture.own.map { RiskRow($0, title: nil, directory: directory, formats: formats, yellowShare: site.services.planner.yellowShare) },
            map: map.svg(), children: children, childLevel: picture.children.first.map { t.text("level.\($0.area.level.rawValue)") },
            matters: matters,
            counts: t.text("risk.counts", [
                "red": String(matters.count { $0.colour == "red" }), "yellow": String(matters.count { $0.colour == "yellow" }),
                "overdue": String(matters.count(where: \.overdue)),
            ]),
            warnings: warnings.map { warning in
                let place = directory.lineage(of: warning.areaID).filter { $0.level > .city }.map(\.name).joined(separator: " · ")
                if let week = warning.report {
                    return RiskPage.Warning(
                        text: t.text("risk.report.notice", ["place": place, "week": week.isoText, "at": formats.dateTime(warning.createdAt)]),
                        href: SiteURL.riskReport(.value(warning.matter.id), week: week.isoText).path, unread: warning.readAt == nil)
                }
                return RiskPage.Warning(
                    text: t.text("risk.warning", [
                        "kind": t.text("risk.kind.\(warning.matter.kind.rawValue)"), "place": place, "at": formats.dateTime(warning.createdAt),
                    ]), href: SiteURL.riskMatter(.value(warning.matter.id)).with([("kind", warning.matter.kind.rawValue)]), unread: warning.readAt == nil)
            },
            exportURL: SiteURL.riskExport.with([("area", String(area.id))]),
            reportsURL: site.services.riskWatch.reportCounties(for: post).isEmpty
                ? nil : SiteURL.riskReports.with(area.level == .county ? [("county", String(area.id))] : []),
            liveURL: SiteURL.riskLive.with([("area", String(area.id))]))
        let layout = Layout(title: t.text("risk.title", ["area": area.name]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("risk", model, layout: layout)
    }

    /// The area's coloured areas and matters as a spreadsheet, red first.
    @Sendable func export(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let language = context.page.language
        let t = site.renderer.translation(language)
        let picture = try await picture(request, post: context.principal.post)
        let (_, entries) = try await site.services.riskWatch.picture(areaID: picture.area.id, for: context.principal.post)
        let areas = entries.filter { $0.standing.matter.kind == .area && $0.standing.colour != .green }
            .sorted { ($0.standing.colour, $1.lineage.count) > ($1.standing.colour, $0.lineage.count) }
        var bytes = CSV.byteOrderMark + CSV.line(RiskRow.columns.map { t.text("risk.column.\($0)") })
        for row in rows(areas, titles: [:], language: language) + rows(picture.matters, titles: picture.titles, language: language) {
            bytes += CSV.line(row.cells)
        }
        let day = site.services.calendar.dayKey(site.services.clock.now).filter { $0 != "-" }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store", .contentDisposition: "attachment; filename=\"risk-\(day).csv\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func matter(_ request: Request, context: SignedInPageContext) throws -> RiskMatter {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0,
            let kind = request.uri.queryParameters.get("kind").flatMap(RiskMatterKind.init(rawValue:))
        else { throw PageError.notFound }
        return RiskMatter(kind: kind, id: id)
    }

    @Sendable func matter(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await render(request, context: context, matter: try Self.matter(request, context: context), note: "", errors: [:],
            message: request.uri.queryParameters.get("done"))
    }

    func render(
        _ request: Request, context: SignedInPageContext, matter: RiskMatter, note: String, errors: [String: String], message: String?
    ) async throws -> Response {
        let post = context.principal.post
        let language = context.page.language
        let t = site.renderer.translation(language)
        let formats = site.formats(language)
        let directory = site.services.directory
        let (entry, history): (RiskWatch.Entry, [RiskColourChange])
        do {
            (entry, history) = try await site.services.riskWatch.matter(matter, for: post)
        } catch let error as DomainError where error.code == .notFound {
            throw PageError.notFound
        }
        let title = try await site.services.riskWatch.titles(of: [matter])[matter]
        let row = RiskRow(entry, title: title, directory: directory, formats: formats, yellowShare: site.services.planner.yellowShare)
        let users = try await site.services.people.users(ids: history.compactMap(\.byUserID))
        let standing = entry.standing
        let follows = RiskWatch.followers.contains(post.role)
        // Back to the picture the matter is seen in: an area's parent, a matter's village.
        let shown = matter.kind == .area ? entry.lineage.dropLast().last : entry.lineage.last { $0.level == .village }
        let back = shown.flatMap { directory.covers(post, areaID: $0.id) ? $0.id : nil } ?? post.areaID
        let model = RiskMatterPage(
            heading: "\(row.kind) · \(row.name)", row: row,
            caseURL: matter.kind == .dispute ? SiteURL.dispute(.value(matter.id)).path : matter.kind == .petition ? SiteURL.petitionDetail(.value(matter.id)).path : nil,
            history: history.reversed().map { change in
                RiskMatterPage.Change(
                    at: formats.dateTime(change.at), from: t.text("risk.colour.\(change.from.rawValue)"), to: t.text("risk.colour.\(change.to.rawValue)"),
                    toState: change.to.rawValue, reasons: change.reasons.map { RiskRow.reason($0, t: t) }.joined(separator: "；"),
                    owner: change.owner.map { RiskRow.owner($0, directory: directory, t: t) } ?? "—",
                    due: change.followUpDueAt.map(formats.dateTime) ?? "—", note: change.followUpNote ?? "",
                    by: change.byUserID.map { users[$0]?.displayName ?? "" } ?? t.text("risk.byRules"))
            },
            mayFollowUp: follows && standing.colour != .green && standing.followUpDoneAt == nil,
            mayLower: follows && standing.colour != .green,
            lowerOptions: RiskColour.allCases.filter { $0 < standing.colour }.reversed().map {
                RiskMatterPage.Option(value: $0.rawValue, label: t.text("risk.colour.\($0.rawValue)"))
            },
            followUpURL: SiteURL.riskFollowUp(.value(matter.id)).with([("kind", matter.kind.rawValue)]),
            lowerURL: SiteURL.riskLower(.value(matter.id)).with([("kind", matter.kind.rawValue)]), kind: matter.kind.rawValue,
            version: standing.version, typedNote: note, errors: errors, message: message.map { t.text("risk.done.\($0)") },
            backURL: SiteURL.risk.with([("area", String(back))]))
        let layout = Layout(title: t.text("risk.matterTitle", ["name": model.heading]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("risk-matter", model, layout: layout, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func followUp(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await act(request, context: context, done: "followUp") { form, matter, version in
            _ = try await site.services.riskWatch.recordFollowUp(matter, note: form["note"] ?? "", expectedVersion: version, by: context.principal)
        }
    }

    @Sendable func lower(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await act(request, context: context, done: "lowered") { form, matter, version in
            guard let colour = form["colour"].flatMap(RiskColour.init(rawValue:)) else {
                throw DomainError.invalid(field: "colour", "a colour below the matter's")
            }
            _ = try await site.services.riskWatch.lower(matter, to: colour, expectedVersion: version, by: context.principal)
        }
    }

    /// Runs a form's act; a refusal shows on the matter's page next to the field it concerns.
    func act(
        _ request: Request, context: SignedInPageContext, done: String, _ body: (FormData, RiskMatter, Int?) async throws -> Void
    ) async throws -> Response {
        var request = request
        let matter = try Self.matter(request, context: context)
        let form = try await FormData(request: &request, context: context)
        do {
            try await body(form, matter, form["version"].flatMap(Int.init))
        } catch let error as DomainError where error.code != .notFound && error.code != .forbidden {
            let t = site.renderer.translation(context.page.language)
            let field = error.field == "note" || error.field == "colour" ? error.field ?? "form" : error.field == "followUp" ? "colour" : "form"
            let text = t.text("risk.error.\(error.field ?? "form")", ["message": error.message])
            return try await render(request, context: context, matter: matter, note: form["note"] ?? "", errors: [field: text], message: nil)
        } catch let error as DomainError where error.code == .notFound {
            throw PageError.notFound
        }
        return PageRenderer.redirect(to: SiteURL.riskMatter(.value(matter.id)).with([("kind", matter.kind.rawValue), ("done", done)]))
    }
}
