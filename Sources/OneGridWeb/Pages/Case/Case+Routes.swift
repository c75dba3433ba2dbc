import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// A case's page, its step forms and the reveal of the reporter's personal data. Every rule is
/// the application's: the page asks `CasePolicy` which steps to offer and `CaseSteps` to take them.
struct CasePages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.caseDetail(.key), use: show)
        pages.on(.caseAction(.key), method: .post, use: act)
        pages.on(.caseReveal(.key), method: .post, use: reveal)
        pages.on(.caseAbuse(.key), method: .post, use: markAbuse)
    }

    // MARK: Show

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        let post = context.principal.post
        let services = site.services
        let record = try await services.reading.visibleCase(id, to: post)
        let language = context.page.language
        let t = site.renderer.translation(language)
        let formats = site.formats(language)
        let directory = services.directory
        let file = record.file
        let events = try await services.reading.timeline(of: id, for: post)
        let users = try await services.people.users(ids: events.compactMap(\.event.actorUserID) + [file.watcherUserID].compactMap { $0 })
        let notice = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token)
        let allowed = CasePolicy.allowedActions(on: file, as: post)
        let number = CaseJSON.number(of: record, calendar: services.calendar)

        func name(_ areaID: Int64?) -> String { areaID.flatMap { directory.areas[$0]?.name } ?? "" }
        func department(_ id: Int64?) -> String { id.flatMap { directory.departments[$0]?.name } ?? "" }
        var facts: [CasePage.Fact] = [
            .init(label: t.text("case.category"), value: directory.categories[file.categoryID]?.name ?? ""),
            .init(label: t.text("case.platform"), value: t.text("platform.\(record.platform.rawValue)")),
            .init(label: t.text("case.channel"), value: t.text("channel.\(record.channel.rawValue)")),
            .init(label: t.text("case.place"), value: AdminLevel.allCases.dropFirst().map { name(file.areas[$0]) }.filter { !$0.isEmpty }.joined(separator: " › ")),
            .init(label: t.text("case.address"), value: record.address ?? ""),
            .init(label: t.text("case.handling"), value: t.text("level.\(file.handlingLevel.rawValue)") + " · " + name(file.handlingAreaID)),
            .init(label: t.text("case.department"), value: department(file.departmentID)),
            .init(label: t.text("case.suggested"), value: department(file.suggestedDepartmentID)),
            .init(label: t.text("case.reported"), value: formats.dateTime(record.createdAt)),
            .init(label: t.text("case.due"), value: formats.dateTime(file.clock?.dueAt ?? record.dueAt)),
        ]
        if file.extensionCount > 0 { facts.append(.init(label: t.text("case.extensions"), value: "\(file.extensionCount)")) }
        if let rating = file.rating { facts.append(.init(label: t.text("case.rating"), value: t.text("rating.\(rating.rawValue)"))) }
        if let route = file.legalRoute { facts.append(.init(label: t.text("case.legalRoute"), value: t.text("legalRoute.\(route.rawValue)"))) }
        if let primary = file.primaryCaseID { facts.append(.init(label: t.text("case.primary"), value: "#\(primary)")) }
        facts = facts.filter { !$0.value.isEmpty }
        // The records it concerns, each with this case's place among that record's cases of the year.
        for concern in try await services.gridBaseData.subjects(ofCase: id, for: post) {
            facts.append(
                .init(
                    label: t.text("case.concerns"),
                    value: t.text(
                        "case.concernsOrdinal",
                        ["record": concern.label, "ordinal": String(concern.ordinalThisYear), "count": String(concern.casesThisYear)])))
        }

        // The reporter's phone and ID number stay masked unless this post reveals them; a value
        // revealed a moment ago is shown once.
        var revealed: (field: String, value: String)?
        if case .step(let step)? = notice, step.kind == .revealed { revealed = (step.field, step.value) }
        let mayReveal = CaseReading.revealers.contains(post.role)
        let personal: [CasePage.Personal] = [
            (CaseReading.PersonalField.phone, record.reporter.phone, PersonalData.maskPhone),
            (.idNumber, record.reporter.idNumber, PersonalData.maskIDNumber),
        ].compactMap { field, value, mask in
            guard let value else { return nil }
            let shown = revealed?.field == field.rawValue ? revealed!.value : mask(value)
            return .init(label: t.text("case.\(field.rawValue)"), value: shown, field: field.rawValue, revealable: mayReveal && revealed?.field != field.rawValue)
        }

        let timeline = events.map { stored in
            let event = stored.event
            let role = event.actorRole.map { t.text("role.\($0.rawValue)") } ?? ""
            let who = event.actorUserID.flatMap { users[$0]?.displayName } ?? t.text("case.system")
            let evidence = event.details["evidence"]?.split(separator: "\n").map(String.init) ?? []
            let kept = AttachmentPages.attachments(of: event).map { attachment in
                (attachment.kind.isPhoto, CasePage.File(
                    href: SiteURL.attachment(.value(id), sha256: attachment.sha256).path, name: attachment.name,
                    size: ByteCountFormatter.string(fromByteCount: Int64(attachment.size), countStyle: .file)))
            }
            return CasePage.Event(
                at: formats.dateTime(event.at), actor: who, post: role, what: t.text("action.\(event.action.rawValue)"),
                statusChange: event.fromStatus.map {
                    t.text("case.statusChange", ["from": t.text("status.\($0.rawValue)"), "to": t.text("status.\(event.toStatus.rawValue)")])
                } ?? t.text("status.\(event.toStatus.rawValue)"),
                note: event.note, attachments: evidence.filter { Attachment(evidence: $0) == nil },
                photos: kept.filter { $0.0 }.map { $0.1 }, files: kept.filter { !$0.0 }.map { $0.1 })
        }

        let mayMerge = allowed.contains(.merge)
        let duplicates = try await services.reading.duplicates(of: id, for: post).candidates.map { candidate in
            CasePage.Duplicate(
                id: candidate.record.id, href: SiteURL.caseDetail(.value(candidate.record.id)).path,
                number: CaseJSON.number(of: candidate.record, calendar: services.calendar), title: candidate.record.title,
                status: t.text("status.\(candidate.record.file.status.rawValue)"), received: formats.dateTime(candidate.record.createdAt),
                similarity: "\(Int((candidate.similarity * 100).rounded()))%", mergeable: mayMerge)
        }

        var refusal: (action: String, text: String)?
        var pageNotice: CasePage.Notice?
        if case .step(let step)? = notice {
            let action = t.text("action.\(step.action)")
            switch step.kind {
            case .done: pageNotice = .init(kind: "ok", text: t.text("case.done", ["action": action]))
            case .revealed: pageNotice = .init(kind: "ok", text: t.text("case.revealed", ["field": t.text("case.\(step.field)")]))
            case .refused: refusal = (step.action, t.text("case.refused", ["action": action, "reason": step.message]))
            case .conflict:
                pageNotice = .init(
                    kind: "warn", text: t.text("case.conflict", ["who": step.by, "at": step.at]),
                    reloadURL: SiteURL.caseDetail(.value(id)).path)
            }
        }

        let forms = try await actionForms(allowed, record: record, t: t, refusal: refusal)
        var model = CasePage(
            id: id, number: number, title: record.title, status: t.text("status.\(file.status.rawValue)"), clock: formats.badge(record),
            version: file.version, actionURL: SiteURL.caseAction(.value(id)).path, revealURL: SiteURL.caseReveal(.value(id)).path,
            facts: facts, description: record.description, reporterName: record.reporter.name ?? t.text("case.anonymous"),
            personal: personal, mayReveal: personal.contains(where: \.revealable),
            map: CasePage.Map(
                grid: file.areas.grid, point: record.location, directory: directory,
                caption: t.text("case.mapCaption", ["grid": name(file.areas.grid)])),
            events: timeline,
            assists: file.assists.map { assist in
                CasePage.Assist(
                    department: department(assist.departmentID),
                    state: assist.reportedAt.map { t.text("case.assistReported", ["at": formats.dateTime($0)]) } ?? t.text("case.assistPending"),
                    reported: assist.reportedAt != nil)
            },
            watcher: file.watcherUserID.map { users[$0]?.displayName ?? "#\($0)" },
            duplicates: duplicates, forms: forms, notice: pageNotice)
        if directory.categories[file.categoryID]?.kind == .dispute, SiteURL.dispute(.key).access.allows(post.role) {
            model.disputeURL = SiteURL.dispute(.value(id)).path
        }
        if let report = try await services.citizens.report(caseID: id) {
            model.portal = CasePage.Portal(
                source: t.text(report.anonymous ? "case.portal.anonymous" : "case.portal.public"),
                abuse: report.abuseAt.map { t.text("case.portal.abuse", ["at": formats.dateTime($0)]) },
                abuseURL: report.abuseAt == nil && SiteURL.caseAbuse(.key).access.allows(post.role) ? SiteURL.caseAbuse(.value(id)).path : nil,
                abuseHint: t.text("case.portal.markAbuseHint", ["days": String(Int(services.citizenLimits.blockFor / 86_400))]))
        }
        let layout = Layout(title: t.text("case.title", ["number": number]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("case", model, layout: layout)
    }

    /// Marks a portal report as abuse and blocks where it came from, then shows the case again.
    @Sendable func markAbuse(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        _ = try await site.services.citizenPortal.markAbuse(caseID: id, by: context.principal)
        return PageRenderer.redirect(to: SiteURL.caseDetail(.value(id)).path)
    }

    /// The steps a queue pushes forward are drawn as the page's main buttons.
    private static let mainSteps: Set<CaseAction> = [.accept, .dispatch, .start, .feedBack, .verifyPass, .close, .rate]
    /// The steps that come with photos, recordings or documents.
    static let uploadSteps: Set<CaseAction> = [.feedBack, .verifyPass, .verifyFail]
    /// What an approved extension may add, in working days.
    private static let extensionDays = [1, 2, 3, 5, 10]

    /// One form per step this post may take now, each asking only for what the step needs.
    private func actionForms(
        _ allowed: [CaseAction], record: CaseRecord, t: Translation, refusal: (action: String, text: String)?
    ) async throws -> [CasePage.ActionForm] {
        let directory = site.services.directory
        let file = record.file
        let serving = directory.departments.values.filter { CaseWorkflow.serves($0, file) }
            .sorted { ($0.level, $0.name) > ($1.level, $1.name) }
        let suggested = file.suggestedDepartmentID.flatMap { directory.departments[$0] }
        var departments = serving.map { CasePage.Choice(value: String($0.id), label: $0.name) }
        if let suggested, serving.contains(where: { $0.id == suggested.id }) {
            departments.insert(.init(value: "", label: t.text("case.suggestedOption", ["name": suggested.name])), at: 0)
        } else {
            departments.insert(.init(value: "", label: t.text("form.choose")), at: 0)
        }
        let watchers = allowed.contains(.dualDispatch) ? try await site.services.people.gridWorkers(gridID: file.areas.grid) : []
        return allowed.map { action in
            var form = CasePage.ActionForm(
                action: action.rawValue, label: t.text("action.\(action.rawValue)"), id: "form-\(action.rawValue)",
                primary: Self.mainSteps.contains(action), noteRequired: action.needsReason, evidence: action == .feedBack,
                uploads: Self.uploadSteps.contains(action), primaryCase: action == .merge, refusal: refusal?.action == action.rawValue ? refusal?.text : nil)
            switch action {
            case .dispatch:
                form.departments = departments
                let below = CaseWorkflow.centresBelow(file).compactMap { directory.areas[$0.areaID] }
                if !below.isEmpty {
                    form.areas = [.init(value: "", label: t.text("form.choose"))]
                        + below.map { .init(value: String($0.id), label: t.text("case.transferOption", ["name": $0.name])) }
                }
            case .dualDispatch:
                form.departments = departments
                form.watchers = watchers.map { .init(value: String($0.id), label: $0.displayName) }
            case .jointDispatch:
                form.departments = departments
                form.assisting = Array(departments.dropFirst())
            case .guide:
                form.legalRoutes = LegalRoute.allCases.map { .init(value: $0.rawValue, label: t.text("legalRoute.\($0.rawValue)")) }
            case .rate:
                form.ratings = Rating.allCases.map { .init(value: $0.rawValue, label: t.text("rating.\($0.rawValue)")) }
            case .extend:
                form.extensions = Self.extensionDays.map { .init(value: "\($0)wd", label: t.text("form.days", ["n": "\($0)"])) }
            default:
                break
            }
            return form
        }
    }

    // MARK: Act

    @Sendable func act(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        var request = request
        let form = try await FormData(request: &request, context: context)
        let here = SiteURL.caseDetail(.value(id)).path
        guard let action = form["action"].flatMap(CaseAction.init(rawValue:)) else {
            _ = try await site.services.reading.visibleCase(id, to: context.principal.post)
            throw PageError.notFound
        }
        let t = site.renderer.translation(context.page.language)
        var input = CaseActionInput(
            note: form["note"], departmentID: form["department"].flatMap(Int64.init), areaID: form["area"].flatMap(Int64.init),
            watcherUserID: form["watcher"].flatMap(Int64.init),
            assistingDepartmentIDs: action == .jointDispatch ? form.all("assisting").compactMap(Int64.init) : nil,
            primaryCaseID: form["primaryCase"].flatMap(Self.caseNumber), legalRoute: form["legalRoute"].flatMap(LegalRoute.init(rawValue:)),
            rating: form["rating"].flatMap(Rating.init(rawValue:)),
            evidence: form["evidence"].map { $0.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) } })
        if let text = form["extendBy"] { input.extendBy = try? TimeLimit(parsing: text, field: "extendBy") }
        let step: Notices.Step
        var target = here
        do {
            if !form.files.isEmpty {
                guard Self.uploadSteps.contains(action) else { throw DomainError.invalid(field: "files", "\(action.rawValue) takes no files") }
                // The case is read first, so a post that may not see it cannot store files through it.
                _ = try await site.services.reading.visibleCase(id, to: context.principal.post)
                let kept = try form.files.map { try site.attachments.keep($0.bytes, name: $0.name, field: $0.field) }
                input.evidence = (input.evidence ?? []) + kept.map(\.evidence)
            }
            let updated = try await site.services.steps.take(
                action, on: id, input: input, expectedVersion: form["version"].flatMap(Int.init), by: context.principal)
            step = .init(kind: .done, action: action.rawValue)
            // A step can hand the case out of this post's sight (a handler returning it): go back to the queue.
            if !CasePolicy.canSee(updated.file, as: context.principal.post) { target = SiteURL.queue.path }
        } catch let error as DomainError where error.code == .versionConflict {
            let last = try await site.services.reading.timeline(of: id, for: context.principal.post).last?.event
            let users = try await site.services.people.users(ids: [last?.actorUserID].compactMap { $0 })
            let who = last.map { event in
                t.text(
                    "case.byWithPost",
                    ["name": event.actorUserID.flatMap { users[$0]?.displayName } ?? t.text("case.system"),
                     "post": event.actorRole.map { t.text("role.\($0.rawValue)") } ?? ""])
            }
            step = .init(kind: .conflict, action: action.rawValue, by: who ?? "", at: last.map { site.formats(context.page.language).dateTime($0.at) } ?? "")
        } catch let error as DomainError where !(error.code == .notFound && error.field == "id") {
            step = .init(kind: .refused, action: action.rawValue, message: Self.reason(error, t: t))
        }
        let key = site.notices.put(.step(step), session: context.session.token)
        return PageRenderer.redirect(to: target + "?notice=" + key + (step.kind == .refused ? "#form-\(action.rawValue)" : ""))
    }

    // MARK: Reveal

    @Sendable func reveal(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        var request = request
        let form = try await FormData(request: &request, context: context)
        guard let field = form["field"].flatMap(CaseReading.PersonalField.init(rawValue:)) else { throw PageError.notFound }
        let value = try await site.services.reading.reveal(field, of: id, by: context.principal) ?? ""
        let key = site.notices.put(.step(.init(kind: .revealed, action: "reveal", field: field.rawValue, value: value)), session: context.session.token)
        return PageRenderer.redirect(to: SiteURL.caseDetail(.value(id)).path + "?notice=" + key)
    }

    // MARK: Helpers

    /// The refusal in the reader's words, with the server's own reason after it.
    static func reason(_ error: DomainError, t: Translation) -> String {
        t.text("reason.\(error.code.rawValue)") + "：" + error.message
    }

    private static func caseID(_ context: SignedInPageContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw PageError.notFound }
        return id
    }

    /// A case id, or a case number as people quote it (20261129-00000042).
    static func caseNumber(_ text: String) -> Int64? {
        Int64(text.split(separator: "-").last.map(String.init) ?? text)
    }
}
