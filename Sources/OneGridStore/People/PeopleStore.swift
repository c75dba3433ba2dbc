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
    /// The user and stored password hash for a log-in name, unless the account is disabled.
    func credentials(username: String) async throws -> (user: User, passwordHash: String)?
    func posts(ofUser userID: Int64) async throws -> [Post]
    /// The password hash of the newest account: what an unknown name's password is checked
    /// against, at the cost accounts are hashed with now. Nil without accounts.
    func newestPasswordHash() async throws -> String?
    /// The grid worker post a user holds in a grid, if any.
    func gridWorkerPost(userID: Int64, gridID: Int64) async throws -> Post?
    /// The users with these ids, by id (ids that name no one are left out).
    func users(ids: [Int64]) async throws -> [Int64: User]
    /// The users who hold a grid worker post in a grid, by name.
    func gridWorkers(gridID: Int64) async throws -> [User]
    /// Stores the SHA-256 of a new bearer token.
    func saveToken(hash: String, principal: Principal, kind: TokenKind, label: String?, expiresAt: Date?) async throws
    /// Who a token belongs to, unless it is unknown, expired at `now` or its user disabled.
    func principal(tokenHash: String, now: Date) async throws -> Principal?
    func deleteToken(hash: String) async throws

    // MARK: Administration

    /// The accounts that match, by name, at most `filter.limit`.
    func accounts(matching filter: AccountFilter) async throws -> [UserAccount]
    func account(id: Int64) async throws -> UserAccount?
    /// How many users hold a post of each role (a user with two roles counts in both).
    func userCountsByRole() async throws -> [Role: Int]
    /// Adds a user with a first post, choosing both ids; a taken username is refused.
    func createUser(_ user: NewUser, passwordHash: String, post: NewPost) async throws -> UserAccount
    /// Adds a post to a user, choosing its id.
    func addPost(_ post: NewPost, userID: Int64) async throws -> Post
    /// Removes a post and ends the sessions acting as it.
    func removePost(id: Int64, userID: Int64) async throws
    /// Disables (`at` a time) or enables (`nil`) an account; disabling ends its sessions.
    func setDisabled(userID: Int64, at: Date?) async throws
    func setPasswordHash(userID: Int64, hash: String) async throws
    func recordSignIn(userID: Int64, at: Date) async throws
}

/// A user as the administrator sees it: every post, and the state of the account.
public struct UserAccount: Sendable, Hashable {
    public var user: User
    public var posts: [Post]
    public var disabledAt: Date?
    public var lastSignInAt: Date?

    public init(user: User, posts: [Post], disabledAt: Date?, lastSignInAt: Date?) {
        self.user = user
        self.posts = posts
        self.disabledAt = disabledAt
        self.lastSignInAt = lastSignInAt
    }
}

/// Which accounts the administrator's list shows; nil matches any.
public struct AccountFilter: Sendable, Hashable {
    public var role: Role?
    /// Users holding a post in exactly this area.
    public var areaID: Int64?
    /// A part of the username or the display name.
    public var text: String?
    public var limit: Int

    public init(role: Role? = nil, areaID: Int64? = nil, text: String? = nil, limit: Int = 200) {
        self.role = role
        self.areaID = areaID
        self.text = text
        self.limit = limit
    }
}

public struct NewUser: Sendable, Hashable {
    public var username: String
    public var displayName: String
    public var phone: String?

    public init(username: String, displayName: String, phone: String?) {
        self.username = username
        self.displayName = displayName
        self.phone = phone
    }
}

/// A post before it has an id or a user.
public struct NewPost: Sendable, Hashable {
    public var role: Role
    public var areaID: Int64
    public var areaLevel: AdminLevel
    public var departmentID: Int64?

    public init(role: Role, areaID: Int64, areaLevel: AdminLevel, departmentID: Int64?) {
        self.role = role
        self.areaID = areaID
        self.areaLevel = areaLevel
        self.departmentID = departmentID
    }
}
