import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The receipt of a registered request, for any post that may see its case; the reporter's
/// phone and ID number are printed masked.
struct ReceiptPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.receipt(.key), use: show)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw PageError.notFound }
        let services = site.services
        let record = try await services.reading.visibleCase(id, to: context.principal.post)
        let language = context.page.language
        let t = site.renderer.translation(language)
        let formats = site.formats(language)
        let directory = services.directory
        let file = record.file
        let number = CaseJSON.number(of: record, calendar: services.calendar)
        let place = AdminLevel.allCases.dropFirst().compactMap { directory.areas[file.areas[$0]]?.name }.joined(separator: " › ")
        let person = [
            record.reporter.name ?? t.text("case.anonymous"),
            record.reporter.phone.map(PersonalData.maskPhone),
            record.reporter.idNumber.map(PersonalData.maskIDNumber),
        ].compactMap { $0 }.joined(separator: "　")
        let lines: [ReceiptPage.Line] = [
            .init(label: t.text("receipt.person"), value: person),
            .init(label: t.text("receipt.matter"), value: record.title),
            .init(label: t.text("case.category"), value: directory.categories[file.categoryID]?.name ?? ""),
            .init(label: t.text("case.place"), value: [place, record.address ?? ""].filter { !$0.isEmpty }.joined(separator: "　")),
            .init(label: t.text("receipt.received"), value: formats.dateTime(record.createdAt)),
            .init(label: t.text("case.status"), value: t.text("status.\(file.status.rawValue)")),
        ].filter { !$0.value.isEmpty }
        let (outcomeLabel, outcome): (String, String) =
            // A case solved at the window waits only for its rating: it has no deadline to print.
            if file.status.isOpen, file.handledAt == nil {
                (t.text("receipt.deadline"), t.text("receipt.deadlineText", ["at": formats.dateTime(file.clock?.dueAt ?? record.dueAt)]))
            } else if let route = file.legalRoute {
                (t.text("case.legalRoute"), t.text("legalRoute.\(route.rawValue)"))
            } else {
                (t.text("receipt.outcome"), t.text("status.\(file.status.rawValue)"))
            }
        let model = ReceiptPage(
            city: directory.areas.values.first { $0.level == .city }?.name ?? t.text("app.name"), number: number,
            date: Self.documentDate(record.createdAt, timeZone: services.calendar.timeZone, t: t), lines: lines, description: record.description.isEmpty ? nil : record.description, outcomeLabel: outcomeLabel,
            outcome: outcome, follow: t.text("receipt.followText", ["number": number]),
            window: directory.areas[context.principal.post.areaID]?.name ?? "", clerk: context.principal.user.displayName,
            caseURL: SiteURL.caseDetail(.value(id)).path)
        let layout = Layout(title: t.text("receipt.title", ["number": number]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("receipt", model, layout: layout)
    }

    /// A date as a document writes it: 2026年11月29日.
    private static func documentDate(_ date: Date, timeZone: TimeZone, t: Translation) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return t.text("receipt.date", ["year": "\(parts.year ?? 0)", "month": "\(parts.month ?? 0)", "day": "\(parts.day ?? 0)"])
    }
}
