import OneGridStore
import SQLKit
import Testing

@Suite struct MigratorTests {
    /// A step a later version might add.
    struct AddBulletins: Migration {
        let name = "999_bulletins"

        func prepare(on database: any SQLDatabase) async throws {
            try await database.create(table: "bulletins").column("id", type: .bigint, .primaryKey).run()
        }
    }

    static func applied(_ database: OneGridDatabase) async throws -> [String] {
        try await database.reader.select().column("name").from("onegrid_migrations").orderBy("name")
            .all(decodingColumn: "name", as: String.self)
    }

    @Test(arguments: TestDatabases.kinds)
    func migratingTwiceAppliesEachStepOnce(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind, migrated: false) { database in
            let names = Migrator.all.map(\.name)
            #expect(try await Migrator().migrate(database) == names)
            #expect(try await Migrator().migrate(database) == [])
            #expect(try await Self.applied(database) == names)
            // The schema is there: the store can count its (empty) cases.
            let cases = try await database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("cases").first(decodingColumn: "n", as: Int.self)
            #expect(cases == 0)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aNewerVersionAppliesOnlyItsNewSteps(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            let newer = Migrator(migrations: Migrator.all + [AddBulletins()])
            let ran = try await newer.migrate(database)
            #expect(ran == ["999_bulletins"])
            #expect(try await newer.migrate(database) == [])
            #expect(try await Self.applied(database).last == "999_bulletins")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aDifferentHistoryIsRefusedAndLeftAlone(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            let applied = try await Self.applied(database)
            // A renamed step, and an older binary that knows fewer steps than the database holds.
            let renamed = Migrator(migrations: [AddBulletins()] + Migrator.all.dropFirst())
            let older = Migrator(migrations: Array(Migrator.all.dropLast()))
            for migrator in [renamed, older] {
                let error = await #expect(throws: Migrator.HistoryMismatch.self) { try await migrator.migrate(database) }
                #expect(error?.applied == applied)
                #expect(error?.registered == migrator.migrations.map(\.name))
            }
            #expect(try await Self.applied(database) == applied)
        }
    }
}
