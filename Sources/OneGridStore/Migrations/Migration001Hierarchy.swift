import SQLKit

/// Areas (city → grid) with grid boundaries, departments and the category tree.
struct Migration001Hierarchy: Migration {
    let name = "001_hierarchy"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "areas")
            .column("id", type: .bigint, .primaryKey)
            .column("code", type: .text, .notNull, .unique)
            .column("name", type: .text, .notNull)
            .column("level", type: .text, .notNull)
            .column("parent_id", type: .bigint, .references("areas", "id"))
            // Grids only: households served, rural/urban/dedicated, the boundary ring as JSON
            // and its bounding box.
            .column("households", type: .int)
            .column("grid_kind", type: .text)
            .column("boundary", type: .text)
            .column("min_lat", type: .double)
            .column("max_lat", type: .double)
            .column("min_lng", type: .double)
            .column("max_lng", type: .double)
            .run()
        try await db.create(index: "areas_parent").on("areas").column("parent_id").run()

        try await db.create(table: "departments")
            .column("id", type: .bigint, .primaryKey)
            .column("name", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("area_id", type: .bigint, .notNull, .references("areas", "id"))
            .column("level", type: .text, .notNull)
            .run()
        try await db.create(index: "departments_area_kind").on("departments").column("area_id").column("kind").run()

        try await db.create(table: "categories")
            .column("id", type: .bigint, .primaryKey)
            .column("code", type: .text, .notNull, .unique)
            .column("name", type: .text, .notNull)
            .column("parent_id", type: .bigint, .references("categories", "id"))
            .column("platform", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("handling_level", type: .text, .notNull)
            .column("department_kind", type: .text)
            .column("acceptance_limit", type: .text, .notNull)
            .column("signing_limit", type: .text, .notNull)
            .column("handling_limit", type: .text, .notNull)
            .column("escalates_when_overdue", type: .int, .notNull)
            .run()
    }
}
