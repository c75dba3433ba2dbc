import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridStore
import Synchronization

/// Reads who is asking from the session cookie, and which language they read, for every page.
///
/// The cookie holds a token from `Sessions.signIn`, the same store the API's bearer tokens live
/// in, so signing out anywhere ends it everywhere. A session also ends after `idleLimit` without
/// a request: a desk left signed in at lunch is not left open all afternoon.
struct PageSessionMiddleware: RouterMiddleware {
    typealias Context = PageRequestContext
    static let sessionCookie = "og_session"
    static let languageCookie = "og_lang"
    /// Set by a TLS-terminating proxy in front of the server.
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    let services: OneGridServices
    let idle: IdleSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // Set on whatever response the page gives.
        var cookies: [Cookie] = []
        context.secure = request.uri.scheme?.rawValue == "https" || request.headers[Self.forwardedProto]?.lowercased() == "https"
        if let asked = request.uri.queryParameters.get("lang").flatMap(Language.init(code:)) {
            context.language = asked
            cookies.append(longCookie(Self.languageCookie, asked.code, secure: context.secure))
        } else if let chosen = request.cookies[Self.languageCookie].flatMap({ Language(code: $0.value) }) {
            context.language = chosen
        }
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty {
            let active = idle.touch(token, at: services.clock.now)
            if !active { try await services.sessions.signOut(token: token) }
            if active, let principal = try await services.authenticator.principal(for: token) {
                context.session = PageSession(token: token, principal: principal)
            } else {
                // Idle too long, expired, or signed out elsewhere: the browser forgets it too.
                cookies.append(Self.clearing(Self.sessionCookie, secure: context.secure))
            }
        }
        var response = try await next(request, context)
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// The session cookie: HttpOnly so no script reads it, SameSite=Lax so another site's form
    /// does not carry it, Secure when the browser came over TLS.
    static func sessionCookie(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: sessionCookie, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func clearing(_ name: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    private func longCookie(_ name: String, _ value: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: 365 * 86400, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// When each page session was last used. Kept in the process: a session idle on one instance
/// for longer than the limit ends there; the token's own expiry ends it everywhere.
final class IdleSessions: Sendable {
    let limit: TimeInterval
    private let seen = Mutex<[String: Date]>([:])

    init(limit: TimeInterval) {
        self.limit = limit
    }

    /// Records a request on the session; false when it had been idle longer than the limit,
    /// which ends it.
    func touch(_ token: String, at now: Date) -> Bool {
        seen.withLock { seen in
            if let last = seen[token], now.timeIntervalSince(last) > limit {
                seen[token] = nil
                return false
            }
            // Bounded: entries of sessions long gone are dropped when the table grows.
            if seen.count > 20_000 { seen = seen.filter { now.timeIntervalSince($0.value) <= limit } }
            seen[token] = now
            return true
        }
    }

    func forget(_ token: String) { _ = seen.withLock { $0.removeValue(forKey: token) } }
}
