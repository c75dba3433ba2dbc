import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The screening pages: what is due and overdue with the rounds under the post's area, the
/// post's own round recorded, and a risk found opened as a dispute case, whose file then
/// carries on on the mediation pages. Every rule is `ScreeningRounds`'.
struct ScreeningPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.screening, use: list)
        pages.on(.screening, method: .post, use: record)
        pages.on(.screeningRound(.key), use: show)
        pages.on(.screeningRound(.key), method: .post, use: openDispute)
    }

    var screening: ScreeningRounds { site.services.screening }

    @Sendable func list(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let post = context.principal.post
        let overview = try await screening.overview(for: context.principal)
        let notice = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token)
        var model = ScreeningPage(
            heading: t.text("screening.heading", ["area": overview.area.name]),
            cadence: t.text("screening.cadence", [
                "grid": "\(overview.cadence.gridDays)", "village": "\(overview.cadence.villageDays)", "town": "\(overview.cadence.townDays)",
                "city": "\(overview.cadence.cityDays)",
            ]),
            overdueCount: overview.overdue.count,
            // Green areas are the many that need nothing: the list is what is due or past it.
            due: overview.due.filter { $0.colour != .green }.prefix(Self.dueRows).map { Self.dueRow($0, t: t, formats: formats) },
            recordURL: ScreeningRounds.recorders.contains(post.role) && overview.area.id == post.areaID ? SiteURL.screening.path : nil,
            rounds: overview.rounds.map { Self.roundRow($0, directory: site.services.directory, t: t, formats: formats) })
        switch notice {
        case .step(let step)? where step.kind == .refused: model.refusal = step.message
        case .step(let step)? where step.kind == .done: model.notice = .init(kind: "ok", text: t.text("screening.recorded"))
        default: break
        }
        let layout = Layout(title: t.text("screening.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("screening", model, layout: layout)
    }

    /// The due list shows this many of the most overdue.
    static let dueRows = 100

    static func dueRow(_ due: ScreeningDue, t: Translation, formats: PageFormats) -> ScreeningPage.DueRow {
        ScreeningPage.DueRow(
            area: due.area.name, level: t.text("level.\(due.area.level.rawValue)"),
            last: due.lastDoneAt.map(formats.dateTime) ?? t.text("screening.never"), due: due.dueAt.map(formats.dateTime) ?? "—",
            colour: due.colour.rawValue, state: t.text("screening.state.\(due.colour.rawValue)"))
    }

    static func roundRow(_ round: ScreeningRound, directory: Directory, t: Translation, formats: PageFormats) -> ScreeningPage.RoundRow {
        let href = SiteURL.screeningRound(.value(round.id)).path
        return ScreeningPage.RoundRow(
            href: href, area: directory.areas[round.areaID]?.name ?? "", level: t.text("level.\(round.level.rawValue)"),
            doneAt: formats.dateTime(round.doneAt), checked: round.checked,
            findings: round.findings.map { finding in
                ScreeningPage.Finding(
                    number: finding.number, text: finding.text, caseHref: finding.caseID.map { SiteURL.dispute(.value($0)).path },
                    caseID: finding.caseID, openHref: finding.caseID == nil ? href + "#open" : nil)
            })
    }

    @Sendable func record(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let t = site.renderer.translation(context.page.language)
        let findings = (form["findings"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
        let step: Notices.Step
        do {
            _ = try await screening.record(ScreeningRoundForm(checked: form["checked"], findings: findings), by: context.principal)
            step = .init(kind: .done, action: "record")
        } catch let error as DomainError {
            step = .init(kind: .refused, action: "record", message: CasePages.reason(error, t: t))
        }
        let key = site.notices.put(.step(step), session: context.session.token)
        return PageRenderer.redirect(to: SiteURL.screening.path + "?notice=" + key)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try MediationPages.caseID(context)
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let directory = site.services.directory
        let round: ScreeningRound
        do {
            round = try await screening.round(id, for: context.principal)
        } catch let error as DomainError where error.code == .notFound {
            throw PageError.notFound
        }
        let notice = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token)
        var refusal: String?
        if case .step(let step)? = notice, step.kind == .refused { refusal = step.message }
        let open = round.openFindings
        let opens = context.principal.post.role == .dispatcher && !open.isEmpty
        let users = try await site.services.people.users(ids: [round.userID])
        let model = ScreeningRoundPage(
            round: Self.roundRow(round, directory: directory, t: t, formats: formats),
            recordedBy: users[round.userID]?.displayName ?? "",
            registration: opens
                ? MediationPages.registration(actionURL: SiteURL.screeningRound(.value(id)).path, t: t, refusal: refusal) : nil,
            open: open.map { .init(value: "\($0.number)", label: "\($0.number). \($0.text)") },
            categories: directory.categories.values.filter { $0.kind == .dispute }.sorted { $0.code < $1.code }
                .map { .init(value: $0.code, label: $0.name) },
            grids: round.level == .grid
                ? [] : directory.areas(under: round.areaID).filter { $0.level == .grid }
                    .sorted { $0.code < $1.code }.map { .init(value: "\($0.id)", label: $0.name) })
        let layout = Layout(
            title: t.text("screening.roundTitle", ["area": model.round.area]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("screening-round", model, layout: layout)
    }

    /// Opens the chosen risk as a dispute case and goes to its file; a refusal comes back here.
    @Sendable func openDispute(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try MediationPages.caseID(context)
        var request = request
        let form = try await FormData(request: &request, context: context)
        let t = site.renderer.translation(context.page.language)
        do {
            guard let finding = form["finding"].flatMap(Int.init) else {
                throw DomainError.invalid(field: "finding", "expected the risk found to open")
            }
            let file = try await screening.openDispute(
                .init(categoryCode: form["categoryCode"], gridID: form["gridID"].flatMap(Int64.init), dispute: MediationPages.disputeForm(form)),
                from: id, finding: finding, by: context.principal)
            let key = site.notices.put(.step(.init(kind: .done, action: "register")), session: context.session.token)
            return PageRenderer.redirect(to: SiteURL.dispute(.value(file.dispute.caseID)).path + "?notice=" + key)
        } catch let error as DomainError where !(error.code == .notFound && error.field == "id") {
            let key = site.notices.put(
                .step(.init(kind: .refused, action: "open", message: CasePages.reason(error, t: t))), session: context.session.token)
            return PageRenderer.redirect(to: SiteURL.screeningRound(.value(id)).path + "?notice=" + key + "#open")
        }
    }
}
