import Hummingbird
import OneGridDomain
import OneGridStore

/// The pages other parts of the platform fill in (the command room's wall): the top bar and nav already lead to them, and they say what is coming.
struct PlaceholderPage {
    var heading: String
    var message: String
    var queueURL = SiteURL.queue.path
    var showQueueLink: Bool
}

struct PlaceholderPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        for (page, key) in [(SiteURL.commandRoom, "commandRoom")] {
            pages.on(page) { (request, context: SignedInPageContext) in
                let t = site.renderer.translation(context.page.language)
                let model = PlaceholderPage(
                    heading: t.text("nav.\(key)"), message: t.text("placeholder.\(key)"),
                    showQueueLink: SiteURL.queue.access.allows(context.principal.post.role))
                let layout = Layout(title: model.heading, request: request, context: context.page, renderer: site.renderer)
                return site.renderer.render("placeholder", model, layout: layout)
            }
        }
    }
}

extension RouteAccess {
    func allows(_ role: Role) -> Bool {
        switch self {
        case .open: true
        case .signedIn(let roles): roles.contains(role)
        }
    }
}
