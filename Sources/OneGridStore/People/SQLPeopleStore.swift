public import Foundation
public import OneGridDomain
import SQLKit

public struct SQLPeopleStore: PeopleStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    struct UserRow: Codable {
        var id: Int64
        var username: String
        var displayName: String
        var passwordHash: String
        var phone: String?
        var createdAt: Int64
        var disabledAt: Int64?
        var lastSignInAt: Int64?

        var user: User { User(id: id, username: username, displayName: displayName, phone: phone) }
    }

    struct PostRow: Codable {
        var id: Int64
        var userId: Int64
        var role: String
        var areaId: Int64
        var areaLevel: String
        var departmentId: Int64?

        init(_ post: Post) {
            id = post.id
            userId = post.userID
            role = post.role.rawValue
            areaId = post.areaID
            areaLevel = post.areaLevel.rawValue
            departmentId = post.departmentID
        }

        func post() throws -> Post {
            Post(
                id: id, userID: userId, role: try stored(Role.self, role), areaID: areaId,
                areaLevel: try stored(AdminLevel.self, areaLevel), departmentID: departmentId)
        }
    }

    public func insert(users: [(user: User, passwordHash: String)]) async throws {
        let now = Date().millisecondsSince1970
        let rows = users.map {
            UserRow(
                id: $0.user.id, username: $0.user.username, displayName: $0.user.displayName,
                passwordHash: $0.passwordHash, phone: $0.user.phone, createdAt: now, disabledAt: nil, lastSignInAt: nil)
        }
        try await database.transaction { db in
            for chunk in rows.chunked(into: 200) {
                try await db.insert(into: "users").models(Array(chunk), with: .snakeWithNils).run()
            }
        }
    }

    public func insert(posts: [Post]) async throws {
        let rows = posts.map(PostRow.init)
        try await database.transaction { db in
            for chunk in rows.chunked(into: 200) {
                try await db.insert(into: "posts").models(Array(chunk), with: .snakeWithNils).run()
            }
        }
    }

    public func credentials(username: String) async throws -> (user: User, passwordHash: String)? {
        guard
            let row = try await database.reader.select().columns("*").from("users")
                .where("username", .equal, username).where("disabled_at", .is, SQLLiteral.null)
                .first(decoding: UserRow.self, with: .snake)
        else { return nil }
        return (row.user, row.passwordHash)
    }

    public func newestPasswordHash() async throws -> String? {
        // Only a bcrypt hash: accounts loaded without a password (tests, imports) have none.
        try await database.reader.select().column("password_hash").from("users").where("password_hash", .like, "$2%")
            .orderBy("id", .descending).limit(1)
            .first(decodingColumn: "password_hash", as: String.self)
    }

    public func posts(ofUser userID: Int64) async throws -> [Post] {
        try await database.reader.select().columns("*").from("posts").where("user_id", .equal, userID)
            .orderBy("id").all(decoding: PostRow.self, with: .snake).map { try $0.post() }
    }

    public func gridWorkerPost(userID: Int64, gridID: Int64) async throws -> Post? {
        try await database.reader.select().columns("*").from("posts")
            .where("user_id", .equal, userID).where("area_id", .equal, gridID)
            .where("role", .equal, Role.gridWorker.rawValue)
            .first(decoding: PostRow.self, with: .snake)?.post()
    }

    public func users(ids: [Int64]) async throws -> [Int64: User] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await database.reader.select().columns("*").from("users").where("id", .in, Array(Set(ids)))
            .all(decoding: UserRow.self, with: .snake)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.user) })
    }

    public func gridWorkers(gridID: Int64) async throws -> [User] {
        let ids = try await database.reader.select().column("user_id").from("posts")
            .where("area_id", .equal, gridID).where("role", .equal, Role.gridWorker.rawValue)
            .all(decodingColumn: "user_id", as: Int64.self)
        return try await users(ids: ids).values.sorted { $0.displayName < $1.displayName }
    }

    public func saveToken(hash: String, principal: Principal, kind: TokenKind, label: String?, expiresAt: Date?) async throws {
        try await database.transaction { db in
            try await db.insert(into: "access_tokens")
                .columns("token_hash", "user_id", "post_id", "kind", "label", "created_at", "expires_at")
                .values(
                    SQLBind(hash), SQLBind(principal.user.id), SQLBind(principal.post.id), SQLBind(kind.rawValue),
                    SQLBind(label), SQLBind(Date().millisecondsSince1970), SQLBind(expiresAt?.millisecondsSince1970)
                ).run()
        }
    }

    public func principal(tokenHash: String, now: Date) async throws -> Principal? {
        struct Row: Decodable {
            var postId: Int64
            var expiresAt: Int64?
        }
        guard
            let token = try await database.reader.select().columns("post_id", "expires_at").from("access_tokens")
                .where("token_hash", .equal, tokenHash).first(decoding: Row.self, with: .snake),
            token.expiresAt.map({ $0 > now.millisecondsSince1970 }) ?? true,
            let post = try await database.reader.select().columns("*").from("posts")
                .where("id", .equal, token.postId).first(decoding: PostRow.self, with: .snake)?.post(),
            let user = try await database.reader.select().columns("*").from("users")
                .where("id", .equal, post.userID).where("disabled_at", .is, SQLLiteral.null)
                .first(decoding: UserRow.self, with: .snake)?.user
        else { return nil }
        return Principal(user: user, post: post)
    }

    public func deleteToken(hash: String) async throws {
        try await database.transaction { db in
            try await db.delete(from: "access_tokens").where("token_hash", .equal, hash).run()
        }
    }
}
