import Foundation
import HummingbirdBcrypt
import NIOPosix
public import OneGridDomain
public import OneGridStore

/// The administrator's work on accounts: creating a user with a post, adding and removing posts,
/// disabling and enabling, resetting a password. Each refusal names the field and a reason the
/// pages say in plain words.
public struct AdministrationUsers: Sendable {
    let services: OneGridServices

    /// Why a change was refused; the raw value names the reason in the pages' strings.
    public struct Refusal: Error, Sendable, Equatable {
        public enum Reason: String, Sendable {
            case usernameFormat, usernameTaken, displayNameLength, phoneFormat, passwordLength
            case unknownArea, citizenPost, departmentNeeded, unknownDepartment, departmentOutsideArea
            case unknownUser, unknownPost, lastPost, ownAccount
        }

        public var field: String
        public var reason: Reason

        public init(field: String, reason: Reason) {
            self.field = field
            self.reason = reason
        }
    }

    /// A post to give someone: the role, where, and for a department handler which department.
    public struct PostRequest: Sendable {
        public var role: Role
        public var areaID: Int64
        public var departmentID: Int64?

        public init(role: Role, areaID: Int64, departmentID: Int64?) {
            self.role = role
            self.areaID = areaID
            self.departmentID = departmentID
        }
    }

    /// A new account, and its password when the server chose it: shown once, never stored.
    public struct Created: Sendable {
        public var account: UserAccount
        public var generatedPassword: String?
    }

    /// Shortest password an administrator may set.
    public static let minimumPasswordLength = 8

    /// A new account's password and its hash, chosen or generated: hashing takes about 100 ms,
    /// which an import does for all its accounts before it holds the writer.
    public struct Credential: Sendable {
        var password: String
        var generated: Bool
        var hash: String
    }

    /// The credential `password` gives (nil or empty: a generated one), refused when too short or long.
    public func credential(_ password: String?) async throws -> Credential {
        let (password, generated) = try chosen(password)
        return Credential(password: password, generated: generated, hash: try await Self.hash(password))
    }

    /// `credential`, when given, was made by `credential(_:)` beforehand and stands for `password`.
    public func create(
        username: String, displayName: String, phone: String?, password: String?, credential: Credential? = nil, post: PostRequest,
        by principal: Principal
    ) async throws -> Created {
        let username = username.trimmingCharacters(in: .whitespaces).lowercased()
        guard username.wholeMatch(of: /[a-z0-9][a-z0-9._-]{2,31}/) != nil else { throw Refusal(field: "username", reason: .usernameFormat) }
        let displayName = displayName.trimmingCharacters(in: .whitespaces)
        guard (1...40).contains(displayName.count) else { throw Refusal(field: "displayName", reason: .displayNameLength) }
        let phone = phone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let phone, phone.wholeMatch(of: /[0-9-]{7,13}/) == nil { throw Refusal(field: "phone", reason: .phoneFormat) }
        let newPost = try validated(post)
        let credential = if let credential { credential } else { try await self.credential(password) }
        // The store checks the name inside its writing transaction, disabled accounts included.
        do {
            let account = try await services.recording("user.create", subject: "user \(username)", postDetails(newPost), by: principal) {
                try await services.people.createUser(
                    NewUser(username: username, displayName: displayName, phone: phone), passwordHash: credential.hash, post: newPost)
            }
            return Created(account: account, generatedPassword: credential.generated ? credential.password : nil)
        } catch let error as DomainError where error.field == "username" {
            throw Refusal(field: "username", reason: .usernameTaken)
        }
    }

    public func addPost(userID: Int64, _ post: PostRequest, by principal: Principal) async throws -> Post {
        _ = try await account(userID)
        let newPost = try validated(post)
        return try await services.recording("post.add", subject: "user \(userID)", postDetails(newPost), by: principal) {
            try await services.people.addPost(newPost, userID: userID)
        }
    }

    /// Removes a post; a user keeps at least one (disable the account to stop it altogether).
    public func removePost(userID: Int64, postID: Int64, by principal: Principal) async throws {
        let account = try await account(userID)
        guard account.posts.contains(where: { $0.id == postID }) else { throw Refusal(field: "post", reason: .unknownPost) }
        guard account.posts.count > 1 else { throw Refusal(field: "post", reason: .lastPost) }
        try await services.recording("post.remove", subject: "user \(userID)", ["postID": String(postID)], by: principal) {
            try await services.people.removePost(id: postID, userID: userID)
        }
        try await services.authenticator.revoked(userID: userID)
    }

    /// A disabled account cannot sign in, and its sessions stop at once on every server. An administrator cannot disable their own account.
    public func setDisabled(userID: Int64, _ disabled: Bool, by principal: Principal) async throws {
        _ = try await account(userID)
        guard userID != principal.user.id else { throw Refusal(field: "disabled", reason: .ownAccount) }
        try await services.recording(disabled ? "user.disable" : "user.enable", subject: "user \(userID)", by: principal) {
            try await services.people.setDisabled(userID: userID, at: disabled ? services.clock.now : nil)
        }
        try await services.authenticator.revoked(userID: userID)
    }

    /// Sets the password the administrator typed, or a new random one; returns it to show once.
    public func resetPassword(userID: Int64, to password: String?, by principal: Principal) async throws -> String {
        _ = try await account(userID)
        let (password, _) = try chosen(password)
        let hash = try await Self.hash(password)
        try await services.recording("user.resetPassword", subject: "user \(userID)", by: principal) {
            try await services.people.setPasswordHash(userID: userID, hash: hash)
        }
        return password
    }

    public func account(_ userID: Int64) async throws -> UserAccount {
        guard let account = try await services.people.account(id: userID) else { throw Refusal(field: "user", reason: .unknownUser) }
        return account
    }

    private func validated(_ post: PostRequest) throws -> NewPost {
        let directory = services.directory
        guard let area = directory.areas[post.areaID] else { throw Refusal(field: "area", reason: .unknownArea) }
        guard post.role != .citizen else { throw Refusal(field: "role", reason: .citizenPost) }
        guard post.role == .departmentHandler else { return NewPost(role: post.role, areaID: area.id, areaLevel: area.level, departmentID: nil) }
        guard let departmentID = post.departmentID else { throw Refusal(field: "department", reason: .departmentNeeded) }
        guard let department = directory.departments[departmentID] else { throw Refusal(field: "department", reason: .unknownDepartment) }
        guard department.areaID == area.id else { throw Refusal(field: "department", reason: .departmentOutsideArea) }
        return NewPost(role: post.role, areaID: area.id, areaLevel: area.level, departmentID: department.id)
    }

    /// What the administrators' log keeps of a post given.
    private func postDetails(_ post: NewPost) -> [String: String] {
        var details = ["role": post.role.rawValue, "areaID": String(post.areaID)]
        details["departmentID"] = post.departmentID.map(String.init)
        return details
    }

    /// The password typed, checked, or a generated one (and whether it was generated).
    private func chosen(_ password: String?) throws -> (String, Bool) {
        guard let password = password?.nilIfEmpty else { return (Self.generatedPassword(), true) }
        guard password.count >= Self.minimumPasswordLength, password.count <= 72 else {
            throw Refusal(field: "password", reason: .passwordLength)
        }
        return (password, false)
    }

    /// Twelve characters a person can read aloud and type: no 0/O or 1/l/I.
    static func generatedPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// bcrypt's cost for real accounts: one check takes about 100 ms on this project's 2-core
    /// machine (measured with HummingbirdBcrypt's C code at -O2, best of 5 under load: cost 10
    /// 86–90 ms, 11 130–320 ms, 12 350–430 ms), slow enough that a stolen table of hashes is
    /// costly to guess at, quick enough for a sign-in. The demo's shared hash is cheaper
    /// (`DemoCity.passwordCost`) and says so.
    public static let passwordCost: UInt8 = 10

    /// bcrypt is slow on purpose: off the event loop.
    static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: passwordCost) }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
