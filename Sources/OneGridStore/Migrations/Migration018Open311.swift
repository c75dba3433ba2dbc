import SQLKit

/// Open311 (GeoReport v2):
/// - `open311_keys`: the API keys an administrator issues, stored as the SHA-256 of the key, each
///   speaking for one post (whose role gives the intake channel) within an area, under a rate.
/// - `open311_requests`: what a GeoReport request carries beyond a case (the media URL and the
///   reporter's e-mail, device and account), kept with the case it created and never sent out.
/// - `case_events_at`: the timelines by time, which the service request updates are read by.
struct Migration018Open311: Migration {
    let name = "018_open311"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "open311_keys")
            .column("id", type: .bigint, .primaryKey)
            .column("key_hash", type: .text, .notNull, .unique)
            .column("name", type: .text, .notNull)
            .column("post_id", type: .bigint, .notNull, .references("posts", "id"))
            .column("area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("requests_per_minute", type: .int, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("revoked_at", type: .bigint)
            .run()
        try await db.create(table: "open311_requests")
            .column("case_id", type: .bigint, .primaryKey(autoIncrement: false), .references("cases", "id"))
            .column("key_id", type: .bigint, .notNull, .references("open311_keys", "id"))
            .column("media_url", type: .text)
            .column("email", type: .text)
            .column("device_id", type: .text)
            .column("account_id", type: .text)
            .run()
        try await db.create(index: "case_events_at").on("case_events").column("at").run()
    }
}
