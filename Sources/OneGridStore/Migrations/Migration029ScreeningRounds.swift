import SQLKit

/// Dispute screening (矛盾纠纷排查):
/// - `screening_rounds`: each round of a grid, village, town or city, with the ids of the areas
///   above its own so that any centre lists the rounds under it with one indexed column;
/// - `screening_findings`: the risks a round found, numbered within it, each pointing to the
///   dispute case opened from it once it was.
struct Migration029ScreeningRounds: Migration {
    let name = "029_screening_rounds"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "screening_rounds")
            .column("id", type: .bigint, .primaryKey)
            .column("area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("level", type: .text, .notNull)
            .column("city_id", type: .bigint, .notNull)
            // Null above the round's own level: a town's round has no village.
            .column("county_id", type: .bigint)
            .column("town_id", type: .bigint)
            .column("village_id", type: .bigint)
            .column("done_at", type: .bigint, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("checked", type: .text, .notNull)
            .run()
        // The last round of each area (what is overdue) and an area's rounds newest first.
        try await db.create(index: "screening_rounds_area").on("screening_rounds").column("area_id").column("done_at").run()
        for level in ["county", "town", "village"] {
            try await db.create(index: "screening_rounds_\(level)").on("screening_rounds").column("\(level)_id").column("done_at").run()
        }
        try await db.create(index: "screening_rounds_city").on("screening_rounds").column("city_id").column("done_at").run()
        try await db.create(table: "screening_findings")
            .column("round_id", type: .bigint, .notNull, .references("screening_rounds", "id"))
            .column("number", type: .int, .notNull)
            .column("text", type: .text, .notNull)
            .column("case_id", type: .bigint, .references("cases", "id"))
            .primaryKey("round_id", "number")
            .run()
    }
}
