import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// Loading a city from files (`onegrid import`) on both databases, with the sample files the
/// README's commands use (Tests/Fixtures/import): a file with a bad row writes nothing and names
/// every bad row; `partial` writes exactly the good ones; imported cases pass the audit; a second
/// import of the same cases is refused row by row and writes nothing twice.
@Suite struct ImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/import")

    static func fixture(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: fixtures.appendingPathComponent(name))) }

    static func csvRows(_ name: String) throws -> (rows: [CaseImport.Row], problems: [ImportProblem]) {
        CaseImport.rows(csv: CSV.records(try fixture(name)))
    }

    @Test(arguments: TestDatabases.kinds)
    func aCaseFileWithBadRowsNamesEachAndWritesNothingUnlessPartial(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let importer = city.services.caseHistoryImport
            let read = try Self.csvRows("cases-with-errors.csv")
            let refused = try await importer.importCases(read.rows, by: admin)
            #expect(refused.written == 0)
            #expect(
                refused.problems.map { "\($0.line) \($0.field)" } == ["3 number", "4 reportedAt", "5 category", "6 grid", "7 closedAt", "7 result", "8 number"])
            #expect(refused.problems.first { $0.line == 8 }?.expected.contains("line 2") == true)
            #expect(try await city.count("cases") == 0)
            #expect(try await city.count("case_events") == 0)

            let partial = try await importer.importCases(read.rows, partial: true, by: admin)
            #expect(partial.written == 2 && partial.problems.count == 7)
            let ids = try await city.database.reader.select().column("id").from("cases").orderBy("id").all(decodingColumn: "id", as: Int64.self)
            #expect(ids == [90_000_021, 90_000_028])
            let audit = try await city.cases.verifyTimelines()
            #expect(audit.checkedCases == 2 && audit.findings.isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func importedCasesKeepNumberDatesAndStatusPassTheAuditAndAreNotTakenTwice(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let importer = city.services.caseHistoryImport
            let read = try Self.csvRows("cases.csv")
            let outcome = try await importer.importCases(read.rows, by: admin)
            #expect(outcome.problems.isEmpty)
            #expect(outcome.written == 4)
            let ndjson = CaseHistoryImport.rows(ndjson: Data(try Self.fixture("cases.ndjson")))
            #expect(ndjson.problems.isEmpty)
            #expect(try await importer.importCases(ndjson.rows, by: admin).written == 2)

            let archived = try #require(try await city.cases.record(id: 90_000_001))
            #expect(archived.file.status == .archived)
            #expect(archived.file.rating == .satisfied)
            #expect(archived.createdAt == CaseImport.date("2025-03-12 09:30", timeZone: city.services.calendar.timeZone))
            #expect(CaseNumber.of(id: archived.id, createdAt: archived.createdAt, calendar: city.services.calendar) == "20250312-90000001")
            #expect(try #require(try await city.cases.record(id: 90_000_004)).file.status == .assigned)
            #expect(try #require(try await city.cases.record(id: 90_000_003)).file.status == .rejected)
            #expect(try #require(try await city.cases.record(id: 90_000_011)).file.closedAt == CaseImport.date("2025-05-03T09:00:00+08:00", timeZone: .gmt))

            let audit = try await city.cases.verifyTimelines()
            #expect(audit.checkedCases == 6 && audit.findings.isEmpty)

            // The same file again: every row is already a case, and nothing is written twice.
            let again = try await importer.importCases(read.rows, by: admin)
            #expect(again.written == 0)
            #expect(again.problems.map(\.line) == [2, 3, 4, 5])
            #expect(again.problems.allSatisfy { $0.field == "number" && $0.expected.contains("not yet recorded") })
            #expect(try await city.count("cases") == 6)

            // Intake after an import goes on above the imported numbers.
            let next = try await city.report(title: "新的路灯报修")
            #expect(next.id > 90_000_011)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aGridFileWithABadFeatureWritesNoGridUnlessPartial(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let good = try JSONSerialization.jsonObject(with: Data(try Self.fixture("grids.geojson"))) as! [String: Any]
            var features = good["features"] as! [Any]
            features.append(["type": "Feature", "properties": ["villageCode": "379901001201", "code": "37990100120109", "name": "坏"], "geometry": NSNull()])
            let file = Array(try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features]))
            let areas = city.services.administrationAreas
            let refused = try await areas.uploadGrids(file, partial: false, by: admin)
            #expect(refused.accepted.isEmpty)
            #expect(refused.refused.map { "\($0.feature) \($0.reason)" } == ["2 codeFormat"])
            #expect(try await city.database.reader.select().column("id").from("areas").where("code", .equal, "379901001201099").first() == nil)
            let partial = try await areas.uploadGrids(file, partial: true, by: admin)
            #expect(partial.accepted.map(\.code) == ["379901001201099"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aResidentFileWrittenPartiallyHoldsExactlyItsGoodRows(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let data = city.services.gridBaseData
            var text = String(decoding: try Self.fixture("residents.csv"), as: UTF8.self)
            text += "379901001201001,F3,三组1号,,周五,379901197001011239,,户主,普通人员,户籍\n"
            let file = Array(text.utf8)
            let refused = try await data.importResidents(file, by: admin)
            #expect(refused.residents == 0 && refused.problems.map { "\($0.line) \($0.field)" } == ["6 idNumber"])
            #expect(try await city.count("residents") == 0)
            let partial = try await data.importResidents(file, partial: true, by: admin)
            #expect(partial.residents == 4 && partial.households == 2)
            #expect(try await city.count("residents") == 4)
            let again = try await data.importResidents(try Self.fixture("residents.csv"), partial: true, by: admin)
            #expect(again.residents == 0 && again.problems.count == 4)
            #expect(try await city.count("residents") == 4)
        }
    }
}
