import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// What every page shows around its content: the city, who is signed in as which post, the
/// pages this post works on, the language switch and the form token.
struct Layout {
    struct NavItem {
        var label: String
        var href: String
        var current: Bool
    }

    var language: Language
    /// The `lang` attribute of the page.
    var lang: String
    var title: String
    var city: String
    var userName: String?
    var postName: String?
    var nav: [NavItem] = []
    var formToken: String
    var csrfField = CSRFMiddleware.field
    var signOutURL = SiteURL.signOut.path
    var postsURL = SiteURL.posts.path
    var homeURL = SiteURL.home.path
    /// The language switch: this page in the other language.
    var otherLanguageURL: String
    var otherLanguageName: String
    var stylesheet: String
    /// A page's own styles beside the shared ones (the command room's wall).
    var pageStylesheet: String?
    var script: String
    /// A page's own scripts, loaded before the shared one (the citizen's report: photo shrinking).
    var pageScripts: [String] = []
    var iconSprite: String
    /// The dark theme of the command room's wall display.
    var wall = false
    /// The citizen's portal: a phone's layout, its own two sections, no one signed in.
    var citizen = false
    /// Whether the top bar lists sections (a stored field: the templates see no computed ones).
    var hasNav = false

    /// The pages a role works on, in the order they appear in the top bar; the role's home first.
    static let sections: [SiteURL] = [
        .queue, .commandRoom, .risk, .intake, .petitionDesk, .mediationDesk, .screening, .notices, .points, .residents, .administration, .assessment,
    ]

    /// The layout of a page for the request it answers.
    init(title: String, request: Request, context: PageRequestContext, renderer: PageRenderer) {
        self.init(
            title: title, path: request.uri.path, query: request.uri.query, language: context.language, formToken: context.formToken,
            principal: context.session?.principal, renderer: renderer)
    }

    init(
        title: String, path: String, query: String?, language: Language, formToken: String, principal: Principal?,
        renderer: PageRenderer
    ) {
        let t = renderer.translation(language)
        let directory = renderer.services.directory
        self.language = language
        lang = language.code
        self.title = title
        city = directory.areas.values.first { $0.level == .city }?.name ?? t.text("app.name")
        self.formToken = formToken
        var items = URLComponents(string: "?" + (query ?? ""))?.queryItems?.filter { $0.name != "lang" } ?? []
        items.append(URLQueryItem(name: "lang", value: language.other.code))
        var components = URLComponents()
        components.queryItems = items
        otherLanguageURL = path + "?" + (components.percentEncodedQuery ?? "")
        otherLanguageName = t.text("language.\(language.other.code)")
        stylesheet = renderer.assets.url("onegrid.css")
        script = renderer.assets.url("onegrid.js")
        iconSprite = renderer.assets.url("icons.svg")
        guard let principal else { return }
        userName = principal.user.displayName
        postName = Self.postName(principal.post, directory: directory, t: t)
        let role = principal.post.role
        let home = SiteURL.home(of: role)
        nav = ([home] + Self.sections.filter { $0 != home }).compactMap { section in
            guard section.access.allows(role) else { return nil }
            let label = section == .queue && role == .departmentHandler ? t.text("nav.departmentQueue") : t.text(section.navKey)
            return NavItem(label: label, href: section.path, current: path.hasPrefix(section.path))
        }
        hasNav = !nav.isEmpty
    }

    /// The layout of a page of the citizen's portal: its sections instead of a post's, its home
    /// the city's reports.
    static func citizen(title: String, request: Request, context: PageRequestContext, renderer: PageRenderer) -> Layout {
        var layout = Layout(
            title: title, path: request.uri.path, query: request.uri.query, language: context.language, formToken: context.formToken,
            principal: nil, renderer: renderer)
        let t = renderer.translation(context.language)
        layout.citizen = true
        layout.homeURL = SiteURL.citizenReports.path
        layout.nav = [(SiteURL.citizenReport, "citizen.nav.report"), (SiteURL.citizenReports, "citizen.nav.reports")].map {
            NavItem(label: t.text($0.1), href: $0.0.path, current: request.uri.path == $0.0.path)
        }
        layout.hasNav = true
        return layout
    }

    /// "调度员 · 城关镇" or "部门处置人员 · 城关镇市场监管所".
    static func postName(_ post: Post, directory: Directory, t: Translation) -> String {
        let place = post.departmentID.flatMap { directory.departments[$0]?.name } ?? directory.areas[post.areaID]?.name ?? ""
        return t.text("role.\(post.role.rawValue)") + " · " + place
    }
}

extension SiteURL {
    var navKey: String {
        switch self {
        case .queue: "nav.queue"
        case .commandRoom: "nav.commandRoom"
        case .intake: "nav.intake"
        case .administration: "nav.administration"
        case .petitionDesk: "petitions.nav"
        case .mediationDesk: "nav.mediation"
        case .notices: "nav.notices"
        case .points: "nav.points"
        case .field: "nav.field"
        case .residents: "nav.residents"
        case .assessment: "nav.assessment"
        case .risk: "nav.risk"
        case .screening: "nav.screening"
        default: "nav.home"
        }
    }
}
