import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The mediation pages: the mediator's desk, a dispute's file with its step forms, the reveal
/// of a party's personal data and the printable agreement. Every rule is `Mediation`'s: the page
/// offers the steps `DisputePolicy` allows and posts them to the same use case as the API.
struct MediationPages {
    let site: PageSite

    /// Party rows on the registration form; more parties are added through the API.
    static let partyRows = 3
    /// Obligation rows on the agreement form.
    static let obligationRows = 3

    func register(on pages: PageRouter) {
        pages.on(.mediationDesk, use: desk)
        pages.on(.dispute(.key), use: show)
        pages.on(.dispute(.key), method: .post, use: registerDispute)
        pages.on(.disputeStep(.key), method: .post, use: step)
        pages.on(.disputeReveal(.key), method: .post, use: reveal)
        pages.on(.disputeAgreement(.key), use: agreement)
    }

    var mediation: Mediation { site.services.mediationSteps }

    // MARK: The file

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        let services = site.services
        let post = context.principal.post
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let notice = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token)
        var model: DisputePage
        if try await services.mediation.dispute(caseID: id) == nil {
            // No file yet: the centre holding a dispute case opens it here; others see nothing.
            let record = try await services.reading.visibleCase(id, to: post)
            guard DisputePolicy.mayRegister(record.file, as: post),
                services.directory.categories[record.file.categoryID]?.kind == .dispute
            else { throw PageError.notFound }
            model = DisputePage(
                caseID: id, number: CaseJSON.number(of: record, calendar: services.calendar), title: record.title,
                caseURL: SiteURL.caseDetail(.value(id)).path)
            var refusal: String?
            if case .step(let step)? = notice, step.kind == .refused { refusal = step.message }
            model.registration = Self.registration(actionURL: SiteURL.dispute(.value(id)).path, t: t, refusal: refusal)
        } else {
            let file = try await mediation.file(of: id, for: context.principal)
            model = try await page(file, t: t, formats: formats, principal: context.principal, notice: notice)
        }
        let layout = Layout(
            title: t.text("mediation.fileTitle", ["number": model.number]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("dispute", model, layout: layout)
    }

    /// The registration form posting to `actionURL`: a dispute case's file, or a screening round's risk found.
    static func registration(actionURL: String, t: Translation, refusal: String?) -> DisputePage.Registration {
        DisputePage.Registration(
            actionURL: actionURL,
            types: DisputeType.allCases.map { .init(value: $0.rawValue, label: t.text("mediation.type.\($0.rawValue)")) },
            roles: Self.roleChoices(t), kinds: Self.kindChoices(t),
            partyRows: Array(1...Self.partyRows), refusal: refusal)
    }

    private func page(
        _ file: Mediation.File, t: Translation, formats: PageFormats, principal: Principal, notice: Notices.Notice?
    ) async throws -> DisputePage {
        let dispute = file.dispute
        let id = dispute.caseID
        let services = site.services
        var model = DisputePage(
            caseID: id, number: CaseJSON.number(of: file.record, calendar: services.calendar), title: file.record.title,
            caseURL: SiteURL.caseDetail(.value(id)).path)
        model.status = t.text("mediation.status.\(dispute.status.rawValue)")
        model.riskState = dispute.riskColour.rawValue
        model.risk = t.text("mediation.risk.\(dispute.riskColour.rawValue)")
        model.version = dispute.version
        model.stepURL = SiteURL.disputeStep(.value(id)).path
        model.revealURL = SiteURL.disputeReveal(.value(id)).path
        model.summary = dispute.summary
        var facts: [DisputePage.Fact] = [
            .init(label: t.text("mediation.typeLabel"), value: t.text("mediation.type.\(dispute.type.rawValue)")),
            .init(label: t.text("mediation.amount"), value: dispute.amountYuan.map { t.text("mediation.yuan", ["amount": "\($0)"]) } ?? ""),
            .init(label: t.text("mediation.people"), value: "\(dispute.peopleInvolved)"),
            .init(label: t.text("mediation.body"), value: file.body?.name ?? t.text("mediation.noBody")),
            .init(label: t.text("mediation.registered"), value: formats.dateTime(dispute.registeredAt)),
            .init(label: t.text("mediation.major"), value: dispute.majorReason ?? ""),
            .init(label: t.text("mediation.police"), value: dispute.violenceReportedAt.map(formats.dateTime) ?? ""),
            .init(label: t.text("mediation.routes"), value: dispute.legalRoutes.map { t.text("legalRoute.\($0.rawValue)") }.joined(separator: "、")),
            .init(label: t.text("mediation.endNote"), value: dispute.endNote ?? ""),
            .init(label: t.text("mediation.followUpDue"), value: dispute.followUpDue.map(formats.dateTime) ?? ""),
        ]
        facts = facts.filter { !$0.value.isEmpty }
        model.facts = facts

        var revealed: (field: String, value: String)?
        var refusal: (step: String, text: String)?
        switch notice {
        case .step(let step)?:
            switch step.kind {
            case .done: model.notice = .init(kind: "ok", text: t.text("mediation.done", ["step": t.text("mediation.step.\(step.action)")]))
            case .revealed:
                revealed = (step.field, step.value)
                model.notice = .init(kind: "ok", text: t.text("case.revealed", ["field": t.text("mediation.\(step.field.split(separator: ".").last ?? "")")]))
            case .refused: refusal = (step.action, step.message)
            case .conflict: model.notice = .init(kind: "warn", text: t.text("mediation.conflict"))
            }
        default: break
        }

        let mayReveal = principal.post.role.mayRevealPersonalData
        model.parties = dispute.parties.map { party in
            let personal: [DisputePage.Personal] = [("phone", party.phone), ("idNumber", party.idNumber)].compactMap { field, value in
                guard let value else { return nil }
                let key = "party\(party.number).\(field)"
                return .init(
                    label: t.text("mediation.\(field)"), value: revealed?.field == key ? revealed!.value : value, field: field,
                    revealable: mayReveal && revealed?.field != key)
            }
            return DisputePage.Party(
                number: party.number, name: party.name, role: t.text("mediation.partyRole.\(party.role.rawValue)"),
                kind: t.text("mediation.partyKind.\(party.kind.rawValue)"), consent: t.text("mediation.consent.\(party.consent.rawValue)"),
                personal: personal)
        }
        model.mayReveal = model.parties.contains { $0.personal.contains(where: \.revealable) }
        model.sessions = dispute.sessions.reversed().map { session in
            .init(
                number: session.number, at: formats.dateTime(session.startsAt),
                place: [session.place, session.videoLink].compactMap { $0 }.joined(separator: " · "),
                participants: session.participants.joined(separator: "、"), record: session.record)
        }
        let names = Dictionary(uniqueKeysWithValues: dispute.parties.map { ($0.number, $0.name) })
        let users = try await services.people.users(ids: dispute.agreements.compactMap(\.mediatorUserID))
        model.agreements = dispute.agreements.reversed().map { agreement in
            var signatures = agreement.partySignatures.sorted { $0.key < $1.key }.map {
                t.text("mediation.signedBy", ["who": names[$0.key] ?? "#\($0.key)", "at": formats.dateTime($0.value)])
            }
            if let at = agreement.mediatorSignedAt {
                let who = agreement.mediatorUserID.flatMap { users[$0]?.displayName } ?? t.text("role.mediator")
                signatures.append(t.text("mediation.signedBy", ["who": who, "at": formats.dateTime(at)]))
            }
            if let at = agreement.stampedAt { signatures.append(t.text("mediation.stampedAt", ["at": formats.dateTime(at)])) }
            return DisputePage.Agreement(
                number: agreement.number, state: Self.state(of: agreement, t: t, formats: formats), facts: agreement.facts,
                terms: agreement.terms,
                obligations: agreement.obligations.map {
                    t.text("mediation.obligationLine", ["who": names[$0.partyNumber] ?? "", "what": $0.text, "due": formats.dateTime($0.dueOn)])
                },
                signatures: signatures,
                court: agreement.court.map { court in
                    t.text("mediation.courtLine", [
                        "court": court, "decision": agreement.courtDecision.map { t.text("mediation.decision.\($0.rawValue)") } ?? t.text("mediation.decision.pending"),
                    ])
                },
                printURL: SiteURL.disputeAgreement(.value(id)).with([("n", "\(agreement.number)")]))
        }
        model.followUps = dispute.followUps.reversed().map {
            .init(at: formats.dateTime($0.at), result: t.text($0.carriedOut ? "mediation.carriedOut" : "mediation.notCarriedOut"), carriedOut: $0.carriedOut, note: $0.note)
        }
        let bodies = file.allowedSteps.contains("assign") ? try await mediation.bodies(for: id, by: principal) : []
        model.forms = forms(file, bodies: bodies, t: t, refusal: refusal)
        return model
    }

    private static func state(of agreement: Dispute.Agreement, t: Translation, formats: PageFormats) -> String {
        if let breached = agreement.breachedAt { return t.text("mediation.agreementBroken", ["at": formats.dateTime(breached)]) }
        if let effective = agreement.effectiveAt { return t.text("mediation.agreementEffective", ["at": formats.dateTime(effective)]) }
        return t.text("mediation.agreementDraft")
    }

    static func roleChoices(_ t: Translation) -> [DisputePage.Choice] {
        PartyRole.allCases.map { .init(value: $0.rawValue, label: t.text("mediation.partyRole.\($0.rawValue)")) }
    }

    static func kindChoices(_ t: Translation) -> [DisputePage.Choice] {
        PartyKind.allCases.map { .init(value: $0.rawValue, label: t.text("mediation.partyKind.\($0.rawValue)")) }
    }

    /// The main step of each stage is drawn open.
    private static let mainSteps: Set<MediationStep.Kind> = [.assign, .recordSession, .draftAgreement, .followUp]

    private func forms(
        _ file: Mediation.File, bodies: [MediationBody], t: Translation, refusal: (step: String, text: String)?
    ) -> [DisputePage.Form] {
        let dispute = file.dispute
        let draft = dispute.currentAgreement.flatMap { $0.effectiveAt == nil ? $0 : nil }
        func parties(_ list: [Dispute.Party]) -> [DisputePage.Choice] {
            list.map { .init(value: "\($0.number)", label: "\($0.number). \($0.name)（\(t.text("mediation.partyRole.\($0.role.rawValue)"))）") }
        }
        return file.allowedSteps.compactMap(MediationStep.Kind.init(rawValue:)).map { kind in
            var form = DisputePage.Form(
                step: kind.rawValue, label: t.text("mediation.step.\(kind.rawValue)"), id: "form-\(kind.rawValue)",
                primary: Self.mainSteps.contains(kind), refusal: refusal?.step == kind.rawValue ? refusal?.text : nil)
            switch kind {
            case .assign:
                form.bodies = bodies.map { .init(value: "\($0.id)", label: $0.name) }
            case .referToCentre, .reportViolence, .withdraw:
                form.note = true
                form.noteRequired = true
            case .addParty:
                form.newParty = .init(roles: Self.roleChoices(t), kinds: Self.kindChoices(t))
            case .consent:
                form.party = parties(dispute.parties.filter { $0.consent == .pending })
            case .refuse:
                form.party = parties(dispute.parties)
                form.note = true
                form.noteRequired = true
            case .recordSession:
                form.session = true
            case .draftAgreement:
                form.agreement = Array(1...Self.obligationRows)
                form.party = parties(dispute.parties)
            case .signAsParty:
                form.party = parties(dispute.signingParties.filter { draft?.partySignatures[$0.number] == nil })
            case .signAsMediator, .stamp:
                break
            case .endWithoutAgreement:
                form.routes = MediationWorkflow.otherRoutes.map { .init(value: $0.rawValue, label: t.text("legalRoute.\($0.rawValue)"), checked: true) }
                form.note = true
                form.noteRequired = true
            case .followUp:
                form.carriedOut = true
                form.note = true
                form.noteRequired = true
            case .applyForConfirmation:
                form.court = true
                form.parties = parties(dispute.signingParties).map { choice in
                    var checked = choice
                    checked.checked = true
                    return checked
                }
            case .recordCourtDecision:
                form.decisions = CourtDecision.allCases.map { .init(value: $0.rawValue, label: t.text("mediation.decision.\($0.rawValue)")) }
                form.note = true
            }
            return form
        }
    }

    // MARK: Writing

    @Sendable func registerDispute(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        var request = request
        let dispute = Self.disputeForm(try await FormData(request: &request, context: context))
        let here = SiteURL.dispute(.value(id)).path
        let t = site.renderer.translation(context.page.language)
        let step: Notices.Step
        do {
            _ = try await mediation.register(dispute, on: id, by: context.principal)
            step = .init(kind: .done, action: "register")
        } catch let error as DomainError where !(error.code == .notFound && error.field == "id") {
            step = .init(kind: .refused, action: "register", message: CasePages.reason(error, t: t))
        }
        let key = site.notices.put(.step(step), session: context.session.token)
        return PageRenderer.redirect(to: here + "?notice=" + key)
    }

    /// The dispute's registration as the fields of `dispute-fields` post it.
    static func disputeForm(_ form: FormData) -> DisputeForm {
        let parties = (1...Self.partyRows).compactMap { row -> DisputeForm.PartyForm? in
            guard let name = form["party\(row).name"] else { return nil }
            return .init(
                kind: form["party\(row).kind"], role: form["party\(row).role"], name: name, phone: form["party\(row).phone"],
                idNumber: form["party\(row).idNumber"])
        }
        return DisputeForm(
            type: form["type"], amountYuan: form["amountYuan"].flatMap(Int64.init), peopleInvolved: form["peopleInvolved"].flatMap(Int.init),
            summary: form["summary"], parties: parties)
    }

    @Sendable func step(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        var request = request
        let form = try await FormData(request: &request, context: context)
        guard let name = form["step"] else { throw PageError.notFound }
        let here = SiteURL.dispute(.value(id)).path
        let t = site.renderer.translation(context.page.language)
        let step: Notices.Step
        do {
            let input = try Self.input(form, timeZone: site.services.calendar.timeZone)
            _ = try await mediation.take(name, on: id, input: input, expectedVersion: form["version"].flatMap(Int.init), by: context.principal)
            step = .init(kind: .done, action: name)
        } catch let error as DomainError where error.code == .versionConflict {
            step = .init(kind: .conflict, action: name)
        } catch let error as DomainError where !(error.code == .notFound && error.field == "id") {
            step = .init(kind: .refused, action: name, message: CasePages.reason(error, t: t))
        }
        let key = site.notices.put(.step(step), session: context.session.token)
        return PageRenderer.redirect(to: here + "?notice=" + key + (step.kind == .refused ? "#form-\(name)" : ""))
    }

    /// A step's form as `MediationInput`; times are the city's local time.
    static func input(_ form: FormData, timeZone: TimeZone) throws(DomainError) -> MediationInput {
        var input = MediationInput(
            note: form["note"], party: form["party"].flatMap(Int.init), parties: form.all("parties").compactMap(Int.init),
            bodyID: form["body"].flatMap(Int64.init), routes: form.all("routes"), carriedOut: form["carriedOut"].map { $0 == "yes" },
            court: form["court"], decision: form["decision"], place: form["place"], videoLink: form["videoLink"],
            participants: form["participants"]?.split(whereSeparator: \.isNewline).map(String.init), record: form["record"],
            facts: form["facts"], terms: form["terms"])
        if let text = form["startsAt"] {
            input.startsAt = try localDate(text, format: "yyyy-MM-dd'T'HH:mm", timeZone: timeZone, field: "startsAt")
        }
        var obligations: [AgreementForm.ObligationForm] = []
        for row in 1...obligationRows {
            guard let text = form["obligation\(row).text"] else { continue }
            // Due at the end of the day named: a party has all of it.
            let day = try form["obligation\(row).dueOn"].map { text throws(DomainError) in
                try localDate(text, format: "yyyy-MM-dd", timeZone: timeZone, field: "obligations[\(row - 1)].dueOn").addingTimeInterval(86_399)
            }
            obligations.append(.init(party: form["obligation\(row).party"].flatMap(Int.init), text: text, dueOn: day))
        }
        if form["step"] == MediationStep.Kind.draftAgreement.rawValue { input.obligations = obligations }
        if form["step"] == MediationStep.Kind.addParty.rawValue {
            input.newParty = .init(
                kind: form["newParty.kind"], role: form["newParty.role"], name: form["newParty.name"], phone: form["newParty.phone"],
                idNumber: form["newParty.idNumber"])
        }
        return input
    }

    private static func localDate(_ text: String, format: String, timeZone: TimeZone, field: String) throws(DomainError) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = format
        guard let date = formatter.date(from: text) else {
            throw DomainError.invalid(field: field, "expected a date like \(format.replacingOccurrences(of: "'", with: "")), got '\(text)'")
        }
        return date
    }

    @Sendable func reveal(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        var request = request
        let form = try await FormData(request: &request, context: context)
        guard let field = form["field"].flatMap(CaseReading.PersonalField.init(rawValue:)), let party = form["party"].flatMap(Int.init) else {
            throw PageError.notFound
        }
        let value = try await mediation.reveal(field, ofParty: party, in: id, by: context.principal) ?? ""
        let key = site.notices.put(
            .step(.init(kind: .revealed, action: "reveal", field: "party\(party).\(field.rawValue)", value: value)), session: context.session.token)
        return PageRenderer.redirect(to: SiteURL.dispute(.value(id)).path + "?notice=" + key)
    }

    static func caseID(_ context: SignedInPageContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw PageError.notFound }
        return id
    }
}
