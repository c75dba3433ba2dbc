import SQLKit

/// The citizen's portal:
/// - `citizen_reports`: a report made on the public portal, beside its case: the follow link's
///   SHA-256 (the link itself is shown once), whether the reporter stays anonymous to the public,
///   the address and device it came from (for the rate limits and for blocking abuse), whether a
///   dispatcher marked it as abuse, and the reporter's request to look at the case again.
/// - `citizen_blocks`: a source (an address or a device) refused new reports until a time, with
///   the case and the person that caused it.
/// - `citizen_notices`: what a citizen is told (acceptance, result, closure), written in the
///   transaction of the event it tells of; `citizen_notice_deliveries` records which sender has
///   passed each one on, so a retry never sends twice through a sender that succeeded.
struct Migration020Citizens: Migration {
    let name = "020_citizens"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "citizen_reports")
            .column("case_id", type: .bigint, .primaryKey(autoIncrement: false), .references("cases", "id"))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("anonymous", type: .int, .notNull)
            .column("address", type: .text, .notNull)
            .column("device", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("abuse_at", type: .bigint)
            .column("abuse_by_user_id", type: .bigint, .references("users", "id"))
            .column("look_again_at", type: .bigint)
            .column("look_again_note", type: .text)
            .run()
        try await db.create(index: "citizen_reports_address").on("citizen_reports").column("address").column("created_at").run()
        try await db.create(index: "citizen_reports_device").on("citizen_reports").column("device").column("created_at").run()

        try await db.create(table: "citizen_blocks")
            .column("id", type: .bigint, .primaryKey)
            .column("source_kind", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .column("until", type: .bigint, .notNull)
            .column("case_id", type: .bigint, .notNull, .references("cases", "id"))
            .column("by_user_id", type: .bigint, .notNull, .references("users", "id"))
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "citizen_blocks_source").on("citizen_blocks").column("source").column("until").run()

        try await db.create(table: "citizen_notices")
            .column("id", type: .bigint, .primaryKey)
            .column("case_id", type: .bigint, .notNull, .references("cases", "id"))
            .column("kind", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("attempts", type: .int, .notNull)
            .column("next_attempt_at", type: .bigint)
            .column("delivered_at", type: .bigint)
            .column("last_error", type: .text)
            .run()
        try await db.create(index: "citizen_notices_due").on("citizen_notices").column("next_attempt_at").run()
        try await db.create(index: "citizen_notices_case").on("citizen_notices").column("case_id").run()
        try await db.create(table: "citizen_notice_deliveries")
            .column("notice_id", type: .bigint, .notNull, .references("citizen_notices", "id"))
            .column("sender", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .primaryKey("notice_id", "sender")
            .run()
    }
}
