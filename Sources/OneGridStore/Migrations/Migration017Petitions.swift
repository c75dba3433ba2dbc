import SQLKit

/// The petition procedure's own record beside its case (信访工作条例):
/// - `petitions`: one row per petition case, the record as JSON with the columns lists and the
///   desk search by (stage, holding unit);
/// - `petitioner_ids`: the petitioners' ID numbers, to find the same people's earlier petitions;
/// - `petition_steps`: every step taken, in order, with its text as the petitioner was told it;
/// - `petition_misses`: every limit missed, against the unit that missed it (Art. 44), once per
///   limit and due time, whichever of the late step or the sweep finds it first.
struct Migration017Petitions: Migration {
    let name = "017_petitions"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "petitions")
            .column("case_id", type: .bigint, .primaryKey(autoIncrement: false), .references("cases", "id"))
            .column("stage", type: .text, .notNull)
            .column("registering_unit", type: .text, .notNull)
            .column("handling_unit", type: .text)
            .column("received_at", type: .bigint, .notNull)
            .column("version", type: .int, .notNull)
            .column("record", type: .text, .notNull)
            .run()
        try await db.create(index: "petitions_handling_unit").on("petitions").column("handling_unit").column("stage").run()
        try await db.create(index: "petitions_registering_unit").on("petitions").column("registering_unit").column("stage").run()

        try await db.create(table: "petitioner_ids")
            .column("id_number", type: .text, .notNull)
            .column("case_id", type: .bigint, .notNull, .references("petitions", "case_id"))
            .primaryKey(["id_number", "case_id"])
            .run()

        try await db.create(table: "petition_steps")
            .column("case_id", type: .bigint, .notNull, .references("petitions", "case_id"))
            .column("sequence", type: .int, .notNull)
            .column("step", type: .text, .notNull)
            .column("from_stage", type: .text)
            .column("to_stage", type: .text, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("unit", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("text", type: .text)
            .column("details", type: .text, .notNull)
            .primaryKey(["case_id", "sequence"])
            .run()

        try await db.create(table: "petition_misses")
            .column("case_id", type: .bigint, .notNull, .references("petitions", "case_id"))
            .column("limit_kind", type: .text, .notNull)
            .column("due_at", type: .bigint, .notNull)
            .column("unit", type: .text, .notNull)
            .column("recorded_at", type: .bigint, .notNull)
            .primaryKey(["case_id", "limit_kind", "due_at"])
            .run()
        try await db.create(index: "petition_misses_unit").on("petition_misses").column("unit").column("due_at").run()
    }
}
