public import Foundation
import HummingbirdBcrypt
import NIOPosix
public import OneGridDomain
public import OneGridStore

/// Signing in and out, for the API's bearer tokens and the pages' session cookie alike: both hold
/// a token of which only the SHA-256 is stored.
public struct Sessions: Sendable {
    let services: OneGridServices

    public struct Opened: Sendable {
        public var token: String
        public var expiresAt: Date?
        public var principal: Principal
        /// Every post the user holds, to switch between.
        public var posts: [Post]
    }

    /// Checks the password and opens a session acting as `postID` (the user's first post when
    /// nil). Unknown names and wrong passwords get the same refusal.
    public func signIn(username: String, password: String, postID: Int64?) async throws -> Opened {
        let refused = SignInRefused()
        guard let (user, hash) = try await services.people.credentials(username: username) else { throw refused }
        // bcrypt is deliberately slow: keep it off the event loop.
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard matches else { throw refused }
        let posts = try await services.people.posts(ofUser: user.id)
        guard let post = postID.map({ id in posts.first { $0.id == id } }) ?? posts.first else {
            throw DomainError.invalid(field: "postID", "user \(user.username) holds no post \(postID.map(String.init) ?? "")")
        }
        let principal = Principal(user: user, post: post)
        let token = TokenAuthenticator.newToken()
        let expiresAt = services.clock.now.addingTimeInterval(services.sessionLifetime)
        try await services.people.saveToken(
            hash: TokenAuthenticator.hash(token), principal: principal, kind: .session, label: nil, expiresAt: expiresAt)
        return Opened(token: token, expiresAt: expiresAt, principal: principal, posts: posts)
    }

    /// Ends the session or revokes the token, here at once.
    public func signOut(token: String) async throws {
        try await services.people.deleteToken(hash: TokenAuthenticator.hash(token))
        services.authenticator.forget(token)
    }

    /// A long-lived token for an integration (the 12345 hotline, the video network) acting as the
    /// caller's post; shown once.
    public func issueToken(label: String, for principal: Principal) async throws -> String {
        let label = label.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(label.count) else {
            throw DomainError.invalid(field: "label", "label must be 1–100 characters")
        }
        let token = TokenAuthenticator.newToken()
        try await services.people.saveToken(
            hash: TokenAuthenticator.hash(token), principal: principal, kind: .api, label: label, expiresAt: nil)
        return token
    }
}

/// An unknown username or a wrong password: which one is not said.
public struct SignInRefused: Error, Sendable {
    public let message = "unknown username or wrong password"
}
