import SQLKit

/// The risk picture (四情三色):
/// - `risk_standings`: each matter's colour as it stands (an area, a dispute, a petition), its
///   reasons, owner and follow-up; a row once a matter was first coloured, kept when it is green
///   again so its version goes on counting;
/// - `risk_changes`: every change of colour, append-only, numbered by the standing's version;
/// - `risk_warnings`: a warning per receiving post and change of colour to red, read or not,
///   written in the change's transaction so a warning is never lost nor sent twice.
struct Migration027Risk: Migration {
    let name = "027_risk"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "risk_standings")
            .column("matter_kind", type: .text, .notNull)
            .column("matter_id", type: .bigint, .notNull)
            .column("area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("colour", type: .text, .notNull)
            .column("reasons", type: .text, .notNull)
            .column("since", type: .bigint, .notNull)
            .column("owner_role", type: .text)
            .column("owner_area_id", type: .bigint)
            .column("follow_up_due_at", type: .bigint)
            .column("follow_up_done_at", type: .bigint)
            .column("follow_up_note", type: .text)
            .column("version", type: .int, .notNull)
            .primaryKey("matter_kind", "matter_id")
            .run()
        try await db.create(index: "risk_standings_colour").on("risk_standings").column("colour").run()

        try await db.create(table: "risk_changes")
            .column("matter_kind", type: .text, .notNull)
            .column("matter_id", type: .bigint, .notNull)
            .column("sequence", type: .int, .notNull)
            .column("from_colour", type: .text, .notNull)
            .column("to_colour", type: .text, .notNull)
            .column("reasons", type: .text, .notNull)
            .column("owner_role", type: .text)
            .column("owner_area_id", type: .bigint)
            .column("follow_up_due_at", type: .bigint)
            .column("follow_up_note", type: .text)
            .column("by_user_id", type: .bigint)
            .column("at", type: .bigint, .notNull)
            .primaryKey("matter_kind", "matter_id", "sequence")
            .run()

        try await db.create(table: "risk_warnings")
            .column("post_id", type: .bigint, .notNull, .references("posts", "id"))
            .column("matter_kind", type: .text, .notNull)
            .column("matter_id", type: .bigint, .notNull)
            .column("sequence", type: .int, .notNull)
            .column("area_id", type: .bigint, .notNull)
            .column("colour", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("read_at", type: .bigint)
            .primaryKey("post_id", "matter_kind", "matter_id", "sequence")
            .run()
    }
}
