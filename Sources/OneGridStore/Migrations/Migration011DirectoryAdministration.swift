import SQLKit

/// What the administration of the directory keeps: when an area or a department was retired
/// (both stay, for the cases that name them), and one version number bumped in the same
/// transaction as every administrative change, which each server polls to know when to reload
/// its directory held in memory.
struct Migration011DirectoryAdministration: Migration {
    let name = "011_directory_administration"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "areas").column("retired_at", type: .bigint).run()
        try await db.alter(table: "departments").column("retired_at", type: .bigint).run()
        // One row: an UPDATE of it also serialises administrative changes across servers.
        try await db.create(table: "directory_version")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("version", type: .bigint, .notNull)
            .run()
        try await db.insert(into: "directory_version").columns("id", "version").values(SQLBind(1), SQLBind(0)).run()
    }
}
