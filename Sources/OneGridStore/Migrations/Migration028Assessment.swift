import SQLKit

/// Assessment (考核, DOMAIN.md §7):
/// - `assessment_cards`: the yellow and red cards leaders gave units, per period;
/// - `assessment_periods`: the closed periods, each with the settings it was closed under and the
///   moment its facts were read;
/// - `assessment_facts`: a closed period's cases as they stood when it closed, one row each, the
///   columns the indicators are counted from, so its score sheets list the cases it counted;
/// - `assessment_assists`: a closed period's joint-case assists (双考核);
/// - `assessment_results`: a closed period's counts per unit and indicator, never changed again.
struct Migration028Assessment: Migration {
    let name = "028_assessment"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "assessment_cards")
            .column("id", type: .bigint, .primaryKey)
            .column("period", type: .text, .notNull)
            .column("unit_kind", type: .text, .notNull)
            .column("unit_id", type: .bigint, .notNull)
            .column("colour", type: .text, .notNull)
            .column("points", type: .double, .notNull)
            .column("reason", type: .text, .notNull)
            .column("case_id", type: .bigint, .references("cases", "id"))
            .column("by_user_id", type: .bigint, .notNull, .references("users", "id"))
            .column("at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "assessment_cards_period").on("assessment_cards").column("period").column("unit_kind").run()

        try await db.create(table: "assessment_periods")
            .column("period", type: .text, .primaryKey(autoIncrement: false))
            .column("closed_at", type: .bigint, .notNull)
            .column("closed_by_user_id", type: .bigint, .notNull, .references("users", "id"))
            .column("settings", type: .text, .notNull)
            .run()

        try await db.create(table: "assessment_facts")
            .column("period", type: .text, .notNull)
            .column("case_id", type: .bigint, .notNull)
            .column("title", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("channel", type: .text, .notNull)
            .column("department_id", type: .bigint)
            .column("town_id", type: .bigint, .notNull)
            .column("village_id", type: .bigint, .notNull)
            .column("grid_id", type: .bigint, .notNull)
            .column("reporter_user_id", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .column("accepted_at", type: .bigint)
            .column("assigned_at", type: .bigint)
            .column("signed_at", type: .bigint)
            .column("handled_at", type: .bigint)
            .column("due_at", type: .bigint, .notNull)
            .column("rating", type: .text)
            .column("return_count", type: .int, .notNull)
            .column("rework_count", type: .int, .notNull)
            .column("verified", type: .int, .notNull)
            .column("verifier_user_id", type: .bigint)
            .column("verified_at", type: .bigint)
            .column("dispatcher_user_id", type: .bigint)
            .column("dispatched_at", type: .bigint)
            .column("joint", type: .int, .notNull)
            .primaryKey("period", "case_id")
            .run()
        for column in ["department_id", "town_id", "village_id", "grid_id", "reporter_user_id", "verifier_user_id", "dispatcher_user_id"] {
            try await db.create(index: "assessment_facts_\(column)").on("assessment_facts").column("period").column(column).run()
        }

        try await db.create(table: "assessment_assists")
            .column("period", type: .text, .notNull)
            .column("case_id", type: .bigint, .notNull)
            .column("department_id", type: .bigint, .notNull)
            .column("reported_at", type: .bigint)
            .primaryKey("period", "case_id", "department_id")
            .run()
        try await db.create(index: "assessment_assists_department").on("assessment_assists").column("period").column("department_id").run()

        try await db.create(table: "assessment_results")
            .column("period", type: .text, .notNull)
            .column("unit_kind", type: .text, .notNull)
            .column("unit_id", type: .bigint, .notNull)
            .column("indicator", type: .text, .notNull)
            .column("numerator", type: .bigint, .notNull)
            .column("denominator", type: .bigint, .notNull)
            .primaryKey("period", "unit_kind", "unit_id", "indicator")
            .run()
    }
}
