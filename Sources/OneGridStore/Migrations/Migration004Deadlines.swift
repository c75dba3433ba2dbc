import SQLKit

/// Clocks that run by themselves: each case's running stage clock and the alerts it has had,
/// suspension and extension shifts; the inbox; outgoing webhooks and their delivery queue; and
/// settings such as the city's working calendar.
struct Migration004Deadlines: Migration {
    let name = "004_deadlines"

    func prepare(on db: any SQLDatabase) async throws {
        // One column per ALTER: SQLite adds columns one at a time.
        let columns: [(String, SQLDataType, [SQLColumnConstraintAlgorithm])] = [
            ("clock_stage", .text, []),
            ("clock_started_at", .bigint, []),
            ("clock_yellow_share", .double, []),
            ("alert_sent", .text, []),
            // When the sweeper must next look at the case; NULL when no alert can follow.
            ("next_alert_at", .bigint, []),
            ("suspended_at", .bigint, []),
            // Time added to the running clock by suspensions and approved extensions.
            ("clock_shift_millis", .bigint, [.notNull, .default(0)]),
            ("extension_count", .int, [.notNull, .default(0)]),
        ]
        for (name, type, constraints) in columns {
            try await db.alter(table: "cases").column(name, type: type, constraints).run()
        }
        try await db.create(index: "cases_next_alert").on("cases").column("next_alert_at").run()
        // Notifications go to a department's people.
        try await db.create(index: "posts_department").on("posts").column("department_id").run()

        try await db.create(table: "notifications")
            .column("id", type: .bigint, .primaryKey)
            .column("user_id", type: .bigint, .notNull)
            .column("case_id", type: .bigint, .notNull)
            .column("kind", type: .text, .notNull)
            .column("message", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("read_at", type: .bigint)
            .run()
        try await db.create(index: "notifications_user").on("notifications").column("user_id").column("id").run()

        try await db.create(table: "webhooks")
            .column("id", type: .bigint, .primaryKey)
            .column("url", type: .text, .notNull)
            .column("secret", type: .text, .notNull)
            // Comma-separated event kinds, or "*" for all.
            .column("events", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await db.create(table: "webhook_deliveries")
            .column("id", type: .bigint, .primaryKey)
            .column("webhook_id", type: .bigint, .notNull, .references("webhooks", "id"))
            .column("kind", type: .text, .notNull)
            .column("payload", type: .text, .notNull)
            .column("attempts", type: .int, .notNull)
            .column("next_attempt_at", type: .bigint)
            .column("delivered_at", type: .bigint)
            .column("last_error", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "webhook_deliveries_due").on("webhook_deliveries").column("next_attempt_at").run()

        try await db.create(table: "settings")
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("value", type: .text, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
    }
}
