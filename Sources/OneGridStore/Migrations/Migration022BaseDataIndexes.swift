import SQLKit

/// The indexes base data is read by, apart from its tables so the import path and the
/// benchmark can tell what each costs: a grid's residents in order, a name, an ID number (one
/// person each), a household's people, the due visits of a grid, a record's history, visits and
/// cases.
struct Migration022BaseDataIndexes: Migration {
    let name = "022_base_data_indexes"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(index: "residents_grid").on("residents").column("grid_id").column("id").run()
        try await db.create(index: "residents_name").on("residents").column("name").run()
        try await db.create(index: "residents_id_number").unique().on("residents").column("id_number").run()
        try await db.create(index: "residents_household").on("residents").column("household_id").run()
        for table in ["households", "places", "organisations"] {
            try await db.create(index: "\(table)_grid_due").on(table).column("grid_id").column("visit_due_at").run()
        }
        try await db.create(index: "places_grid").on("places").column("grid_id").column("id").run()
        try await db.create(index: "organisations_grid").on("organisations").column("grid_id").column("id").run()
        try await db.create(index: "base_changes_subject").on("base_changes").column("subject").column("subject_id").column("id").run()
        try await db.create(index: "case_subjects_subject").on("case_subjects").column("subject").column("subject_id").column("linked_at").run()
        try await db.create(index: "visits_subject").on("visits").column("subject").column("subject_id").column("visited_at").run()
        try await db.create(index: "visits_grid").on("visits").column("grid_id").column("visited_at").run()
        try await db.create(index: "visits_case").on("visits").column("case_id").run()
    }
}
