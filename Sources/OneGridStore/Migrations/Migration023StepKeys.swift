import SQLKit

/// Idempotency keys of steps, as `intake_keys` are of reports: a phone that sends a verification
/// again after a lost answer gets the step it already took, never a second one. The key is the
/// client's, scoped to its user; `version` is the case's version the step left.
struct Migration023StepKeys: Migration {
    let name = "023_step_keys"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "step_keys")
            .column("user_id", type: .bigint, .notNull)
            .column("key", type: .text, .notNull)
            .column("case_id", type: .bigint, .notNull)
            .column("version", type: .int)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("user_id", "key")
            .run()
    }
}
