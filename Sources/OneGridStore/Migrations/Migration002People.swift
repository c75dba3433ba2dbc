import SQLKit

/// Users, the posts they hold, and the bearer tokens of sessions and integrations.
struct Migration002People: Migration {
    let name = "002_people"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "users")
            .column("id", type: .bigint, .primaryKey)
            .column("username", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("password_hash", type: .text, .notNull)
            .column("phone", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await db.create(table: "posts")
            .column("id", type: .bigint, .primaryKey)
            .column("user_id", type: .bigint, .notNull, .references("users", "id"))
            .column("role", type: .text, .notNull)
            .column("area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("area_level", type: .text, .notNull)
            .column("department_id", type: .bigint, .references("departments", "id"))
            .run()
        try await db.create(index: "posts_user").on("posts").column("user_id").run()
        try await db.create(index: "posts_area_role").on("posts").column("area_id").column("role").run()

        // Only a token's SHA-256 is stored: a leaked table grants nothing.
        try await db.create(table: "access_tokens")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .bigint, .notNull, .references("users", "id"))
            .column("post_id", type: .bigint, .notNull, .references("posts", "id"))
            .column("kind", type: .text, .notNull)
            .column("label", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint)
            .run()
    }
}
