import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The centres' pages, served beside the API on the same port: a route group of their own with
/// the session cookie, the form token, HTML error pages and the roles of each page.
struct PageSite {
    /// A page session left alone this long ends: desks in a command room are shared.
    static let idleLimit: TimeInterval = 30 * 60

    let renderer: PageRenderer
    let attachments: AttachmentStore
    let idle = IdleSessions(limit: idleLimit)
    let notices = Notices()
    var services: OneGridServices { renderer.services }

    func register(on router: Router<OneGridRequestContext>) {
        let assets = renderer.assets
        // `**`: an asset may sit in a folder, as the phone pages' `field/photo.js`.
        router.on(RouterPath(SiteURL.asset("**").path), method: .get) { _, context in
            try assets.response(context.parameters.getCatchAll().joined(separator: "/"))
        }
        let pages = PageRouter(
            group: router.group().group(context: PageRequestContext.self)
                .add(middleware: PageSessionMiddleware(services: services, idle: idle))
                .add(middleware: CSRFMiddleware()))
        pages.on(.home) { (_, context: SignedInPageContext) in PageRenderer.redirect(to: SiteURL.home(of: context.principal.post.role).path) }
        SignInPages(site: self).register(on: pages)
        QueuePages(site: self).register(on: pages)
        CasePages(site: self).register(on: pages)
        IntakePages(site: self).register(on: pages)
        ReceiptPages(site: self).register(on: pages)
        AttachmentPages(site: self).register(on: pages)
        CommandRoomPages(site: self).register(on: pages)
        LivePages(site: self).register(on: pages)
        AdminPages(site: self).register(on: pages)
        AdminAreaPages(site: self).register(on: pages)
        AdminDepartmentPages(site: self).register(on: pages)
        AdminCategoryPages(site: self).register(on: pages)
        AdminDeadlinePages(site: self).register(on: pages)
        AdminWebhookPages(site: self).register(on: pages)
        AdminMediationPages(site: self).register(on: pages)
        PetitionPages(site: self).register(on: pages)
        MediationPages(site: self).register(on: pages)
        NoticePages(site: self).register(on: pages)
        PointsPages(site: self).register(on: pages)
        FieldPages(site: self).register(on: pages)
        ResidentPages(site: self).register(on: pages)
        FieldVisitPages(site: self).register(on: pages)
        FieldScreeningPages(site: self).register(on: pages)
        CitizenReportPages(site: self).register(on: pages)
        CitizenFollowPages(site: self).register(on: pages)
        CitizenReportsPages(site: self).register(on: pages)
        RiskPages(site: self).register(on: pages)
        AdminRiskPages(site: self).register(on: pages)
        ScreeningPages(site: self).register(on: pages)
        AssessmentPages(site: self).register(on: pages)
    }

    /// The strings and time formats of the reader's language.
    func formats(_ language: Language) -> PageFormats {
        PageFormats(t: renderer.translation(language), calendar: services.calendar, now: services.clock.now)
    }
}
