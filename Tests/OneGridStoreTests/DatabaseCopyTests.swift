import Foundation
import Logging
import OneGridDemo
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// A city moved from its SQLite file to PostgreSQL arrives whole: the same rows, chains that
/// verify, the same figures, a text search that finds, and ids that go on from the copied ones.
@Suite struct DatabaseCopyTests {
    static func count(_ table: String, in database: OneGridDatabase) async throws -> Int {
        try await database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Every index and constraint of the target as its catalogue states them.
    static func indexesAndConstraints(of database: OneGridDatabase) async throws -> [String] {
        let rows = try await database.reader.raw(
            """
            SELECT indexname || ': ' || indexdef AS line FROM pg_indexes WHERE schemaname = current_schema()
            UNION ALL SELECT conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = current_schema()::regnamespace ORDER BY line
            """
        ).all()
        return try rows.map { try $0.decode(column: "line", as: String.self) }
    }

    @Test(.enabled(if: TestDatabases.postgresURL != nil, "needs ONEGRID_TEST_POSTGRES_URL"))
    func aCityMovesToPostgreSQLWhole() async throws {
        try await TestDatabases.withDatabase(.sqlite) { source in
            _ = try await DemoCity.build(into: source, size: .tiny, cases: 600, now: TinyCity.now)
            // Text that COPY's format must escape.
            let awkward = "第一行\t制表\\反斜杠\n第二行\r\n完"
            try await source.transaction { db in
                try await db.raw("UPDATE cases SET description = \(bind: awkward) WHERE id = 1").run()
            }
            try await TestDatabases.withDatabase(.postgres) { target in
                let schema = try await Self.indexesAndConstraints(of: target)
                try await DatabaseCopy.copy(from: source, to: target, logger: Logger(label: "test"))
                #expect(try await Self.indexesAndConstraints(of: target) == schema, "the indexes and references dropped for the copy are back as they were")
                for table in ["areas", "departments", "categories", "users", "posts", "cases", "case_events", "case_alerts", "figure_ledger", "settings"] {
                    #expect(try await Self.count(table, in: target) == Self.count(table, in: source), "\(table)")
                }
                let description = try await target.reader.select().column("description").from("cases").where("id", .equal, 1)
                    .first(decodingColumn: "description", as: String.self)
                #expect(description == awkward)

                let audit = try await SQLCaseStore(database: target).verifyTimelines()
                #expect(audit.checkedCases == 600)
                #expect(audit.findings.isEmpty, "\(audit.findings.prefix(3))")

                let all = FigureMonth(year: 2000, month: 1)...FigureMonth(year: 2100, month: 12)
                let city = try #require(try await SQLHierarchyStore(database: source).loadDirectory().areas.values.first { $0.level == .city }).id
                let before = try await SQLFigureStore(database: source).monthly(areaIDs: [city], months: all)
                let after = try await SQLFigureStore(database: target).monthly(areaIDs: [city], months: all)
                #expect(before == after)

                let title = try #require(
                    try await source.reader.select().column("title").from("cases").where("id", .equal, 2).first(decodingColumn: "title", as: String.self))
                var query = CaseQuery()
                query.text = title
                query.limit = 200
                let found = try await SQLCaseStore(database: target).list(query, scope: .area(level: .city, id: city), now: TinyCity.now)
                #expect(found.cases.contains { $0.id == 2 }, "the text search finds a copied case")

                let next = try await target.reader.raw("SELECT nextval(pg_get_serial_sequence('cases', 'id')) AS n")
                    .first(decodingColumn: "n", as: Int64.self)
                #expect((next ?? 0) > 600, "a new case takes an id after the copied ones")

                await #expect(throws: DatabaseCopy.Refusal.self, "a database that holds a city is never overwritten") {
                    try await DatabaseCopy.copy(from: source, to: target, logger: Logger(label: "test"))
                }
            }
        }
    }

    /// Rows of a megabyte each (the audit checkpoints of a city of millions of cases) are read
    /// and sent a few at a time, and arrive whole: a 10,000,000-case city's, sent in one batch,
    /// exceeded PostgreSQL's 1 GB message limit.
    @Test(.enabled(if: TestDatabases.postgresURL != nil, "needs ONEGRID_TEST_POSTGRES_URL"))
    func wideRowsCopyInBatchesOfBoundedSize() async throws {
        try await TestDatabases.withDatabase(.sqlite) { source in
            let document = String(repeating: "检查点", count: 350_000)
            try await source.transaction { db in
                for sequence in 1...40 {
                    try await db.raw(
                        """
                        INSERT INTO audit_checkpoints (sequence, at, through_event_id, root, document)
                        VALUES (\(bind: sequence), \(bind: sequence * 1000), \(bind: sequence), \(bind: "root-\(sequence)"), \(bind: "\(sequence)" + document))
                        """
                    ).run()
                }
            }
            try await TestDatabases.withDatabase(.postgres) { target in
                try await DatabaseCopy.copy(from: source, to: target, logger: Logger(label: "test"))
                let rows = try await target.reader.raw(
                    "SELECT COUNT(*) AS n, SUM(LENGTH(document)) AS characters, MAX(sequence) AS last FROM audit_checkpoints"
                ).first()
                #expect(try rows?.decode(column: "n", as: Int.self) == 40)
                #expect(try rows?.decode(column: "characters", as: Int.self) == (1...40).reduce(0) { $0 + "\($1)".count + document.count })
                #expect(try rows?.decode(column: "last", as: Int.self) == 40)
            }
        }
    }
}
