import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The grid worker's visits on the phone: who is due this week, the overdue first, and the form
/// that logs a visit and, ticked, turns what was found into a case in the same step.
struct FieldVisitPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.fieldVisits, use: due)
        pages.on(.fieldVisitNew(.key, subject: nil), use: form)
        pages.on(.fieldVisitNew(.key, subject: nil), method: .post, use: log)
    }

    @Sendable func due(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let services = site.services
        let post = context.principal.post
        let t = site.renderer.translation(context.page.language)
        let calendar = services.calendar.civil
        let now = services.clock.now
        let due = try await services.visits.dueThisWeek(for: post)
        var notice: String?
        if case .change(let message, _)? = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token) {
            notice = message
        }
        let model = FieldVisitsPage(
            notice: notice,
            rows: due.map { item in
                let overdue = VisitSchedule.isOverdue(item.dueAt, at: now, calendar: calendar)
                return .init(
                    href: SiteURL.fieldVisitNew(.value(item.subject.id), subject: item.subject.subject).path,
                    label: item.label, kind: t.text("field.visits.subject.\(item.subject.subject.rawValue)"),
                    due: t.text(overdue ? "field.visits.overdueSince" : "field.visits.dueOn", ["day": services.calendar.dayKey(item.dueAt)]),
                    state: overdue ? "red" : calendar.isDate(item.dueAt, inSameDayAs: now) ? "yellow" : "green",
                    last: item.lastVisitAt.map { t.text("field.visits.last", ["day": services.calendar.dayKey($0)]) } ?? t.text("field.visits.never"))
            })
        return site.renderer.render(
            "field-visits", model, layout: FieldLayout(title: t.text("field.visits.title"), request: request, context: context, renderer: site.renderer))
    }

    @Sendable func form(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await formPage(request, context: context, refusal: nil, status: .ok)
    }

    private func formPage(_ request: Request, context: SignedInPageContext, refusal: DomainError?, status: HTTPResponse.Status) async throws -> Response {
        let services = site.services
        let t = site.renderer.translation(context.page.language)
        let (kind, id) = try Self.subject(context)
        let visible = try await services.gridBaseData.visibleSubject(SubjectRef(kind, id), to: context.principal.post)
        let directory = services.directory
        let leaves = directory.categories.values.filter { category in !directory.categories.values.contains { $0.parentID == category.id } }
        let model = FieldVisitForm(
            action: SiteURL.fieldVisitNew(.value(id), subject: kind).path, label: visible.label,
            kind: t.text("field.visits.subject.\(kind.rawValue)"),
            categories: leaves.sorted { $0.code < $1.code }.map { .init(value: String($0.id), label: $0.name) },
            error: refusal.map { refusal in (refusal.field.map { $0 + "：" } ?? "") + refusal.message })
        var layout = FieldLayout(title: t.text("field.visits.newTitle"), request: request, context: context, renderer: site.renderer)
        // The phone's position goes with the visit, for the check against the grid; photos are
        // shrunk on the phone as a report's are.
        layout.pageScripts = ["field/photo.js", "field/place.js"].map(site.renderer.assets.url)
        return site.renderer.render("field-visit", model, layout: layout, status: status)
    }

    /// Logs a visit from the form, or from the phone's outbox, which sends the Idempotency-Key the
    /// phone made (the page's form has none) and is answered in JSON: the visit, and the case its
    /// findings became.
    @Sendable func log(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let services = site.services
        let t = site.renderer.translation(context.page.language)
        let key = try CaseController.idempotencyKey(request) ?? form["key"]
        let fromOutbox = key != nil
        do {
            let (kind, id) = try Self.subject(context)
            let location: GeoPoint? = switch (form["lat"].flatMap(Double.init), form["lng"].flatMap(Double.init)) {
            case (let lat?, let lng?): GeoPoint(lat: lat, lng: lng)
            default: nil
            }
            let asked = form["turnIntoCase"] == "on" ? IntakeForm(title: form["title"] ?? "", categoryID: form["category"].flatMap(Int64.init)) : nil
            let photos = try form.files.filter { $0.field == "photo" && !$0.bytes.isEmpty }.map { try site.attachments.keep($0.bytes, name: $0.name, field: $0.field) }
            let logged = try await services.visits.log(
                Visits.Form(
                    subject: kind.rawValue, subjectID: id, location: location,
                    whom: form["whom"] ?? "", findings: form["findings"] ?? "", evidence: photos.map(\.evidence)),
                reporting: asked, by: context.principal, idempotencyKey: key)
            var answer: [String: Any] = ["visit": logged.visit.id]
            var message = t.text("field.visits.logged")
            if let record = logged.intake?.record {
                let number = CaseJSON.number(of: record, calendar: services.calendar)
                answer["id"] = record.id
                answer["number"] = number
                message = t.text("field.visits.loggedAsCase", ["number": number])
            }
            if fromOutbox { return FieldPages.jsonResponse(.created, answer) }
            // Back to the due list on the phone: the worker goes on to the next door, and the
            // case is on the home page's list of the grid's open cases.
            let key = site.notices.put(.change(message: message, upload: nil), session: context.session.token)
            return PageRenderer.redirect(to: SiteURL.fieldVisits.with([("notice", key)]))
        } catch let refusal as DomainError where fromOutbox {
            return try APIError(refusal).response(from: request, context: context)
        } catch let refusal as DomainError where refusal.code == .invalid {
            return try await formPage(request, context: context, refusal: refusal, status: .unprocessableContent)
        }
    }

    /// The record a visit's form is for, from its path.
    private static func subject(_ context: SignedInPageContext) throws -> (BaseSubject, Int64) {
        guard let kind = context.parameters.get("subject").flatMap(BaseSubject.init(rawValue:)), Visits.visited.contains(kind),
            let id = context.parameters.get("id").flatMap(Int64.init)
        else { throw PageError.notFound }
        return (kind, id)
    }
}
