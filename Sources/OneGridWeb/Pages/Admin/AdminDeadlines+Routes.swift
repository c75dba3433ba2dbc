import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// The administrator's page of the deadline settings: the yellow share and the working
/// calendar, through the same use cases as `PUT /api/v1/deadline-settings` and `/api/v1/calendar`.
struct AdminDeadlinePages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.adminDeadlines, use: showDeadlines)
        pages.on(.adminDeadlines, method: .post, use: changeDeadlines)
    }

    @Sendable func showDeadlines(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await deadlinesPage(request, context: context, form: nil, refused: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func changeDeadlines(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let settings = site.services.deadlineSettings
        let t = site.renderer.translation(context.page.language)
        do {
            switch form["action"] {
            case "yellowShare":
                // Typed as a percentage; a share the use case refuses names its range.
                let share = form["yellowShare"].flatMap(Double.init).map { $0 / 100 } ?? -1
                try await settings.setYellowShare(share, by: context.principal)
                return site.redirect(to: .adminDeadlines, context: context, message: t.text("admin.deadlines.yellowShareSaved"))
            case "calendar":
                let calendar = try await settings.replaceCalendar(with: form["calendar"] ?? "", by: context.principal)
                return site.redirect(
                    to: .adminDeadlines, context: context,
                    message: t.text(
                        "admin.deadlines.calendarSaved", ["holidays": String(calendar.holidays.count), "workdays": String(calendar.swappedWorkdays.count)]))
            default:
                throw PageError.notFound
            }
        } catch let error as DomainError where error.code == .invalid {
            return try await deadlinesPage(request, context: context, form: form, refused: error, message: nil)
        }
    }

    private func deadlinesPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refused: DomainError?, message: String?
    ) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let planner = site.services.planner
        let shares = DeadlinePlanner.yellowShares
        let action = form?["action"]
        let page = AdminDeadlinesPage(
            yellowShare: AdminField(
                value: action == "yellowShare" ? form?["yellowShare"] ?? "" : String(Int((planner.yellowShare * 100).rounded())),
                error: action == "yellowShare" && refused != nil
                    ? t.text("admin.deadlines.yellowShareRange", ["min": String(Int(shares.lowerBound * 100)), "max": String(Int(shares.upperBound * 100))])
                    : nil),
            calendar: AdminField(
                value: action == "calendar" ? form?["calendar"] ?? "" : try await site.services.deadlineSettings.calendarFile(),
                // The parser names the line and says what it expected there.
                error: action == "calendar" ? refused.map { t.text("admin.deadlines.calendarError", ["detail": $0.message]) } : nil),
            holidays: planner.calendar.holidays.count, workdays: planner.calendar.swappedWorkdays.count, message: message)
        let layout = Layout(title: t.text("admin.deadlines.heading"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-deadlines", page, layout: layout, status: refused == nil ? .ok : .unprocessableContent)
    }
}
