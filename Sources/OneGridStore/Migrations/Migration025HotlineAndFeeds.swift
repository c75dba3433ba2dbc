import SQLKit

/// The 12345 hotline and the feeds of the data brain:
/// - `hotline_diversions`: tickets the hotline sent that are not for the grid (接诉即办工作条例
///   Art. 11), one row per ticket with its reason, kept for the hotline's figures. Tickets that
///   became cases need no table: their number is the case's intake key (`CaseDraft.intakeClaim`).
/// - `feed_items`: public-opinion items (舆情) and police incident summaries (110 警情), each once
///   per kind and the item's own id, placed on the grid (every level's column) or, without a
///   point, at the area its code names (the columns below it empty), linked to a case when they
///   concern one.
/// - `feed_counts`: items per kind, area (every level of its place) and day, kept in the item's
///   transaction for the risk picture (四情), which reads areas over spans of days.
struct Migration025HotlineAndFeeds: Migration {
    let name = "025_hotline_and_feeds"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "hotline_diversions")
            .column("ticket", type: .text, .primaryKey(autoIncrement: false))
            .column("reason", type: .text, .notNull)
            .column("line", type: .text)
            .column("legal_route", type: .text)
            .column("earlier_ticket", type: .text)
            .column("earlier_case_id", type: .bigint, .references("cases", "id"))
            .column("note", type: .text)
            .column("post_id", type: .bigint, .notNull, .references("posts", "id"))
            .column("received_at", type: .bigint, .notNull)
            .run()

        try await db.create(table: "feed_items")
            .column("id", type: .bigint, .primaryKey)
            .column("kind", type: .text, .notNull)
            .column("item_id", type: .text, .notNull)
            .column("occurred_at", type: .bigint, .notNull)
            .column("area_level", type: .text, .notNull)
            .column("area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("city_id", type: .bigint)
            .column("county_id", type: .bigint)
            .column("town_id", type: .bigint)
            .column("village_id", type: .bigint)
            .column("grid_id", type: .bigint)
            .column("lat", type: .double)
            .column("lng", type: .double)
            .column("place", type: .text)
            .column("title", type: .text)
            .column("text", type: .text, .notNull)
            .column("source", type: .text)
            .column("url", type: .text)
            .column("heat", type: .double)
            .column("incident_kind", type: .text)
            .column("parties", type: .int)
            .column("is_dispute", type: .int)
            .column("case_id", type: .bigint, .references("cases", "id"))
            .column("post_id", type: .bigint, .notNull, .references("posts", "id"))
            .column("received_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "feed_items_kind_item").unique().on("feed_items").column("kind").column("item_id").run()
        try await db.create(index: "feed_items_town_occurred").on("feed_items").column("town_id").column("occurred_at").run()
        try await db.create(index: "feed_items_case").on("feed_items").column("case_id").run()

        try await db.create(table: "feed_counts")
            .column("kind", type: .text, .notNull)
            .column("area_level", type: .text, .notNull)
            .column("area_id", type: .bigint, .notNull)
            .column("day", type: .text, .notNull)
            .column("count", type: .int, .notNull)
            .primaryKey("area_level", "area_id", "day", "kind")
            .run()
    }
}
