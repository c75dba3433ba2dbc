import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Reporting a problem without an account: the form, and its post through the portal's use case.
struct CitizenReportPages {
    let site: PageSite
    /// The device cookie: one random value per browser, so one phone's reports can be counted
    /// and, after abuse, refused.
    static let deviceCookie = "og_device"

    func register(on pages: PageRouter) {
        pages.on(.citizenReport, use: show)
        pages.on(.citizenReport, method: .post, use: submit)
    }

    @Sendable func show(_ request: Request, context: PageRequestContext) async throws -> Response {
        let services = site.services
        do {
            try await services.citizenPortal.checkSource(Self.source(request, context: context), at: services.clock.now)
        } catch let limited as CitizenPortal.Limited {
            return try await refuse(limited, request: request, context: context)
        }
        var page = try await blank(context.language)
        var response = render(&page, request: request, context: context)
        if request.cookies[Self.deviceCookie] == nil { response.setCookie(Self.newDevice(secure: context.secure)) }
        return response
    }

    /// Where a report comes from. Without the cookie, the address stands in as the device: a
    /// client that drops cookies shares one small allowance with everyone behind its address.
    static func source(_ request: Request, context: PageRequestContext) -> CitizenPortal.Source {
        let address = context.remoteAddress ?? "unknown"
        return CitizenPortal.Source(address: address, device: request.cookies[deviceCookie]?.value ?? "address:\(address)")
    }

    /// The form's place taken by why this source may not report now, answered 429 with the wait.
    private func refuse(_ limited: CitizenPortal.Limited, request: Request, context: PageRequestContext) async throws -> Response {
        let t = site.renderer.translation(context.language)
        var page = try await blank(context.language)
        let minutes = max(1, Int((limited.retryAfter / 60).rounded(.up)))
        page.limited = limited.blocked ? t.text("citizen.report.blocked") : t.text("citizen.report.tooMany", ["minutes": "\(minutes)"])
        var response = render(&page, request: request, context: context, status: .tooManyRequests)
        response.headers[.retryAfter] = String(Int(limited.retryAfter))
        return response
    }

    @Sendable func submit(_ request: Request, context: PageRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let t = site.renderer.translation(context.language)
        let portal = site.services.citizenPortal
        let lat = form["lat"].flatMap(Double.init), lng = form["lng"].flatMap(Double.init)
        let report = CitizenPortal.Report(
            description: form["description"] ?? "", categoryCode: form["category"], location: lat.flatMap { lat in lng.map { GeoPoint(lat: lat, lng: $0) } },
            address: form["address"], villageID: form["village"].flatMap(Int64.init), name: form["name"], phone: form["phone"],
            anonymous: form["anonymous"] != nil, photos: form.files.filter { $0.field == "photos" }.map { ($0.name, $0.bytes) },
            challenge: form["challenge"] ?? "", answer: form["answer"] ?? "")
        do {
            let made = try await portal.report(report, from: Self.source(request, context: context), attachments: site.attachments)
            return PageRenderer.redirect(to: SiteURL.follow(made.token).with([("new", "1")]))
        } catch let limited as CitizenPortal.Limited {
            return try await refuse(limited, request: request, context: context)
        } catch let error as DomainError {
            var page = try await blank(context.language, chosen: form)
            page.errors = Self.errors(for: error, t: t)
            page.hasErrors = true
            return render(&page, request: request, context: context, status: .unprocessableContent)
        }
    }

    /// The form with a fresh sum, filled in again from `chosen` after a refusal.
    private func blank(_ language: Language, chosen form: FormData? = nil) async throws -> CitizenReportPage {
        let services = site.services
        let portal = services.citizenPortal
        let directory = services.directory
        let t = site.renderer.translation(language)
        let challenge = try await portal.challenge()
        let category = form?["category"], village = form?["village"]
        let roots = Dictionary(grouping: portal.categories) { $0.parentID ?? 0 }
        let categories = roots.keys.sorted().map { root in
            CitizenReportPage.Group(
                label: directory.categories[root]?.name ?? "",
                choices: roots[root, default: []].map { .init(value: $0.code, label: $0.name, selected: $0.code == category) })
        }
        let towns = directory.areas.values.filter { $0.level == .town && $0.retiredAt == nil }.sorted { $0.code < $1.code }
        let villages = towns.map { town in
            CitizenReportPage.Group(
                label: town.name,
                choices: directory.children(of: town.id).filter { $0.level == .village && $0.retiredAt == nil }.sorted { $0.code < $1.code }
                    .map { .init(value: String($0.id), label: $0.name, selected: String($0.id) == village) })
        }
        return CitizenReportPage(
            description: form?["description"] ?? "", categories: categories, villages: villages, lat: form?["lat"] ?? "",
            lng: form?["lng"] ?? "", address: form?["address"] ?? "", name: form?["name"] ?? "", phone: form?["phone"] ?? "",
            anonymous: form.map { $0["anonymous"] != nil } ?? true,
            question: t.text("citizen.report.sum", ["a": "\(challenge.question.0)", "b": "\(challenge.question.1)"]),
            challenge: challenge.token, maxDescription: portal.limits.descriptionLength, maxPhotos: portal.limits.photos)
    }

    private func render(
        _ page: inout CitizenReportPage, request: Request, context: PageRequestContext, status: HTTPResponse.Status = .ok
    ) -> Response {
        let t = site.renderer.translation(context.language)
        var layout = Layout.citizen(title: t.text("citizen.report.title"), request: request, context: context, renderer: site.renderer)
        // The grid worker's photo shrinking: a camera's 4 MB photo goes up as at most 500 KB.
        layout.pageScripts = [site.renderer.assets.url("field/photo.js")]
        return site.renderer.render("citizen-report", page, layout: layout, status: status)
    }

    /// A refusal beside the field it concerns, in the portal's plain words.
    static func errors(for error: DomainError, t: Translation) -> CitizenReportPage.Errors {
        var errors = CitizenReportPage.Errors()
        switch error.field {
        case "description": errors.description = t.text("citizen.error.description")
        case "category", "categoryID": errors.category = t.text("citizen.error.category")
        case "photos": errors.photos = t.text("citizen.error.photos")
        case "location", "gridID", "address": errors.location = t.text("citizen.error.location")
        case "phone": errors.phone = t.text("citizen.error.phone")
        case "name": errors.name = t.text("citizen.error.name")
        case "answer": errors.answer = t.text("citizen.error.answer")
        default: errors.general = t.text("citizen.error.general")
        }
        return errors
    }

    static func newDevice(secure: Bool) -> Cookie {
        Cookie(
            name: deviceCookie, value: TokenAuthenticator.newToken(), maxAge: 365 * 86400, path: "/", secure: secure, httpOnly: true,
            sameSite: .lax)
    }
}
