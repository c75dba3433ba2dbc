import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The queue page and the dispatcher's bulk actions.
struct QueuePages {
    let site: PageSite
    /// Rows on a page: a laptop shows about this many without scrolling far, never sideways.
    static let pageSize = 50

    func register(on pages: PageRouter) {
        pages.on(.queue, use: show)
        pages.on(.queueActions, method: .post, use: act)
        pages.on(.queueExport, use: export)
    }

    /// The queue's filters as a case query: the API's filter language, so a queue link and an
    /// API query mean the same; the post's own statuses and the most urgent first unless asked
    /// otherwise. Colours other than red are not stored: the caller keeps the rows that show
    /// `colour`. A filter that cannot be read is dropped, and `error` says why.
    func queueQuery(_ parameters: Parameters, for post: Post) throws -> (query: CaseQuery, colour: ClockColour?, error: String?) {
        var query: CaseQuery
        var filterError: String?
        do {
            query = try CaseController(services: site.services).caseQuery(parameters)
        } catch let error as APIError {
            filterError = error.message
            query = CaseQuery()
        }
        if parameters.get("order") == nil { query.order = .urgent }
        if query.statuses.isEmpty { query.statuses = QueuePage.statuses(for: post.role) }
        let colour = parameters.get("colour").flatMap(ClockColour.init(rawValue:))
        if colour == .red { query.overdue = true }
        return (query, colour, filterError)
    }

    /// Whether a case's running clock shows `colour` now; a closed or suspended case shows none.
    static func shows(_ colour: ClockColour, _ record: CaseRecord, at now: Date) -> Bool {
        record.file.status.isOpen && record.file.suspendedAt == nil
            && (record.file.clock?.colour(at: now) ?? (record.dueAt < now ? .red : .green)) == colour
    }

    /// Every case the queue's filters match, not one page of them, as a CSV download in the
    /// page's language.
    @Sendable func export(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let post = context.principal.post
        let (query, colour, filterError) = try queueQuery(request.uri.queryParameters, for: post)
        // A filter the queue drops would widen the download unseen: the queue says what is wrong.
        guard filterError == nil else { return PageRenderer.redirect(to: SiteURL.queue.path + "?" + (request.uri.query ?? "")) }
        var export = CaseExport(services: site.services, format: .csv, translation: site.renderer.translation(context.page.language))
        if let colour { export.keeps = { Self.shows(colour, $0, at: $1) } }
        return export.response(query, for: post)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let language = context.page.language
        let t = site.renderer.translation(language)
        let formats = site.formats(language)
        let post = context.principal.post
        let directory = site.services.directory
        let parameters = request.uri.queryParameters
        var (query, colour, filterError) = try queueQuery(parameters, for: post)
        let ownStatuses = QueuePage.statuses(for: post.role)
        query.limit = colour == nil ? Self.pageSize : 200

        let page = try await site.services.reading.list(query, for: post)
        var records = page.cases
        var next = page.next
        if let colour {
            // Colours other than red are not stored: take the matching rows of a wider window, and
            // continue after the last row looked at.
            let now = formats.now
            var kept: [CaseRecord] = []
            for record in records where Self.shows(colour, record, at: now) {
                kept.append(record)
                if kept.count == Self.pageSize {
                    next = CaseCursor(after: record, in: query.order)
                    break
                }
            }
            records = kept
        }

        let calendar = site.services.calendar
        // The grid's name carries its village's; a centre above the towns also needs the town.
        let placeLevels: [AdminLevel] = post.areaLevel < .town ? [.town, .grid] : [.grid]
        let rows = records.map { record in
            let number = CaseJSON.number(of: record, calendar: calendar)
            return QueuePage.Row(
                id: record.id, href: SiteURL.caseDetail(.value(record.id)).path, number: number, title: record.title,
                category: directory.categories[record.file.categoryID]?.name ?? "",
                place: placeLevels.compactMap { directory.areas[record.file.areas[$0]]?.name }.joined(separator: " · "),
                status: t.text("status.\(record.file.status.rawValue)"), clock: formats.badge(record),
                received: formats.dateTime(record.createdAt),
                department: record.file.departmentID.flatMap { directory.departments[$0]?.name } ?? "",
                selectValue: "\(record.id):\(record.file.version)", selectLabel: t.text("queue.select") + " " + number)
        }

        // The order is always written out: a cursor continues the order it was made in.
        let kept = parameters.filter { !["cursor", "notice", "lang", "order"].contains($0.key) }.map { (String($0.key), String($0.value)) }
            + [("order", query.order.rawValue)]
        let chosenStatuses = Set(parameters.getAll("status"))
        let chosenColour = parameters.get("colour")
        func options(_ values: [(String, String)], chosen: Set<String>) -> [QueuePage.Option] {
            [QueuePage.Option(value: "", label: t.text("queue.any"), selected: chosen.isEmpty)]
                + values.map { QueuePage.Option(value: $0.0, label: $0.1, selected: chosen.contains($0.0)) }
        }
        func one(_ name: String) -> Set<String> { Set(parameters.get(name).map { [$0] } ?? []) }
        var model = QueuePage(
            heading: t.text(post.role == .departmentHandler ? "queue.departmentHeading" : "queue.heading"),
            statuses: options(ownStatuses.map { ($0.rawValue, t.text("status.\($0.rawValue)")) }, chosen: chosenStatuses),
            categories: options(
                directory.categories.values.filter { $0.parentID == nil }.sorted { $0.code < $1.code }.map { ($0.code, $0.name) },
                chosen: one("category")),
            platforms: options(Platform.allCases.map { ($0.rawValue, t.text("platform.\($0.rawValue)")) }, chosen: one("platform")),
            channels: options(Channel.allCases.map { ($0.rawValue, t.text("channel.\($0.rawValue)")) }, chosen: one("channel")),
            areas: post.role == .departmentHandler
                ? [] : options(directory.children(of: post.areaID).sorted { $0.code < $1.code }.map { ($0.code, $0.name) }, chosen: one("area")),
            colours: options(
                ["red", "yellow", "green"].map { ($0, t.text("clock.state.\($0)")) }, chosen: chosenColour.map { [$0] } ?? []),
            orders: [(CaseOrder.urgent, "queue.orderUrgent"), (.newest, "queue.orderNewest")].map {
                QueuePage.Option(value: $0.0.rawValue, label: t.text($0.1), selected: $0.0 == query.order)
            },
            text: parameters.get("q") ?? "", overdue: parameters.get("overdue") == "true", filterError: filterError, rows: rows,
            shown: t.text("queue.shown", ["count": "\(rows.count)"]),
            nextURL: next.map { SiteURL.queue.with(kept + [("cursor", $0.description)]) },
            firstURL: parameters.get("cursor") == nil ? nil : SiteURL.queue.with(kept),
            exportURL: SiteURL.queueExport.with(kept))
        if post.role == .dispatcher {
            model.bulk = QueuePage.Bulk(
                actions: QueuePage.bulkActions.map { .init(value: $0.rawValue, label: t.text("action.\($0.rawValue)"), needsDepartment: $0 == .dispatch) },
                departments: [QueuePage.Option(value: "", label: t.text("queue.chooseDepartment"), selected: true)]
                    + directory.departments.values.filter { $0.areaID == post.areaID }.sorted { $0.name < $1.name }
                    .map { QueuePage.Option(value: String($0.id), label: $0.name, selected: false) },
                back: SiteURL.queue.with(kept))
        }
        if case .bulk(let action, let rows)? = site.notices.take(parameters.get("notice"), session: context.session.token) {
            model.outcome = QueuePage.Outcome(
                action: t.text("action.\(action)"), rows: rows, doneCount: rows.count { $0.done }, failedCount: rows.count { !$0.done },
                allDone: rows.allSatisfy(\.done))
        }
        let layout = Layout(title: model.heading, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("queue", model, layout: layout)
    }

    /// Takes one action on every selected case, each through `CaseSteps` at the version the
    /// dispatcher saw, and shows each row's outcome: one refusal does not stop the others.
    @Sendable func act(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let back = SignInPages.safeNext(form["back"]) ?? SiteURL.queue.path
        guard let action = form["action"].flatMap(CaseAction.init(rawValue:)), QueuePage.bulkActions.contains(action) else {
            throw PageError.notFound
        }
        let t = site.renderer.translation(context.page.language)
        let input = CaseActionInput(note: form["note"], departmentID: form["department"].flatMap(Int64.init))
        let calendar = site.services.calendar
        var rows: [Notices.Row] = []
        for value in form.all("case").prefix(200) {
            let parts = value.split(separator: ":").compactMap { Int64($0) }
            guard parts.count == 2 else { continue }
            do {
                let record = try await site.services.steps.take(
                    action, on: parts[0], input: input, expectedVersion: Int(parts[1]), by: context.principal)
                rows.append(.init(caseID: record.id, number: CaseJSON.number(of: record, calendar: calendar), done: true, message: ""))
            } catch let error as DomainError {
                rows.append(.init(caseID: parts[0], number: String(parts[0]), done: false, message: CasePages.reason(error, t: t)))
            }
        }
        let key = site.notices.put(.bulk(action: action.rawValue, rows: rows), session: context.session.token)
        return PageRenderer.redirect(to: back + (back.contains("?") ? "&" : "?") + "notice=" + key)
    }
}
