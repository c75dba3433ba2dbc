import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The petition pages: the desk with its registration form, a petition's page with its step
/// forms and repeat candidates, and its two printed documents. Every rule is the application's
/// (`Petitions`) and the domain's (`PetitionProcedure`); these pages only ask and show.
struct PetitionPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.petitionDesk, use: desk)
        pages.on(.petitionDesk, method: .post, use: registerPetition)
        pages.on(.petitionDetail(.key), use: show)
        pages.on(.petitionStep(.key), method: .post, use: step)
        pages.on(.petitionRepeat(.key), method: .post, use: confirmRepeat)
        pages.on(.petitionNotice(.key), use: notice)
        pages.on(.petitionReply(.key), use: reply)
    }

    // MARK: Desk

    @Sendable func desk(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let caseID = request.uri.queryParameters.get("case") ?? ""
        return try await renderDesk(request, context: context, typed: FormData(caseID.isEmpty ? "" : "case=\(caseID)"), errors: [:])
    }

    func renderDesk(_ request: Request, context: SignedInPageContext, typed: FormData, errors: [String: String]) async throws
        -> Response
    {
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let views = try await site.services.petitions.desk(for: context.principal)
        func options<T: RawRepresentable>(_ values: [T], key: String, selected: String?) -> [PetitionDeskPage.Option] where T.RawValue == String {
            values.map { .init(value: $0.rawValue, label: t.text("\(key).\($0.rawValue)"), selected: $0.rawValue == selected) }
        }
        let model = PetitionDeskPage(
            rows: views.map { view in
                let petition = view.petition
                return .init(
                    href: SiteURL.petitionDetail(.value(petition.caseID)).path, number: "#\(petition.caseID)", matter: petition.matter,
                    petitioners: petition.petitioners.map(\.name).joined(separator: "、"), collective: petition.isCollective,
                    crossLevel: petition.crossLevel, stage: t.text("petitions.stage.\(petition.stage.rawValue)"),
                    received: formats.dateTime(petition.receivedAt), clocks: view.clocks.map { clock($0, t: t, formats: formats) })
            },
            caseID: typed["case"] ?? "",
            forms: options(PetitionForm.allCases, key: "petitions.form", selected: typed["form"] ?? PetitionForm.visit.rawValue),
            classes: options(PetitionClass.allCases, key: "petitions.class", selected: typed["petitionClass"]),
            levels: options(AdminLevel.allCases.filter(\.runsCentre), key: "level", selected: typed["addressedLevel"] ?? context.principal.post.areaLevel.rawValue),
            headcount: typed["headcount"] ?? "1", petitioners: typed["petitioners"] ?? "", matter: typed["matter"] ?? "",
            bodies: typed["bodies"] ?? "", errors: errors, hasErrors: !errors.isEmpty)
        let layout = Layout(title: t.text("petitions.desk.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("petition-desk", model, layout: layout, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func registerPetition(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            guard let caseID = form["case"].flatMap(Int64.init), caseID > 0 else {
                throw DomainError.invalid(field: "case", site.renderer.translation(context.page.language).text("petitions.register.caseNeeded"))
            }
            let registration = PetitionRegistration(
                form: form["form"] ?? "", petitionClass: form["petitionClass"] ?? "", headcount: Int(form["headcount"] ?? "") ?? 0,
                petitioners: Self.petitioners(form["petitioners"] ?? ""), matter: form["matter"] ?? "",
                bodiesAddressed: (form["bodies"] ?? "").split(whereSeparator: { "，,、\n".contains($0) }).map(String.init),
                addressedLevel: form["addressedLevel"] ?? "")
            let registered = try await site.services.petitions.register(registration, onCase: caseID, by: context.principal)
            return PageRenderer.redirect(to: SiteURL.petitionDetail(.value(registered.petition.caseID)).path)
        } catch let error as DomainError where error.code != .versionConflict {
            // Errors of one petitioner's line are shown beside the petitioners' box.
            let field = (error.field ?? "").hasPrefix("petitioners") ? "petitioners" : error.field == "caseID" ? "case" : error.field ?? "case"
            return try await renderDesk(request, context: context, typed: form, errors: [field: error.message])
        }
    }

    /// One petitioner a line: name, then phone and ID number in either order, separated by
    /// spaces or commas ("张建国 13812345678 330205198001011234").
    static func petitioners(_ text: String) -> [Petitioner] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(whereSeparator: { " ,，\t".contains($0) }).map(String.init)
            guard let name = parts.first else { return nil }
            let rest = parts.dropFirst()
            return Petitioner(
                name: name, phone: rest.first { $0.count <= 12 }, idNumber: rest.first { $0.count > 12 })
        }
    }

    // MARK: A petition

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        let services = site.services
        let post = context.principal.post
        let view = try await services.petitions.view(ofCase: id, for: context.principal)
        let petition = view.petition
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let notice = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token)
        var message: String?
        var refused = false
        if case .step(let step)? = notice {
            refused = step.kind != .done
            message = step.kind == .done ? t.text("petitions.done.\(step.action)") : step.message
        }
        var facts: [PetitionPage.Fact] = [
            .init(label: t.text("petitions.field.form"), value: t.text("petitions.form.\(petition.form.rawValue)")),
            .init(label: t.text("petitions.field.class"), value: t.text("petitions.class.\(petition.petitionClass.rawValue)")),
            .init(label: t.text("petitions.field.headcount"), value: t.text(petition.isCollective ? "petitions.collectiveOf" : "petitions.people", ["n": "\(petition.headcount)"])),
            .init(label: t.text("petitions.field.bodies"), value: petition.bodiesAddressed.joined(separator: "、")),
            .init(label: t.text("petitions.field.received"), value: formats.dateTime(petition.receivedAt)),
            .init(label: t.text("petitions.field.registeringUnit"), value: unitName(petition.registeringUnit, t: t)),
            .init(label: t.text("petitions.field.handlingUnit"), value: petition.handlingUnit.map { unitName($0, t: t) } ?? ""),
        ]
        if petition.crossLevel { facts.append(.init(label: t.text("petitions.field.crossLevel"), value: t.text("petitions.crossLevel"))) }
        if let earlier = petition.repeatOf { facts.append(.init(label: t.text("petitions.field.repeatOf"), value: "#\(earlier)")) }
        if let route = petition.legalRoute { facts.append(.init(label: t.text("case.legalRoute"), value: t.text("legalRoute.\(route.rawValue)"))) }
        if let granted = petition.replyExtension {
            facts.append(.init(label: t.text("petitions.field.extension"), value: t.text("petitions.extensionText", ["by": granted.by.description, "who": granted.approvedBy])))
        }
        let candidates = petition.repeatOf == nil && Petitions.clerks.contains(post.role)
            ? try await services.petitions.candidates(ofCase: id, for: context.principal) : []
        let unit = PetitionUnit(post: post)
        let offered = Petitions.clerks.contains(post.role) ? PetitionProcedure.offeredSteps(on: petition, to: unit) : []
        let steps = view.steps
        let model = PetitionPage(
            number: "#\(petition.caseID)", matter: petition.matter, stage: t.text("petitions.stage.\(petition.stage.rawValue)"),
            notice: message, refused: refused, facts: facts.filter { !$0.value.isEmpty },
            petitioners: petition.petitioners.map {
                .init(label: $0.name, value: [$0.phone, $0.idNumber].compactMap { $0 }.joined(separator: "　"))
            },
            clocks: view.clocks.map { clock($0, t: t, formats: formats) },
            entries: steps.map { entry in
                .init(
                    what: t.text("petitions.step.\(entry.step)"), at: formats.dateTime(entry.at), unit: unitName(entry.unit, t: t), text: entry.text)
            },
            candidates: candidates.map {
                .init(caseID: $0.caseID, href: SiteURL.petitionDetail(.value($0.caseID)).path,
                      similarity: String(format: "%.0f%%", $0.similarity * 100), shared: $0.sharedPetitioners)
            },
            repeatURL: SiteURL.petitionRepeat(.value(id)).path, stepURL: SiteURL.petitionStep(.value(id)).path, version: petition.version,
            forms: offered.map { stepForm($0, petition: petition, t: t) }, caseURL: SiteURL.caseDetail(.value(id)).path,
            noticeURL: steps.contains { $0.step == "accept" || $0.step == "notAccept" } ? SiteURL.petitionNotice(.value(id)).path : nil,
            replyURL: steps.contains { $0.step == "reply" } ? SiteURL.petitionReply(.value(id)).path : nil)
        let layout = Layout(title: t.text("petitions.page.title", ["number": model.number]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("petition", model, layout: layout)
    }

    func stepForm(_ step: String, petition: Petition, t: Translation) -> PetitionPage.StepForm {
        let directory = site.services.directory
        var form = PetitionPage.StepForm(
            step: step, id: "form-\(step)", title: t.text("petitions.step.\(step)"), hint: t.text("petitions.hint.\(step)"),
            textField: nil, textLabel: nil, units: [], unitField: nil, legalRoutes: [], extends: false)
        switch step {
        case "route", "requestReview":
            // Routing goes to a department of the post's area or to a centre below it; a review to
            // a petition bureau or a centre above the unit that replied.
            let holder = step == "route" ? petition.registeringUnit : petition.handlingUnit ?? petition.registeringUnit
            let post = areaID(of: holder).flatMap { directory.areas[$0] }
            // The levels above the unit that replied, nearest first.
            let lineage = Array((post.map { directory.lineage(of: $0.id) } ?? []).dropLast().reversed())
            let units: [PetitionUnit] =
                step == "route"
                ? directory.departments.values.filter { $0.areaID == post?.id }.sorted { $0.name < $1.name }.map { .department($0.id) }
                    + directory.areas.values.filter { $0.parentID == post?.id && $0.level.runsCentre }.sorted { $0.code < $1.code }
                    .map { .centre(areaID: $0.id) }
                : directory.departments.values.filter { department in
                    department.kind == "petition" && lineage.contains { $0.id == department.areaID }
                }
                    .sorted { $0.level.depth > $1.level.depth }.map { .department($0.id) }
                    + lineage.filter(\.level.runsCentre).map { .centre(areaID: $0.id) }
            form.units = units.map { .init(value: $0.description, label: unitName($0, t: t), selected: false) }
            form.unitField = step == "route" ? "to" : "reviewingUnit"
            if step == "requestReview" { (form.textField, form.textLabel) = ("reason", t.text("petitions.label.reviewReason")) }
        case "object", "notAccept":
            (form.textField, form.textLabel) = ("reason", t.text("petitions.label.reason"))
        case "accept":
            (form.textField, form.textLabel) = ("notice", t.text("petitions.label.notice"))
        case "reply":
            (form.textField, form.textLabel) = ("text", t.text("petitions.label.reply"))
        case "extend":
            (form.textField, form.textLabel) = ("reason", t.text("petitions.label.extensionReason"))
            form.extends = true
        case "guide":
            (form.textField, form.textLabel) = ("reason", t.text("petitions.label.guideReason"))
            form.legalRoutes = LegalRoute.allCases.map { .init(value: $0.rawValue, label: t.text("legalRoute.\($0.rawValue)"), selected: false) }
        default:
            break
        }
        return form
    }

    @Sendable func step(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        var request = request
        let form = try await FormData(request: &request, context: context)
        let name = form["step"] ?? ""
        let body = PetitionController.StepBody(
            step: name, version: form["version"].flatMap(Int.init), to: form["to"], notice: form["notice"], reason: form["reason"],
            text: form["text"], extendBy: form["extendBy"], approvedBy: form["approvedBy"], reviewingUnit: form["reviewingUnit"],
            legalRoute: form["legalRoute"])
        let outcome: Notices.Step
        do {
            _ = try await site.services.petitions.take(try body.domain(), onCase: id, expectedVersion: body.version, by: context.principal)
            outcome = .init(kind: .done, action: name)
        } catch let error as DomainError where !(error.code == .notFound && error.field == "caseID") {
            outcome = .init(kind: error.code == .versionConflict ? .conflict : .refused, action: name,
                            message: CasePages.reason(error, t: site.renderer.translation(context.page.language)))
        }
        let key = site.notices.put(.step(outcome), session: context.session.token)
        return PageRenderer.redirect(to: SiteURL.petitionDetail(.value(id)).path + "?notice=" + key + (outcome.kind == .done ? "" : "#form-\(name)"))
    }

    @Sendable func confirmRepeat(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        var request = request
        let form = try await FormData(request: &request, context: context)
        let outcome: Notices.Step
        do {
            guard let earlier = form["earlier"].flatMap(Int64.init) else { throw DomainError.invalid(field: "earlierCaseID", "choose the earlier petition") }
            _ = try await site.services.petitions.confirmRepeat(caseID: id, earlierCaseID: earlier, by: context.principal)
            outcome = .init(kind: .done, action: "linkRepeat")
        } catch let error as DomainError where !(error.code == .notFound && error.field == "caseID") {
            outcome = .init(kind: .refused, action: "linkRepeat", message: CasePages.reason(error, t: site.renderer.translation(context.page.language)))
        }
        let key = site.notices.put(.step(outcome), session: context.session.token)
        return PageRenderer.redirect(to: SiteURL.petitionDetail(.value(id)).path + "?notice=" + key)
    }

    // MARK: Printed documents

    @Sendable func notice(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await document(request, context: context, steps: ["accept", "notAccept"], kind: "notice")
    }

    @Sendable func reply(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await document(request, context: context, steps: ["reply"], kind: "reply")
    }

    /// The latest of `steps` as its printed document; not found before that step was taken.
    func document(_ request: Request, context: SignedInPageContext, steps: Set<String>, kind: String) async throws -> Response {
        let id = try Self.caseID(context)
        let services = site.services
        let view = try await services.petitions.view(ofCase: id, for: context.principal)
        guard let entry = view.steps.last(where: { steps.contains($0.step) }) else { throw PageError.notFound }
        let petition = view.petition
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let key = entry.step == "notAccept" ? "notAccepted" : kind
        let number = t.text("petitions.doc.numberFormat", ["year": String(formats.dateTime(entry.at).prefix(4)), "case": "\(id)", "seq": "\(entry.sequence)"])
        var lines: [PetitionPage.Fact] = [
            .init(label: t.text("petitions.doc.matter"), value: petition.matter),
            .init(label: t.text("petitions.field.received"), value: formats.dateTime(petition.receivedAt)),
        ]
        if kind == "notice", entry.step == "accept", let accepted = petition.acceptedAt {
            let due = services.calendar.due(from: accepted, limit: try await services.petitions.limits().reply)
            lines.append(.init(label: t.text("petitions.doc.replyBy"), value: formats.dateTime(due)))
        }
        if kind == "reply", let granted = petition.replyExtension {
            lines.append(.init(label: t.text("petitions.field.extension"), value: t.text("petitions.extensionText", ["by": granted.by.description, "who": granted.approvedBy]) + "：" + granted.reason))
        }
        let model = PetitionDocumentPage(
            city: services.directory.areas.values.first { $0.level == .city }?.name ?? t.text("app.name"),
            heading: t.text("petitions.doc.\(key).heading"), number: number,
            addressee: petition.petitioners.map(\.name).joined(separator: "、") + (petition.headcount > petition.petitioners.count ? t.text("petitions.doc.andOthers", ["n": "\(petition.headcount)"]) : ""),
            body: entry.text ?? "", lines: lines, rights: t.text("petitions.doc.\(key).rights"), unit: unitName(entry.unit, t: t),
            date: t.text("receipt.date", Self.dateParts(entry.at, timeZone: services.calendar.timeZone)),
            backURL: SiteURL.petitionDetail(.value(id)).path)
        let layout = Layout(title: model.heading + " " + number, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("petition-document", model, layout: layout)
    }

    // MARK: Helpers

    func clock(_ clock: PetitionClock, t: Translation, formats: PageFormats) -> PetitionPage.Clock {
        let colour = clock.colour(at: formats.now)
        return .init(
            limit: t.text("petitions.limit.\(clock.limit.rawValue)"), article: clock.limit.article, unit: unitName(clock.unit, t: t),
            due: formats.dateTime(clock.dueAt),
            badge: ClockBadge(state: colour.rawValue, label: t.text("clock.state.\(colour.rawValue)"), detail: formats.timeLeft(until: clock.dueAt)))
    }

    func areaID(of unit: PetitionUnit) -> Int64? {
        switch unit {
        case .department(let id): site.services.directory.departments[id]?.areaID
        case .centre(let areaID): areaID
        }
    }

    /// A department's name, or the centre of an area ("城关镇 综治中心").
    func unitName(_ unit: PetitionUnit, t: Translation) -> String {
        let directory = site.services.directory
        switch unit {
        case .department(let id): return directory.departments[id]?.name ?? unit.description
        case .centre(let areaID): return t.text("petitions.centre", ["area": directory.areas[areaID]?.name ?? unit.description])
        }
    }

    static func dateParts(_ date: Date, timeZone: TimeZone) -> [String: String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return ["year": "\(parts.year ?? 0)", "month": "\(parts.month ?? 0)", "day": "\(parts.day ?? 0)"]
    }

    static func caseID(_ context: SignedInPageContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw PageError.notFound }
        return id
    }
}
