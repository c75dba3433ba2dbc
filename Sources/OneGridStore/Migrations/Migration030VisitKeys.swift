import SQLKit

/// Idempotency keys of visits, as `step_keys` are of steps: a visit logged on the phone without
/// signal waits in its outbox and may be sent twice after a lost answer; the key it was made with
/// keeps it one visit. The key is the phone's, scoped to its user.
struct Migration030VisitKeys: Migration {
    let name = "030_visit_keys"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "visit_keys")
            .column("user_id", type: .bigint, .notNull)
            .column("key", type: .text, .notNull)
            .column("visit_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("user_id", "key")
            .run()
    }
}
