import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The grid worker's daily screening round on the phone, through `ScreeningRounds` as the desk's
/// screening page. A round is recorded online only: unlike a report or a visit it carries no key
/// the server could recognise a second send by, so the page says it needs signal rather than
/// keeping it in the outbox, where a lost answer would make two rounds.
struct FieldScreeningPages {
    let site: PageSite

    /// The grid's rounds shown: about a week's.
    static let rounds = 7

    func register(on pages: PageRouter) {
        pages.on(.fieldScreening, use: show)
        pages.on(.fieldScreening, method: .post, use: record)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var notice: String?
        if case .change(let message, _)? = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token) {
            notice = message
        }
        return try await page(request, context: context, notice: notice, refusal: nil, typed: nil, status: .ok)
    }

    @Sendable func record(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let t = site.renderer.translation(context.page.language)
        let findings = (form["findings"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
        do {
            let round = try await site.services.screening.record(
                ScreeningRoundForm(checked: form["checked"], findings: findings), by: context.principal)
            let message = t.text(
                round.findings.isEmpty ? "field.screening.recorded" : "field.screening.recordedWithRisks", ["n": "\(round.findings.count)"])
            let key = site.notices.put(.change(message: message, upload: nil), session: context.session.token)
            return PageRenderer.redirect(to: SiteURL.fieldScreening.with([("notice", key)]))
        } catch let refusal as DomainError where refusal.code == .invalid {
            return try await page(
                request, context: context, notice: nil, refusal: refusal, typed: (form["checked"] ?? "", form["findings"] ?? ""),
                status: .unprocessableContent)
        }
    }

    private func page(
        _ request: Request, context: SignedInPageContext, notice: String?, refusal: DomainError?, typed: (checked: String, findings: String)?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let screening = site.services.screening
        let formats = site.formats(context.page.language)
        let t = formats.t
        let overview = try await screening.overview(for: context.principal)
        let own = overview.due.first { $0.area.id == context.principal.post.areaID }
        let calendar = site.services.calendar.civil
        let doneToday = own?.lastDoneAt.map { calendar.isDate($0, inSameDayAs: formats.now) } ?? false
        let (state, colour): (String, String) =
            switch (doneToday, own?.colour) {
            case (true, _): (t.text("field.screening.doneToday"), "green")
            case (false, .red?): (t.text("field.screening.overdue"), "red")
            case (false, .yellow?): (t.text("field.screening.dueToday"), "yellow")
            default: (t.text("field.screening.notDue", ["day": own?.dueAt.map(site.services.calendar.dayKey) ?? "—"]), "green")
            }
        var model = FieldScreeningPage(
            state: state, stateColour: colour, doneToday: doneToday,
            last: own?.lastDoneAt.map { t.text("field.screening.last", ["at": formats.dateTime($0)]) } ?? t.text("screening.never"),
            notice: notice,
            rounds: overview.rounds.filter { $0.areaID == context.principal.post.areaID }.prefix(Self.rounds).map { round in
                var row = ScreeningPages.roundRow(round, directory: site.services.directory, t: t, formats: formats)
                for index in row.findings.indices {
                    row.findings[index].caseHref = row.findings[index].caseID.map { SiteURL.caseDetail(.value($0)).path }
                }
                return row
            })
        if let refusal {
            model.refused = true
            let reason = CasePages.reason(refusal, t: t)
            if refusal.field?.hasPrefix("findings") == true { model.findingsError = reason } else { model.checkedError = reason }
        }
        if let typed { (model.checked, model.findings) = typed }
        let layout = FieldLayout(title: t.text("field.screening.title"), request: request, context: context, renderer: site.renderer)
        return site.renderer.render("field-screening", model, layout: layout, status: status)
    }
}
