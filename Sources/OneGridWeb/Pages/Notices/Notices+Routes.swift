import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The notice pages: the list of received and sent notices, one notice with its answer form or
/// its receipts, and the publishing form. Every rule is `NoticeBoard`'s and the domain's.
struct NoticePages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.notices, use: list)
        pages.on(.noticeNew, use: new)
        pages.on(.noticeNew, method: .post, use: publish)
        pages.on(.notice(.key), use: show)
        pages.on(.noticeAnswer(.key), method: .post, use: answer)
    }

    /// An answer due within this long shows yellow, as a clock near its limit does.
    static let nearDue: TimeInterval = 86_400

    @Sendable func list(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let board = site.services.noticeBoard
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let inbox = try await board.received(by: context.principal)
        let model = NoticeListPage(
            received: inbox.notices.map { notice, receipt in
                .init(
                    href: SiteURL.notice(.value(notice.id)).path, title: notice.title, from: areaName(notice.fromAreaID),
                    published: formats.dateTime(notice.publishedAt), unread: receipt.readAt == nil,
                    state: state(of: receipt, on: notice, t: t, formats: formats))
            },
            unread: inbox.unread,
            sent: try await board.sent(by: context.principal).map { summary($0.notice, $0.tally, t: t, formats: formats) },
            publishes: NoticeBoard.publishes(context.principal.post))
        let layout = Layout(title: t.text("notices.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("notices", model, layout: layout)
    }

    func summary(_ notice: Notice, _ tally: NoticeTally, t: Translation, formats: PageFormats) -> NoticeListPage.Sent {
        NoticeListPage.Sent(
            href: SiteURL.notice(.value(notice.id)).path, title: notice.title, audience: audience(notice, t: t),
            published: formats.dateTime(notice.publishedAt), asked: asked(notice, t: t, formats: formats) ?? t.text("notices.response.none"),
            read: .init(tally.read, of: tally.recipients),
            answered: notice.response == .none ? nil : .init(tally.answered, of: tally.recipients), late: tally.late == 0 ? nil : tally.late)
    }

    func areaName(_ id: Int64) -> String { site.services.directory.areas[id]?.name ?? "" }

    func audience(_ notice: Notice, t: Translation) -> String {
        notice.audienceAreaIDs == [notice.fromAreaID]
            ? t.text("notices.allBelow", ["area": areaName(notice.fromAreaID)]) : notice.audienceAreaIDs.map(areaName).joined(separator: "、")
    }

    /// "需回复 · 截止 2026-12-05 17:00", or nil when the notice asks for nothing.
    func asked(_ notice: Notice, t: Translation, formats: PageFormats) -> String? {
        guard notice.response != .none, let due = notice.dueAt else { return nil }
        return t.text("notices.asked", ["what": t.text("notices.response.\(notice.response.rawValue)"), "due": formats.dateTime(due)])
    }

    /// A receipt's answer as a clock: done in time, late, missing past the date, or still due.
    func state(of receipt: NoticeReceipt, on notice: Notice, t: Translation, formats: PageFormats) -> ClockBadge? {
        guard notice.response != .none, let due = notice.dueAt else { return nil }
        let what = notice.response.rawValue
        if let answered = receipt.answeredAt {
            return answered > due
                ? ClockBadge(state: "yellow", label: t.text("notices.state.late.\(what)"), detail: formats.dateTime(answered))
                : ClockBadge(state: "done", label: t.text("notices.state.done.\(what)"), detail: formats.dateTime(answered))
        }
        let left = due.timeIntervalSince(formats.now)
        let colour = left < 0 ? "red" : left < Self.nearDue ? "yellow" : "green"
        return ClockBadge(
            state: colour, label: t.text(left < 0 ? "notices.state.missed.\(what)" : "notices.state.due.\(what)"),
            detail: formats.timeLeft(until: due))
    }

    // MARK: One notice

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await render(request, context: context, typedReply: "", replyError: nil)
    }

    func render(_ request: Request, context: SignedInPageContext, typedReply: String, replyError: String?) async throws -> Response {
        let id = try PetitionPages.caseID(context)
        let view = try await site.services.noticeBoard.open(id, by: context.principal)
        let notice = view.notice
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let receipt = view.receipt
        let model = NoticePage(
            title: notice.title, body: notice.body, from: areaName(notice.fromAreaID), published: formats.dateTime(notice.publishedAt),
            audience: audience(notice, t: t), asked: asked(notice, t: t, formats: formats), due: notice.dueAt.map(formats.dateTime),
            state: receipt.flatMap { state(of: $0, on: notice, t: t, formats: formats) }, ownReply: receipt?.reply,
            answerURL: receipt.flatMap { $0.answeredAt == nil && notice.response != .none ? SiteURL.noticeAnswer(.value(id)).path : nil },
            asksReply: notice.response == .reply, reply: typedReply, replyError: replyError,
            tally: view.tracking.map { summary(notice, $0.tally, t: t, formats: formats) },
            areas: view.tracking.map { byArea(notice, $0.receipts, t: t, formats: formats) } ?? [],
            receipts: (view.tracking.map { tracking in
                tracking.receipts.map { receipt in
                    NoticePage.Receipt(
                        area: areaName(receipt.areaID), name: tracking.users[receipt.userID]?.displayName ?? "",
                        role: t.text("role.\(receipt.role.rawValue)"), read: receipt.readAt.map(formats.dateTime) ?? t.text("notices.unread"),
                        answered: receipt.answeredAt.map(formats.dateTime) ?? "", reply: receipt.reply ?? "",
                        state: state(of: receipt, on: notice, t: t, formats: formats))
                }
            }) ?? [])
        let layout = Layout(title: notice.title, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("notice", model, layout: layout, status: replyError == nil ? .ok : .unprocessableContent)
    }

    /// The receipts' tallies per area one level below the sender, the sender's own area first.
    func byArea(_ notice: Notice, _ receipts: [NoticeReceipt], t: Translation, formats: PageFormats) -> [NoticeListPage.Sent] {
        let directory = site.services.directory
        let groups = Dictionary(grouping: receipts) { receipt in
            directory.lineage(of: receipt.areaID).first { $0.parentID == notice.fromAreaID }?.id ?? notice.fromAreaID
        }
        func order(_ areaID: Int64) -> String { areaID == notice.fromAreaID ? "" : directory.areas[areaID]?.code ?? "" }
        return groups.sorted { order($0.key) < order($1.key) }
            .map { areaID, receipts in
                var row = summary(notice, NoticeTally(receipts, of: notice, at: formats.now), t: t, formats: formats)
                row.title = areaName(areaID)
                return row
            }
    }

    @Sendable func answer(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let id = try PetitionPages.caseID(context)
        let form = try await FormData(request: &request, context: context)
        do {
            _ = try await site.services.noticeBoard.answer(id, reply: form["reply"], by: context.principal)
            return PageRenderer.redirect(to: SiteURL.notice(.value(id)).path)
        } catch let error as DomainError where error.field == "reply" {
            let t = site.renderer.translation(context.page.language)
            return try await render(request, context: context, typedReply: form["reply"] ?? "", replyError: t.text("notices.error.reply"))
        }
    }

    // MARK: Publishing

    @Sendable func new(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await renderForm(request, context: context, typed: FormData(""), errors: [:])
    }

    func renderForm(_ request: Request, context: SignedInPageContext, typed: FormData, errors: [String: String]) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let post = context.principal.post
        let chosen = Set(typed.all("areas"))
        let model = NoticeFormPage(
            from: areaName(post.areaID), title: typed["title"] ?? "", body: typed["body"] ?? "",
            areas: site.services.directory.children(of: post.areaID).filter { $0.retiredAt == nil }.map {
                .init(value: String($0.id), label: $0.name, selected: chosen.contains(String($0.id)))
            },
            responses: NoticeResponse.allCases.map {
                .init(value: $0.rawValue, label: t.text("notices.response.\($0.rawValue)"), selected: $0.rawValue == (typed["response"] ?? "none"))
            },
            due: typed["due"] ?? "", errors: errors, hasErrors: !errors.isEmpty)
        let layout = Layout(title: t.text("notices.new.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("notice-new", model, layout: layout, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func publish(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            let response = NoticeResponse(rawValue: form["response"] ?? "none") ?? NoticeResponse.none
            let due = try (form["due"]).flatMap { $0.isEmpty ? nil : $0 }.map { text throws(DomainError) -> Date in
                guard let date = endOfDay(text) else { throw DomainError.invalid(field: "dueAt", "a date as 2026-12-05") }
                return date
            }
            let draft = NoticeDraft(
                title: form["title"] ?? "", body: form["body"] ?? "", audienceAreaIDs: form.all("areas").compactMap { Int64($0) },
                response: response, dueAt: due)
            let published = try await site.services.noticeBoard.publish(draft, by: context.principal)
            return PageRenderer.redirect(to: SiteURL.notice(.value(published.notice.id)).path)
        } catch let error as DomainError where error.code == .invalid {
            let t = site.renderer.translation(context.page.language)
            let field = error.field == "audienceAreaIDs" ? "areas" : error.field == "dueAt" ? "due" : error.field ?? "title"
            return try await renderForm(request, context: context, typed: form, errors: [field: t.text("notices.error.\(field)")])
        }
    }

    /// The end of a day "2026-12-05" in the city's time zone: an answer due that day may come
    /// until its evening.
    func endOfDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = site.services.calendar.timeZone
        guard let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            calendar.component(.day, from: day) == parts[2]
        else { return nil }
        return day.addingTimeInterval(86_400 - 1)
    }
}
