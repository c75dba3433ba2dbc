public import Foundation
public import OneGridDomain

public struct User: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var phone: String?

    public init(id: Int64, username: String, displayName: String, phone: String?) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.phone = phone
    }
}

/// A signed-in identity: the user and the post they act as.
public struct Principal: Sendable, Hashable {
    public var user: User
    public var post: Post

    public init(user: User, post: Post) {
        self.user = user
        self.post = post
    }
}

public enum TokenKind: String, Sendable, Codable {
    /// Issued at log-in, expires.
    case session
    /// Issued to an integration (12345 hotline, video network), lives until revoked.
    case api
}

/// Users, their posts and their bearer tokens.
public protocol PeopleStore: Sendable {
    /// Adds users with their bcrypt password hashes; ids chosen by the caller.
    func insert(users: [(user: User, passwordHash: String)]) async throws
    func insert(posts: [Post]) async throws
    /// The user and stored password hash for a log-in name.
    func credentials(username: String) async throws -> (user: User, passwordHash: String)?
    func posts(ofUser userID: Int64) async throws -> [Post]
    /// The grid worker post a user holds in a grid, if any.
    func gridWorkerPost(userID: Int64, gridID: Int64) async throws -> Post?
    /// The users with these ids, by id (ids that name no one are left out).
    func users(ids: [Int64]) async throws -> [Int64: User]
    /// The users who hold a grid worker post in a grid, by name.
    func gridWorkers(gridID: Int64) async throws -> [User]
    /// Stores the SHA-256 of a new bearer token.
    func saveToken(hash: String, principal: Principal, kind: TokenKind, label: String?, expiresAt: Date?) async throws
    /// Who a token belongs to, unless it is unknown or expired at `now`.
    func principal(tokenHash: String, now: Date) async throws -> Principal?
    func deleteToken(hash: String) async throws
}
