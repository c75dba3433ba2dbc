import SQLKit

/// Villages' points schemes (积分制):
/// - `points_rules`: each village's rules, retired rather than deleted;
/// - `points_entries`: each village's ledger, append-only, one hash chain per village;
/// - `points_heads`: each chain's last sequence and hash, updated first in an entry's transaction
///   so that two entries of one village are written one after the other on every server.
struct Migration026Points: Migration {
    let name = "026_points"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "points_rules")
            .column("id", type: .bigint, .primaryKey)
            .column("village_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("name", type: .text, .notNull)
            .column("points", type: .int, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("retired_at", type: .bigint)
            .run()
        try await db.create(index: "points_rules_village").on("points_rules").column("village_id").run()
        try await db.create(table: "points_entries")
            .column("village_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("sequence", type: .bigint, .notNull)
            .column("household_id", type: .bigint, .notNull, .references("households", "id"))
            .column("kind", type: .text, .notNull)
            .column("rule_id", type: .bigint, .references("points_rules", "id"))
            .column("points", type: .int, .notNull)
            .column("note", type: .text, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("previous_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull)
            .primaryKey("village_id", "sequence")
            .run()
        try await db.create(index: "points_entries_household").on("points_entries").column("household_id").run()
        try await db.create(table: "points_heads")
            .column("village_id", type: .bigint, .primaryKey(autoIncrement: false), .references("areas", "id"))
            .column("sequence", type: .bigint, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
    }
}
