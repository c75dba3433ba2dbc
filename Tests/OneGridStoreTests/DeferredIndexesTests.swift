import Foundation
@testable import OneGridStore
import SQLKit
import Testing

/// A bulk write with the cases' indexes built after it leaves the schema, and SQLite's planner
/// statistics, exactly as the migrations left them, also when the write fails.
@Suite struct DeferredIndexesTests {
    struct Refused: Error {}

    @Test(arguments: TestDatabases.kinds)
    func theIndexesComeBackAsTheyWereAfterTheWriteAndAfterAFailure(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            func schema() async throws -> [String] { try await database.secondaryIndexes(of: "cases").map { "\($0.name): \($0.sql)" } }
            func statistics() async throws -> [String] {
                guard kind == .sqlite else { return [] }
                return try await database.reader.raw("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'cases' ORDER BY idx").all()
                    .map { "\(try $0.decode(column: "idx", as: String?.self) ?? "-") \(try $0.decode(column: "stat", as: String.self))" }
            }
            let migrated = try await schema()
            let described = try await statistics()
            #expect(migrated.count >= 10, "the cases table has its list indexes: \(migrated)")
            #expect(kind == .postgres || described.count >= 10)

            let during = try await database.deferringIndexes(of: "cases") { try await schema() }
            #expect(during.isEmpty, "no secondary index of cases while the write runs")
            #expect(try await schema() == migrated)
            #expect(try await statistics() == described)

            await #expect(throws: Refused.self) {
                try await database.deferringIndexes(of: "cases") { () async throws -> Void in throw Refused() }
            }
            #expect(try await schema() == migrated)
            #expect(try await statistics() == described)
        }
    }
}
