import Foundation
import OneGridDomain
@testable import OneGridStore
import SQLKit
import Testing

/// `CaseRow`'s column table is the `cases` table: the migrations made the same columns in the
/// same order, a row goes in and comes back whole, and a step writes exactly the changeable ones.
@Suite struct CaseRowTests {
    /// A row whose every column holds a value of its own, different for each `n` (0 or 1), and
    /// one that reads back into a case.
    static func row(_ n: Int) throws -> CaseRow {
        var json: [String: Any] = [:]
        for (index, column) in CaseRow.table.enumerated() {
            let number = Int64(n * 1000 + index + 1)
            json[column.stringValue] =
                switch column {
                case .status: CaseStatus.allCases[n + 2].rawValue
                case .platform: Platform.allCases[n].rawValue
                case .channel: Channel.allCases[n].rawValue
                case .handlingLevel: AdminLevel.allCases[n].rawValue
                case .finalLevel: AdminLevel.allCases[n + 2].rawValue
                case .rating: Rating.allCases[n].rawValue
                case .legalRoute: LegalRoute.allCases[n].rawValue
                case .clockStage: DeadlineStage.allCases[n].rawValue
                case .alertSent: AlertKind.allCases[n].rawValue
                case .title, .description, .address, .reporterName, .reporterPhone, .reporterIdNumber, .lastHash:
                    "\(column.stringValue) \(n)"
                // Quarters are exact in binary, so they compare equal after a round trip.
                case .lat, .lng, .clockYellowShare: Double(number) / 4
                default: number
                }
        }
        return try JSONDecoder().decode(CaseRow.self, from: JSONSerialization.data(withJSONObject: json))
    }

    static func text(_ row: CaseRow, _ column: CaseRow.Column) -> String { "\(row.value(column))" }

    @Test func aStepWritesEveryChangeableColumnFromTheCaseFileAndNoOther() throws {
        let before = try Self.row(0)
        let after = try Self.row(1)
        var written = before
        written.apply(try after.record(assists: []).file)
        // The timeline's head and the time of the change are the step's own, set beside `apply`.
        let setByTheStep: Set<CaseRow.Column> = [.updatedAt, .eventCount, .lastHash]
        for column in CaseRow.table {
            let expected = column.isChangeable && !setByTheStep.contains(column) ? after : before
            #expect(Self.text(written, column) == Self.text(expected, column), "\(column.stringValue)")
            #expect(Self.text(before, column) != Self.text(after, column), "the fixture differs in \(column.stringValue)")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func theColumnTableIsTheMigratedTable(kind: OneGridDatabase.Kind) async throws {
        struct Column: Decodable {
            var name: String
            var required: Int
        }
        try await TestDatabases.withDatabase(kind) { database in
            let query: SQLQueryString =
                switch kind {
                case .sqlite: #"SELECT name, "notnull" AS required FROM pragma_table_info('cases') ORDER BY cid"#
                case .postgres:
                    "SELECT column_name AS name, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS required "
                        + "FROM information_schema.columns WHERE table_name = 'cases' AND table_schema = current_schema() "
                        + "ORDER BY ordinal_position"
                }
            let columns = try await database.reader.raw(query).all(decoding: Column.self)
            #expect(columns.map(\.name) == CaseRow.columns)
            let row = try Self.row(0)
            // The id is optional only until the database assigns it.
            for (column, stored) in zip(CaseRow.table, columns) where column != .id {
                let optional = row.value(column) is any OptionalProtocol
                #expect(optional == (stored.required == 0), "\(stored.name): NULL allowed in the table and the row alike")
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRowGoesInAndComesBackWhole(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            var row = try Self.row(1)
            row.categoryId = try #require(city.directory.categories.keys.min())
            try await city.database.transaction { [row] db in
                try await db.insert(into: "cases").columns(CaseRow.columns).values(row.values).run()
            }
            let read = try #require(
                try await city.database.reader.select().columns("*").from("cases").where("id", .equal, row.id)
                    .first().map({ try CaseRow(row: $0) }))
            for column in CaseRow.table {
                #expect(Self.text(read, column) == Self.text(row, column), "\(column.stringValue)")
            }
        }
    }
}
