import Hummingbird
import HummingbirdAuth
import OneGridApplication
import OneGridStore

/// Reads a bearer token on the API's routes; the principal it finds is checked by each route's
/// access rule (`RouteAccessMiddleware`).
struct TokenAuthenticatorMiddleware: AuthenticatorMiddleware {
    typealias Context = OneGridRequestContext
    let authenticator: TokenAuthenticator

    func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let bearer = request.headers.bearer else { return nil }
        return try await authenticator.principal(for: bearer.token)
    }
}
