public import Foundation
public import OneGridDomain
import SQLKit

/// The administrator's side of the people store: accounts, their posts and their state.
extension SQLPeopleStore {
    public func accounts(matching filter: AccountFilter) async throws -> [UserAccount] {
        let db = database.reader
        var query = db.select().columns("*").from("users")
        if filter.role != nil || filter.areaID != nil {
            var holders = db.select().column("user_id").from("posts")
            if let role = filter.role { holders = holders.where("role", .equal, role.rawValue) }
            if let areaID = filter.areaID { holders = holders.where("area_id", .equal, areaID) }
            let ids = Array(Set(try await holders.all(decodingColumn: "user_id", as: Int64.self)))
            guard !ids.isEmpty else { return [] }
            query = query.where("id", .in, ids)
        }
        if let text = filter.text?.lowercased(), !text.isEmpty {
            // Lowered on both sides: PostgreSQL's LIKE minds case, SQLite's does not.
            let pattern = SQLBind("%\(text)%")
            query = query.where { group in
                group.where(SQLFunction("lower", args: SQLColumn("username")), .like, pattern)
                    .orWhere(SQLFunction("lower", args: SQLColumn("display_name")), .like, pattern)
            }
        }
        let rows = try await query.orderBy("display_name").orderBy("id").limit(filter.limit).all(decoding: UserRow.self, with: .snake)
        return try await withPosts(rows, on: db)
    }

    public func account(id: Int64) async throws -> UserAccount? {
        let db = database.reader
        guard let row = try await db.select().columns("*").from("users").where("id", .equal, id).first(decoding: UserRow.self, with: .snake)
        else { return nil }
        return try await withPosts([row], on: db).first
    }

    public func userCountsByRole() async throws -> [Role: Int] {
        struct Row: Decodable {
            var role: String
            var users: Int
        }
        let rows = try await database.reader.select().column("role").column(SQLFunction("count", args: SQLDistinct("user_id")), as: "users")
            .from("posts").groupBy("role").all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: try rows.map { (try stored(Role.self, $0.role), $0.users) })
    }

    public func createUser(_ user: NewUser, passwordHash: String, post: NewPost) async throws -> UserAccount {
        try await database.transaction { db in
            let taken = try await db.select().column("id").from("users").where("username", .equal, user.username)
                .first(decodingColumn: "id", as: Int64.self)
            guard taken == nil else { throw DomainError.invalid(field: "username", "username \(user.username) is taken") }
            let row = UserRow(
                id: try await Self.nextID(of: "users", on: db), username: user.username, displayName: user.displayName,
                passwordHash: passwordHash, phone: user.phone, createdAt: Date().millisecondsSince1970, disabledAt: nil, lastSignInAt: nil)
            try await db.insert(into: "users").model(row, with: .snakeWithNils).run()
            let post = try await Self.insert(post, userID: row.id, on: db)
            return UserAccount(user: row.user, posts: [post], disabledAt: nil, lastSignInAt: nil)
        }
    }

    public func addPost(_ post: NewPost, userID: Int64) async throws -> Post {
        try await database.transaction { db in try await Self.insert(post, userID: userID, on: db) }
    }

    public func removePost(id: Int64, userID: Int64) async throws {
        try await database.transaction { db in
            try await db.delete(from: "access_tokens").where("post_id", .equal, id).where("user_id", .equal, userID).run()
            try await db.delete(from: "posts").where("id", .equal, id).where("user_id", .equal, userID).run()
        }
    }

    public func setDisabled(userID: Int64, at: Date?) async throws {
        try await database.transaction { db in
            try await db.update("users").set("disabled_at", to: SQLBind(at?.millisecondsSince1970)).where("id", .equal, userID).run()
            if at != nil {
                try await db.delete(from: "access_tokens").where("user_id", .equal, userID).where("kind", .equal, TokenKind.session.rawValue).run()
            }
        }
    }

    public func setPasswordHash(userID: Int64, hash: String) async throws {
        try await database.transaction { db in
            try await db.update("users").set("password_hash", to: SQLBind(hash)).where("id", .equal, userID).run()
        }
    }

    public func recordSignIn(userID: Int64, at: Date) async throws {
        try await database.transaction { db in
            try await db.update("users").set("last_sign_in_at", to: SQLBind(at.millisecondsSince1970)).where("id", .equal, userID).run()
        }
    }

    private func withPosts(_ rows: [UserRow], on db: any SQLDatabase) async throws -> [UserAccount] {
        guard !rows.isEmpty else { return [] }
        let posts = try await db.select().columns("*").from("posts").where("user_id", .in, rows.map(\.id)).orderBy("id")
            .all(decoding: PostRow.self, with: .snake).map { try $0.post() }
        let byUser = Dictionary(grouping: posts, by: \.userID)
        return rows.map { row in
            UserAccount(
                user: row.user, posts: byUser[row.id] ?? [], disabledAt: row.disabledAt.map(Date.init(millisecondsSince1970:)),
                lastSignInAt: row.lastSignInAt.map(Date.init(millisecondsSince1970:)))
        }
    }

    private static func insert(_ post: NewPost, userID: Int64, on db: any SQLDatabase) async throws -> Post {
        let post = Post(
            id: try await nextID(of: "posts", on: db), userID: userID, role: post.role, areaID: post.areaID, areaLevel: post.areaLevel,
            departmentID: post.departmentID)
        try await db.insert(into: "posts").model(PostRow(post), with: .snakeWithNils).run()
        return post
    }

    /// The next id of a table whose ids the demo and imports choose themselves, so no sequence
    /// knows them: one past the highest, inside the writing transaction.
    static func nextID(of table: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM \(ident: table)").first(decodingColumn: "id", as: Int64.self) ?? 1
    }
}
