import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The residents' pages: the list and search, a person's file and its reveals, the import of a
/// register and its export, and the overdue visits of an area. Every rule is the use cases'.
struct ResidentPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.residents, use: list)
        pages.on(.resident(.key), use: show)
        pages.on(.residentReveal(.key), method: .post, use: reveal)
        pages.on(.residentsImport, use: importForm)
        pages.on(.residentsImport, method: .post, use: importRegister)
        pages.on(.residentsExport, use: export)
        pages.on(.visitsOverdue, use: overdue)
    }

    var data: GridBaseData { site.services.gridBaseData }

    /// The grids a post's area holds, for the list's choice of grid.
    private func grids(of post: Post) -> [Area] {
        let directory = site.services.directory
        return directory.areas.values.filter { grid in
            grid.level == .grid && grid.retiredAt == nil && BaseDataPolicy.canSee(directory.path(ofGrid: grid.id) ?? AreaPath(city: 0, county: 0, town: 0, village: 0, grid: 0), as: post)
        }.sorted { $0.code < $1.code }
    }

    private func kindName(_ kind: BaseKind?, _ language: Language) -> String {
        guard let kind else { return "" }
        return language == .zhCN ? kind.name : kind.englishName
    }

    @Sendable func list(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let post = context.principal.post
        let language = context.page.language
        let t = site.renderer.translation(language)
        let parameters = request.uri.queryParameters
        let grids = grids(of: post)
        let gridID = parameters.get("grid").flatMap(Int64.init).flatMap { id in grids.first { $0.id == id }?.id } ?? (grids.count == 1 ? grids[0].id : nil)
        let text = parameters.get("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let after = parameters.get("after").flatMap(Int64.init)
        let limit = 50
        // Without a grid or a search, a town's list would be its whole population: ask for one.
        let people = gridID != nil || !text.isEmpty
            ? try await data.residents(gridID: gridID, text: text.isEmpty ? nil : text, after: after, limit: limit, for: post) : []
        let access = try await data.access(for: post)
        let directory = site.services.directory
        let filters = [("grid", gridID.map(String.init) ?? ""), ("q", text)]
        let page = ResidentsPage(
            action: SiteURL.residents.path, text: text,
            grids: [.init(value: "", label: t.text("residents.allGrids"), selected: gridID == nil)]
                + grids.map { .init(value: String($0.id), label: $0.name, selected: $0.id == gridID) },
            rows: people.map { person in
                .init(
                    href: SiteURL.resident(.value(person.id)).path, name: person.name, idNumber: person.idNumber, phone: person.phone ?? "",
                    kind: kindName(access.kind(person.kind), language), registration: t.text("residents.registration.\(person.registration.rawValue)"),
                    grid: directory.areas[person.areas.grid]?.name ?? "")
            },
            nextURL: people.count == limit ? SiteURL.residents.with(filters + [("after", String(people.last!.id))]) : nil,
            exportURL: SiteURL.residentsExport.with(filters),
            importURL: BaseDataPolicy.editors.contains(post.role) ? SiteURL.residentsImport.path : nil,
            overdueURL: SiteURL.visitsOverdue.access.allows(post.role) ? SiteURL.visitsOverdue.path : nil)
        let layout = Layout(title: t.text("residents.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("residents", page, layout: layout)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try context.pathID()
        let post = context.principal.post
        let language = context.page.language
        let t = site.renderer.translation(language)
        let formats = site.formats(language)
        let file = try await data.personFile(id, for: post)
        let services = site.services
        let directory = services.directory
        let access = try await data.access(for: post)
        var revealed: (field: String, value: String)?
        if case .step(let step)? = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token), step.kind == .revealed {
            revealed = (step.field, step.value)
        }
        let mayReveal = BaseDataPolicy.revealers.contains(post.role)
        let person = file.resident
        func personal(_ field: CaseReading.PersonalField, _ masked: String?) -> ResidentPage.Fact? {
            guard let masked else { return nil }
            let shown = revealed?.field == field.rawValue ? revealed!.value : masked
            return .init(label: t.text("residents.\(field.rawValue)"), value: shown, field: field.rawValue, revealable: mayReveal && revealed?.field != field.rawValue)
        }
        let facts: [ResidentPage.Fact] = [
            personal(.idNumber, person.idNumber), personal(.phone, person.phone),
            .init(label: t.text("residents.kind"), value: kindName(file.kind, language)),
            .init(label: t.text("residents.registrationLabel"), value: t.text("residents.registration.\(person.registration.rawValue)")),
            .init(label: t.text("residents.relation"), value: person.relation ?? ""),
            .init(label: t.text("residents.grid"), value: directory.lineage(of: person.areas.grid).dropFirst().map(\.name).joined(separator: " › ")),
        ].compactMap { $0 }.filter { !$0.value.isEmpty }
        let household = file.household
        let users = try await services.people.users(ids: file.history.map(\.userID) + file.visits.map(\.userID))
        let risk = try await RiskWatch.readers.contains(post.role) ? services.risks.standing(RiskMatter(kind: .household, id: household.id)) : nil
        let page = ResidentPage(
            name: person.name, facts: facts, revealURL: SiteURL.residentReveal(.value(id)).path, mayReveal: mayReveal,
            revealed: revealed.map { _ in t.text("residents.revealedNote") },
            household: [
                .init(label: t.text("residents.address"), value: household.label),
                .init(label: t.text("residents.lastVisit"), value: household.lastVisitAt.map(formats.dateTime) ?? t.text("residents.never")),
                .init(label: t.text("residents.nextVisit"), value: household.visitDueAt.map(services.calendar.dayKey) ?? t.text("residents.noCadence")),
            ],
            risk: risk.flatMap { standing in
                standing.colour == .green
                    ? nil
                    : RiskRow(
                        RiskWatch.Entry(standing: standing, lineage: directory.lineage(of: standing.areaID)), title: household.label, directory: directory,
                        formats: formats, yellowShare: services.planner.yellowShare)
            },
            members: file.members.map { member in
                .init(
                    href: SiteURL.resident(.value(member.id)).path, name: member.name, relation: member.relation ?? "",
                    kind: kindName(access.kind(member.kind), language), current: member.id == id)
            },
            cases: file.cases.map { record in
                .init(
                    href: SiteURL.caseDetail(.value(record.id)).path, number: CaseJSON.number(of: record, calendar: services.calendar),
                    title: record.title, status: t.text("status.\(record.file.status.rawValue)"), reported: formats.dateTime(record.createdAt))
            },
            visits: file.visits.map { visit in
                .init(
                    at: formats.dateTime(visit.visitedAt) + " · " + (users[visit.userID]?.displayName ?? ""), whom: visit.whom, findings: visit.findings,
                    caseHref: visit.caseID.map { SiteURL.caseDetail(.value($0)).path }, caseID: visit.caseID)
            },
            history: file.history.reversed().map { change in
                .init(
                    at: formats.dateTime(change.at), who: users[change.userID]?.displayName ?? "", action: t.text("residents.change.\(change.action)"),
                    fields: change.fields.sorted { $0.key < $1.key }.map { field in
                        let name = t.text("residents.field.\(field.key)")
                        return field.value[0].isEmpty ? "\(name)：\(field.value[1])" : "\(name)：\(field.value[0]) → \(field.value[1])"
                    }.joined(separator: "；"))
            },
            backURL: SiteURL.residents.with([("grid", String(person.areas.grid))]))
        let layout = Layout(title: t.text("residents.personTitle", ["name": person.name]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("resident", page, layout: layout)
    }

    @Sendable func reveal(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try context.pathID()
        var request = request
        let form = try await FormData(request: &request, context: context)
        guard let field = form["field"].flatMap(CaseReading.PersonalField.init(rawValue:)) else { throw PageError.notFound }
        let value = try await data.reveal(field, ofResident: id, purpose: form["purpose"], by: context.principal) ?? ""
        let key = site.notices.put(.step(.init(kind: .revealed, action: "reveal", field: field.rawValue, value: value)), session: context.session.token)
        return PageRenderer.redirect(to: SiteURL.resident(.value(id)).with([("notice", key)]))
    }

    // MARK: Import and export

    @Sendable func importForm(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await importPage(request, context: context, outcome: nil)
    }

    @Sendable func importRegister(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let outcome = try await data.importResidents(form.files.first { $0.field == "file" }?.bytes ?? [], by: context.principal)
        return try await importPage(request, context: context, outcome: outcome)
    }

    private func importPage(_ request: Request, context: SignedInPageContext, outcome: GridBaseData.ImportOutcome?) async throws -> Response {
        let language = context.page.language
        let t = site.renderer.translation(language)
        let access = try await data.access(for: context.principal.post)
        let page = ResidentsImportPage(
            action: SiteURL.residentsImport.path,
            columns: ResidentImport.Column.allCases.map { $0.chineseName + ($0.rawValue == $0.chineseName ? "" : " (\($0.rawValue))") }.joined(separator: "，"),
            kinds: access.kinds.filter { $0.subject == .resident && !access.hidden.contains($0.code) }.map { kindName($0, language) }.joined(separator: "、"),
            done: outcome.flatMap { $0.problems.isEmpty ? t.text("residents.import.done", ["households": String($0.households), "residents": String($0.residents)]) : nil },
            problems: outcome?.problems.map { .init(line: $0.line, field: $0.field, expected: $0.expected) } ?? [],
            backURL: SiteURL.residents.path)
        let layout = Layout(title: t.text("residents.import.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("residents-import", page, layout: layout, status: outcome.map { $0.problems.isEmpty ? .ok : .unprocessableContent } ?? .ok)
    }

    /// The residents a post may see under the list's filters as a spreadsheet: masked, without
    /// the kinds it may not see, read a page at a time.
    @Sendable func export(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let post = context.principal.post
        let language = context.page.language
        let t = site.renderer.translation(language)
        let parameters = request.uri.queryParameters
        let gridID = parameters.get("grid").flatMap(Int64.init)
        let text = parameters.get("q").flatMap { $0.isEmpty ? nil : $0 }
        let access = try await data.access(for: post)
        let directory = site.services.directory
        let day = site.services.calendar.dayKey(site.services.clock.now).filter { $0 != "-" }
        let columns = ["grid", "name", "idNumber", "phone", "relation", "kind", "registrationLabel"].map { t.text("residents.\($0)") }
        let data = self.data
        let body = ResponseBody { writer in
            // In the reports' lane: a county's residents are a million lines to format.
            try await withTaskExecutorPreference(ReportsExecutor.shared) {
                try await writer.write(ByteBuffer(bytes: CSV.byteOrderMark + CSV.line(columns)))
                var after: Int64?
                repeat {
                    let page = try await data.residents(gridID: gridID, text: text, after: after, limit: 500, for: post)
                    var buffer = ByteBuffer()
                    for person in page {
                        buffer.writeBytes(
                            CSV.line([
                                directory.areas[person.areas.grid]?.name ?? "", person.name, person.idNumber, person.phone ?? "", person.relation ?? "",
                                kindName(access.kind(person.kind), language), t.text("residents.registration.\(person.registration.rawValue)"),
                            ]))
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                    after = page.count == 500 ? page.last?.id : nil
                } while after != nil
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: ExportFormat.csv.headers(file: "residents", day: day), body: body)
    }

    // MARK: Visits

    @Sendable func overdue(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let post = context.principal.post
        let t = site.renderer.translation(context.page.language)
        let directory = site.services.directory
        let areaID = request.uri.queryParameters.get("area").flatMap(Int64.init) ?? post.areaID
        let figures = try await site.services.visits.overdue(in: areaID, for: post)
        let children = directory.children(of: post.areaID).filter { $0.retiredAt == nil && $0.level != .grid }
        let page = OverdueVisitsPage(
            area: directory.areas[areaID]?.name ?? "",
            children: [.init(value: String(post.areaID), label: directory.areas[post.areaID]?.name ?? "", selected: areaID == post.areaID)]
                + children.map { .init(value: String($0.id), label: $0.name, selected: $0.id == areaID) },
            action: SiteURL.visitsOverdue.path,
            grids: figures.grids.sorted { $0.overdue > $1.overdue }.map { .init(grid: $0.grid.name, worker: "", overdue: $0.overdue, visits: $0.visitsThisMonth) },
            workers: figures.workers.sorted { $0.overdue > $1.overdue }.map {
                .init(grid: $0.grid.name, worker: $0.worker?.displayName ?? "", overdue: $0.overdue, visits: $0.visitsThisMonth)
            })
        let layout = Layout(title: t.text("visits.overdueTitle"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("visits-overdue", page, layout: layout)
    }
}
