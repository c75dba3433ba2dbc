import SQLKit

/// Notices (通知公告) a centre publishes down the hierarchy:
/// - `notices`: the notice, its sender and what it asks for (`audience` is the JSON list of the
///   areas the sender named);
/// - `notice_receipts`: one row per receiving post, written when the notice is published, so the
///   sender's "who has read and answered" is a count over rows, and a post given later to an
///   area does not receive what was sent before it held it.
struct Migration024Notices: Migration {
    let name = "024_notices"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "notices")
            .column("id", type: .bigint, .primaryKey)
            .column("title", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("from_area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("from_post_id", type: .bigint, .notNull, .references("posts", "id"))
            .column("from_user_id", type: .bigint, .notNull, .references("users", "id"))
            .column("audience", type: .text, .notNull)
            .column("response", type: .text, .notNull)
            .column("due_at", type: .bigint)
            .column("published_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "notices_from_area").on("notices").column("from_area_id").column("id").run()
        try await db.create(table: "notice_receipts")
            .column("notice_id", type: .bigint, .notNull, .references("notices", "id"))
            .column("post_id", type: .bigint, .notNull, .references("posts", "id"))
            .column("user_id", type: .bigint, .notNull, .references("users", "id"))
            .column("area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("role", type: .text, .notNull)
            .column("read_at", type: .bigint)
            .column("answered_at", type: .bigint)
            .column("reply", type: .text)
            .primaryKey("notice_id", "post_id")
            .run()
        try await db.create(index: "notice_receipts_post").on("notice_receipts").column("post_id").column("notice_id").run()
    }
}
