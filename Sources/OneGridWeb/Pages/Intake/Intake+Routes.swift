import Foundation
import Hummingbird
import Mustache
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The window's intake: the form, its post-back with category proposals and alike cases, and
/// registering with the outcome the clerk chose; each step through the application's use cases.
struct IntakePages {
    let site: PageSite

    /// What the window does with a request once registered.
    enum Outcome: String, CaseIterable {
        /// Registered and routed to whoever handles it.
        case route
        case solveOnSpot, reject, guide
    }

    func register(on pages: PageRouter) {
        pages.on(.intake, use: show)
        pages.on(.intake, method: .post, use: submit)
        pages.on(.intakeProposals, use: propose)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let model = try await page(FormData(""), context: context)
        return render(model, request: request, context: context)
    }

    @Sendable func submit(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        var model = try await page(form, context: context)
        guard form["intent"] == "register" else { return render(model, request: request, context: context) }
        let t = site.renderer.translation(context.page.language)
        let outcome = form["outcome"].flatMap(Outcome.init(rawValue:)) ?? .route
        model.errors = Self.missing(form, outcome: outcome, t: t)
        if !model.errors.any {
            do {
                let id = try await register(form, outcome: outcome, principal: context.principal)
                return PageRenderer.redirect(to: SiteURL.receipt(.value(id)).path)
            } catch let error as DomainError {
                model.errors = Self.errors(for: error, t: t)
            }
        }
        return render(model, request: request, context: context, status: .unprocessableContent)
    }

    /// The proposals for the text typed so far, as the form draws them: the page's script
    /// swaps them in while the clerk types (the API's `/categories/proposals` wants a token).
    @Sendable func propose(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let query = request.uri.queryParameters
        let text = query.get("text") ?? ""
        let chosen = query.get("category").flatMap(Int64.init)
        let language = context.page.language
        let values: [String: Any] = [
            "t": site.renderer.translation(language).tree,
            "proposals": try await Self.proposals(for: text, chosen: chosen, services: site.services),
            "proposed": !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
        ]
        let html = site.renderer.resources.library.render(values, withTemplate: "proposals") ?? ""
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentLanguage: language.code],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func proposals(for text: String, chosen: Int64?, services: OneGridServices) async throws -> [IntakePage.Proposal] {
        try await services.proposals.propose(text).map { proposal in
            IntakePage.Proposal(
                id: "proposal-\(proposal.category.id)", value: String(proposal.category.id), label: proposal.category.name,
                confidence: "\(Int((proposal.confidence * 100).rounded()))%", selected: proposal.category.id == chosen)
        }
    }

    // MARK: Registering

    /// Registers the request, then takes the outcome's step on it; attaching to an alike case
    /// merges the new one into it.
    private func register(_ form: FormData, outcome: Outcome, principal: Principal) async throws -> Int64 {
        let services = site.services
        let reporter = IntakeForm.ReporterInput(name: form["name"], phone: form["phone"], idNumber: form["idNumber"])
        let intake = try await services.intake.report(
            IntakeForm(
                title: form["title"] ?? "", description: form["description"], categoryID: form["category"].flatMap(Int64.init),
                channel: form["channel"], gridID: form["grid"].flatMap(Int64.init), address: form["address"],
                reporter: reporter, solvedOnSpot: outcome == .solveOnSpot ? form["note"] : nil),
            by: principal, idempotencyKey: form["key"])
        let record = intake.record
        guard !intake.isReplay else { return record.id }
        switch outcome {
        case .route:
            if let primary = form["attachTo"].flatMap(Int64.init) {
                _ = try await services.steps.take(
                    .merge, on: record.id, input: CaseActionInput(primaryCaseID: primary), expectedVersion: record.file.version, by: principal)
            }
        case .solveOnSpot:
            break
        case .reject:
            _ = try await services.steps.take(
                .reject, on: record.id, input: CaseActionInput(note: form["note"]), expectedVersion: record.file.version, by: principal)
        case .guide:
            _ = try await services.steps.take(
                .guide, on: record.id, input: CaseActionInput(note: form["note"], legalRoute: form["legalRoute"].flatMap(LegalRoute.init(rawValue:))),
                expectedVersion: record.file.version, by: principal)
        }
        return record.id
    }

    /// What the chosen outcome needs, checked before anything is written so a refusal never
    /// leaves a case registered without its outcome.
    private static func missing(_ form: FormData, outcome: Outcome, t: Translation) -> IntakePage.Errors {
        var errors = IntakePage.Errors()
        if form["title"] == nil { errors.title = t.text("intake.needTitle") }
        if form["grid"] == nil { errors.grid = t.text("intake.needGrid") }
        if form["category"] == nil { errors.category = t.text("intake.needCategory") }
        if outcome != .route, form["note"] == nil { errors.note = t.text("intake.needNote.\(outcome.rawValue)") }
        if outcome == .guide, form["legalRoute"].flatMap(LegalRoute.init(rawValue:)) == nil { errors.legalRoute = t.text("intake.needLegalRoute") }
        return errors
    }

    /// The domain's refusal next to the field it names.
    private static func errors(for error: DomainError, t: Translation) -> IntakePage.Errors {
        var errors = IntakePage.Errors()
        let text = CasePages.reason(error, t: t)
        switch error.field {
        case "reporter.name": errors.name = text
        case "reporter.phone": errors.phone = text
        case "reporter.idNumber": errors.idNumber = text
        case "title": errors.title = text
        case "description": errors.description = text
        case "address": errors.address = text
        case "gridID", "location": errors.grid = text
        case "categoryID", "categoryCode": errors.category = text
        case "note", "solvedOnSpot": errors.note = text
        case "legalRoute": errors.legalRoute = text
        default: errors.general = text
        }
        return errors
    }

    // MARK: The form

    /// The categories a case may be filed under (the leaves), grouped under their parents in
    /// code order, as the intake and the phone's report offer them.
    static func categoryGroups(_ directory: Directory, selected: Int64?, t: Translation) -> [IntakePage.Group] {
        let leaves = directory.categories.values.filter { category in !directory.categories.values.contains { $0.parentID == category.id } }
        let byParent: [Int64: [OneGridDomain.Category]] = Dictionary(grouping: leaves) { $0.parentID ?? 0 }
        func code(_ id: Int64) -> String { directory.categories[id]?.code ?? "" }
        return byParent.keys.sorted { code($0) < code($1) }.map { parent in
            let children = (byParent[parent] ?? []).sorted { $0.code < $1.code }
            return IntakePage.Group(
                label: directory.categories[parent]?.name ?? t.text("intake.otherCategories"),
                choices: children.map { IntakePage.Choice(value: String($0.id), label: $0.name, selected: $0.id == selected) })
        }
    }

    /// The form as posted (or empty), with the proposals for its text and the open cases alike it.
    private func page(_ form: FormData, context: SignedInPageContext) async throws -> IntakePage {
        let services = site.services
        let directory = services.directory
        let post = context.principal.post
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let text = [form["title"], form["description"]].compactMap { $0 }.joined(separator: " ")
        let categoryID = form["category"].flatMap(Int64.init)
        let proposals = try await Self.proposals(for: text, chosen: categoryID, services: services)
        let gridID = form["grid"].flatMap(Int64.init)

        let grids = directory.areas.values.filter { $0.level == .grid && directory.covers(post, areaID: $0.id) }
            .sorted { ($0.parentID ?? 0, $0.code) < ($1.parentID ?? 0, $1.code) }
        let villages = Dictionary(grouping: grids) { $0.parentID ?? 0 }
            .sorted { (directory.areas[$0.key]?.code ?? "") < (directory.areas[$1.key]?.code ?? "") }
            .map { village, grids in
                IntakePage.Group(
                    label: directory.areas[village]?.name ?? "",
                    choices: grids.map { .init(value: String($0.id), label: $0.name, selected: $0.id == gridID) })
            }
        let categories = Self.categoryGroups(directory, selected: categoryID, t: t)

        var alike: [IntakePage.Alike] = []
        if let gridID, let categoryID, !text.isEmpty, directory.covers(post, areaID: gridID) {
            alike = try await services.reading.alike(text, gridID: gridID, categoryID: categoryID, at: services.clock.now, for: post, limit: 5)
                .map { candidate in
                    IntakePage.Alike(
                        value: String(candidate.record.id), href: SiteURL.caseDetail(.value(candidate.record.id)).path,
                        number: CaseJSON.number(of: candidate.record, calendar: services.calendar), title: candidate.record.title,
                        status: t.text("status.\(candidate.record.file.status.rawValue)"), received: formats.dateTime(candidate.record.createdAt),
                        similarity: "\(Int((candidate.similarity * 100).rounded()))%", selected: form["attachTo"] == String(candidate.record.id))
                }
        }
        let outcome = form["outcome"] ?? Outcome.route.rawValue
        let mayTake = { (action: CaseAction) in CasePolicy.roles(for: action).contains(post.role) }
        let outcomes = Outcome.allCases.filter { outcome in
            switch outcome {
            case .route: true
            case .solveOnSpot: mayTake(.solveOnSpot)
            case .reject: mayTake(.reject)
            case .guide: mayTake(.guide)
            }
        }
        let channels = post.role.reportingChannels
        return IntakePage(
            idempotencyKey: form["key"] ?? TokenAuthenticator.newToken(),
            name: form["name"] ?? "", phone: form["phone"] ?? "", idNumber: form["idNumber"] ?? "", title: form["title"] ?? "",
            description: form["description"] ?? "", address: form["address"] ?? "", note: form["note"] ?? "",
            channels: channels.count > 1
                ? channels.map { IntakePage.Choice(value: $0.rawValue, label: t.text("channel.\($0.rawValue)"), selected: form["channel"] == $0.rawValue) }
                : [],
            villages: villages, categories: categories,
            proposals: proposals, proposed: !text.isEmpty, alike: alike, alikeChecked: gridID != nil && categoryID != nil,
            outcomes: outcomes.map { .init(value: $0.rawValue, label: t.text("intake.outcome.\($0.rawValue)"), selected: $0.rawValue == outcome) },
            legalRoutes: LegalRoute.allCases.map {
                .init(value: $0.rawValue, label: t.text("legalRoute.\($0.rawValue)"), selected: form["legalRoute"] == $0.rawValue)
            },
            map: IntakeMap(grids: grids, boundaries: directory.boundaries, selected: gridID, directory: directory))
    }

    private func render(_ model: IntakePage, request: Request, context: SignedInPageContext, status: HTTPResponse.Status = .ok) -> Response {
        let t = site.renderer.translation(context.page.language)
        let layout = Layout(title: t.text("intake.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("intake", model, layout: layout, status: status)
    }
}
