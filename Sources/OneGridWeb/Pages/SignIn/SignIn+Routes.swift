import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Signing in and out, and choosing which post to act as.
struct SignInPages {
    let site: PageSite
    /// The demo's one password, shown beside the demo's usernames.
    static let demoPassword = "onegrid-demo"

    func register(on pages: PageRouter) {
        pages.on(.signIn, use: showSignIn)
        pages.on(.signIn, method: .post, use: signIn)
        pages.on(.signOut, method: .post, use: signOut)
        pages.on(.posts, use: showPosts)
        pages.on(.posts, method: .post, use: choosePost)
    }

    @Sendable func showSignIn(_ request: Request, context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        if let principal = context.session?.principal {
            return PageRenderer.redirect(to: Self.safeNext(query.get("next")) ?? SiteURL.home(of: principal.post.role).path)
        }
        let t = site.renderer.translation(context.language)
        let error: String? =
            if let wait = query.get("wait").flatMap(Int.init) {
                t.text("signIn.throttled", ["minutes": "\(max(1, (wait + 59) / 60))"])
            } else if query.get("failed") != nil {
                t.text("signIn.failed")
            } else if query.get("ended") != nil {
                t.text("signIn.ended")
            } else {
                nil
            }
        let demo = site.renderer.demoAccounts
        let page = SignInPage(
            username: query.get("username") ?? "", next: Self.safeNext(query.get("next")) ?? "", error: error,
            demoUsers: demo.map { SignInPage.DemoUser(username: $0.username, post: $0.post) },
            demoPassword: demo.isEmpty ? nil : Self.demoPassword)
        let layout = Layout(title: t.text("signIn.title"), request: request, context: context, renderer: site.renderer)
        return site.renderer.render("signin", page, layout: layout)
    }

    @Sendable func signIn(_ request: Request, context: PageRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let username = form["username"] ?? ""
        let next = Self.safeNext(form["next"])
        let back = [("username", username), ("next", next ?? "")]
        let opened: Sessions.Opened
        do {
            opened = try await site.services.sessions.signIn(
                username: username, password: form["password"] ?? "", postID: nil, address: context.remoteAddress)
        } catch is SignInRefused {
            return PageRenderer.redirect(to: SiteURL.signIn.with(back + [("failed", "1")]))
        } catch let throttled as SignInThrottled {
            return PageRenderer.redirect(to: SiteURL.signIn.with(back + [("wait", "\(Int(throttled.retryAfter))")]))
        }
        let target = opened.posts.count > 1 ? SiteURL.posts.with([("next", next ?? "")]) : next ?? SiteURL.home(of: opened.principal.post.role).path
        var response = PageRenderer.redirect(to: target)
        response.setCookie(PageSessionMiddleware.sessionCookie(opened.token, secure: context.secure))
        return response
    }

    @Sendable func signOut(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await site.services.sessions.signOut(token: context.session.token)
        site.idle.forget(context.session.token)
        var response = PageRenderer.redirect(to: SiteURL.signIn.path)
        response.setCookie(PageSessionMiddleware.clearing(PageSessionMiddleware.sessionCookie, secure: context.page.secure))
        return response
    }

    @Sendable func showPosts(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let directory = site.services.directory
        let posts = try await site.services.people.posts(ofUser: context.principal.user.id)
        let page = PostsPage(
            next: Self.safeNext(request.uri.queryParameters.get("next")) ?? "",
            choices: posts.map { post in
                PostsPage.Choice(
                    id: post.id, role: t.text("role.\(post.role.rawValue)"),
                    place: Layout.postName(post, directory: directory, t: t).components(separatedBy: " · ").last ?? "",
                    current: post.id == context.principal.post.id)
            })
        let layout = Layout(title: t.text("posts.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("posts", page, layout: layout)
    }

    @Sendable func choosePost(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        guard let postID = form["post"].flatMap(Int64.init) else { return PageRenderer.redirect(to: SiteURL.posts.path) }
        let opened = try await site.services.sessions.switchPost(token: context.session.token, to: postID)
        site.idle.forget(context.session.token)
        var response = PageRenderer.redirect(to: Self.safeNext(form["next"]) ?? SiteURL.home(of: opened.principal.post.role).path)
        response.setCookie(PageSessionMiddleware.sessionCookie(opened.token, secure: context.page.secure))
        return response
    }

    /// A page of this site to return to: a local path only, so a link cannot send someone
    /// signing in off to another site.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.hasPrefix(SiteURL.signIn.path) else {
            return nil
        }
        return next
    }
}
