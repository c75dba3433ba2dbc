import Hummingbird
import OneGridDomain
import OneGridStore

/// The pages' routes, registered each from its `SiteURL` with the access rule written there: a
/// handler for a signed-in page receives a `SignedInPageContext`, so it cannot forget to check
/// who is asking.
struct PageRouter {
    let group: RouterGroup<PageRequestContext>

    func on(
        _ page: SiteURL, method: HTTPRequest.Method = .get,
        use handler: @escaping @Sendable (Request, PageRequestContext) async throws -> Response
    ) {
        precondition(page.access == .open, "\(page) needs a signed-in handler")
        group.on(RouterPath(page.path), method: method, use: handler)
    }

    func on(
        _ page: SiteURL, method: HTTPRequest.Method = .get,
        use handler: @escaping @Sendable (Request, SignedInPageContext) async throws -> Response
    ) {
        guard case .signedIn(let roles) = page.access else { preconditionFailure("\(page) is open: give it an open handler") }
        group.group(context: SignedInPageContext.self)
            .add(middleware: PageRolesMiddleware(roles: roles))
            .on(RouterPath(page.path), method: method, use: handler)
    }
}

/// Refuses a post whose role the page does not serve, before the handler runs.
struct PageRolesMiddleware: RouterMiddleware {
    typealias Context = SignedInPageContext
    let roles: Set<Role>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard roles.contains(context.principal.post.role) else { throw PageError.forbidden }
        return try await next(request, context)
    }
}
