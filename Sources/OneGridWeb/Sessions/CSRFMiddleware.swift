import Foundation
import Hummingbird
import OneGridApplication

/// Refuses a form that another site made the browser send.
///
/// Every browser gets a random form token in a cookie; every form the pages render carries it in
/// a hidden field, and a POST whose field does not match the cookie is refused (another site can
/// make the browser send the cookie, but cannot read it to fill in the field). A POST whose
/// Origin names another host is refused as well.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = PageRequestContext
    static let cookie = "og_form"
    static let field = "_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var issued: Cookie?
        if let token = request.cookies[Self.cookie]?.value, token.count == 64 {
            context.formToken = token
        } else {
            context.formToken = TokenAuthenticator.newToken()
            issued = Cookie(name: Self.cookie, value: context.formToken, path: "/", secure: context.secure, httpOnly: true, sameSite: .lax)
        }
        guard request.method == .post else {
            var response = try await next(request, context)
            if let issued { response.setCookie(issued) }
            return response
        }
        if let origin = request.headers[.origin], let host = request.head.authority,
            URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true
        {
            throw PageError.formRefused
        }
        var request = request
        let form = try await FormData(request: &request, context: context)
        guard let sent = form[Self.field], constantTimeEqual(sent, context.formToken) else { throw PageError.formRefused }
        return try await next(request, context)
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
