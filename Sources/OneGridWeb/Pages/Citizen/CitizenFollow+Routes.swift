import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The private follow link: the public timeline, the rating and the request to look again. A
/// token that names no case answers the not-found page, the same as any unknown address.
struct CitizenFollowPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.follow(":token"), use: show)
        pages.on(.followRating(":token"), method: .post, use: rate)
        pages.on(.followLookAgain(":token"), method: .post, use: lookAgain)
    }

    @Sendable func show(_ request: Request, context: PageRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let followed = try await site.services.citizenPortal.follow(token) else { throw PageError.notFound }
        let query = request.uri.queryParameters
        let t = site.renderer.translation(context.language)
        let formats = site.formats(context.language)
        let lastStep = followed.steps.count - 1
        let page = CitizenFollowPage(
            number: followed.number, category: followed.category, place: followed.place,
            status: t.text("citizen.status.\(followed.status.rawValue)"), reportedAt: formats.dateTime(followed.reportedAt),
            steps: followed.steps.enumerated().reversed().map { index, step in
                CitizenFollowPage.Step(
                    text: t.text("citizen.step.\(step.kind.rawValue)", ["rating": step.rating.map { t.text("rating.\($0.rawValue)") } ?? ""]),
                    at: formats.dateTime(step.at), current: index == lastStep)
            },
            messages: followed.messages.reversed().map {
                CitizenFollowPage.Message(text: t.text("citizen.message.\($0.kind.rawValue)"), at: formats.dateTime($0.at))
            },
            hasMessages: !followed.messages.isEmpty, isNew: query.get("new") != nil,
            thanks: t.text("citizen.follow.thanks", ["number": followed.number]),
            link: (request.head.authority.map { (context.secure ? "https://" : "http://") + $0 } ?? "") + SiteURL.follow(token).path, rating: followed.rating.map { t.text("rating.\($0.rawValue)") },
            ratingText: followed.rating.map { t.text("citizen.follow.rated", ["rating": t.text("rating.\($0.rawValue)")]) }, mayRate: followed.mayRate,
            ratings: Rating.allCases.map { .init(value: $0.rawValue, label: t.text("rating.\($0.rawValue)")) },
            rateURL: SiteURL.followRating(token).path, mayLookAgain: followed.mayLookAgain && !followed.mayRate,
            lookAgainURL: SiteURL.followLookAgain(token).path, lookAgainAt: followed.lookAgainAt.map(formats.dateTime),
            lookAgainText: followed.lookAgainAt.map { t.text("citizen.follow.lookAgainAt", ["at": formats.dateTime($0)]) },
            done: query.get("done").map { t.text("citizen.follow.done.\($0 == "rated" ? "rated" : "lookAgain")") },
            refused: query.get("refused") != nil ? t.text("citizen.follow.refused") : nil)
        let layout = Layout.citizen(title: t.text("citizen.follow.title", ["number": followed.number]), request: request, context: context, renderer: site.renderer)
        var response = site.renderer.render("citizen-follow", page, layout: layout)
        // The link is the key to the case: no other site learns it from a Referer. Not
        // "no-referrer": the browser would then send the page's own forms with Origin "null".
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }

    @Sendable func rate(_ request: Request, context: PageRequestContext) async throws -> Response {
        try await act(request, context: context, done: "rated") { token, form in
            guard let rating = form["rating"].flatMap(Rating.init(rawValue:)) else {
                throw DomainError.invalid(field: "rating", "choose one of: \(Rating.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await site.services.citizenPortal.rate(token, rating: rating)
        }
    }

    @Sendable func lookAgain(_ request: Request, context: PageRequestContext) async throws -> Response {
        try await act(request, context: context, done: "lookAgain") { token, form in
            try await site.services.citizenPortal.lookAgain(token, note: form["note"])
        }
    }

    /// Runs a follow link's form and goes back to its page, saying what happened; an unknown
    /// token is not found, as on the page itself.
    private func act(
        _ request: Request, context: PageRequestContext, done: String, _ body: (String, FormData) async throws -> Void
    ) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            try await body(token, form)
        } catch let error as DomainError where error.field == "token" {
            throw PageError.notFound
        } catch is DomainError {
            return PageRenderer.redirect(to: SiteURL.follow(token).with([("refused", "1")]))
        }
        return PageRenderer.redirect(to: SiteURL.follow(token).with([("done", done)]))
    }
}
