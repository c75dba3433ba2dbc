public import Foundation
import HummingbirdBcrypt
import NIOCore
import NIOPosix
import Synchronization
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
    /// nil). Unknown names and wrong passwords get the same refusal, after the same time; repeated
    /// failures from one account or `address` wait, then lock for a while (`SignInThrottle`).
    public func signIn(username: String, password: String, postID: Int64?, address: String? = nil) async throws -> Opened {
        let now = services.clock.now
        let admission = try await services.signInThrottle.admit(username: username, address: address, now: now)
        let credentials = try await services.people.credentials(username: username)
        // bcrypt is deliberately slow: keep it off the event loop. An unknown name is checked
        // against a stand-in hash of the same cost, so the answer takes as long as a wrong password's.
        let hash: String
        if let credentials { hash = credentials.passwordHash } else { hash = try await services.standInHash.value() }
        let matches = try await Self.hashing.runIfActive { Bcrypt.verify(password, hash: hash) && credentials != nil }
        // The attempt was counted as a failure when it was admitted; only a success takes it back.
        guard matches, let (user, _) = credentials else { throw SignInRefused() }
        try await services.signInThrottle.succeeded(admission)
        let opened = try await open(user: user, postID: postID)
        try await services.people.recordSignIn(userID: user.id, at: now)
        return opened
    }

    /// Acts as another of the signed-in user's posts: a new session for it, and the old one ends.
    public func switchPost(token: String, to postID: Int64) async throws -> Opened {
        guard let principal = try await services.authenticator.principal(for: token) else {
            throw DomainError(.forbidden, "the session has ended; sign in again")
        }
        let opened = try await open(user: principal.user, postID: postID)
        try await signOut(token: token)
        return opened
    }

    /// bcrypt's own threads: on the shared pool a burst of sign-ins would queue behind other
    /// blocking work, and that work behind them. Lives as long as the process.
    private static let hashing: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()

    private func open(user: User, postID: Int64?) async throws -> Opened {
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

    /// Ends the session or revokes the token, on every server at once.
    public func signOut(token: String) async throws {
        try await services.people.deleteToken(hash: TokenAuthenticator.hash(token))
        try await services.authenticator.revoked(token)
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

/// What an unknown username's password is checked against: the newest account's own hash, read
/// once, so the check costs what a real account's costs at the cost accounts are hashed with now
/// (the demo's cheaper ones on a demo, the real cost on a city's server). The `credentials != nil`
/// beside it keeps that hash from ever opening a session.
final class StandInHash: Sendable {
    private let people: any PeopleStore
    private let loaded = Mutex<String?>(nil)

    init(people: any PeopleStore) {
        self.people = people
    }

    func value() async throws -> String {
        if let hash = loaded.withLock({ $0 }) { return hash }
        let hash = try await people.newestPasswordHash() ?? Bcrypt.hash(TokenAuthenticator.newToken(), cost: AdministrationUsers.passwordCost)
        loaded.withLock { $0 = hash }
        return hash
    }
}
