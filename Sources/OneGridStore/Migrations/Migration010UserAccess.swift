import SQLKit

/// What an administrator keeps per account beyond its password: when it was disabled (a disabled
/// user neither signs in nor keeps a working session) and when it last signed in.
struct Migration010UserAccess: Migration {
    let name = "010_user_access"

    func prepare(on db: any SQLDatabase) async throws {
        // One column per statement: SQLite alters a table a column at a time.
        try await db.alter(table: "users").column("disabled_at", type: .bigint).run()
        try await db.alter(table: "users").column("last_sign_in_at", type: .bigint).run()
    }
}
