import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// An Excel workbook imports as its CSV does: `cases.xlsx` is `cases.csv` kept in a spreadsheet
/// (`make-xlsx.py`), its times Excel dates, its grid codes and phones numbers, its header inline
/// strings and its texts shared ones.
extension ImportTests {
    @Test func aWorkbooksFirstSheetReadsAsTheSameRowsAsItsCSV() throws {
        let sheet = try Spreadsheet.records(xlsx: Data(try Self.fixture("cases.xlsx")))
        let csv = CSV.records(try Self.fixture("cases.csv"))
        func withoutTrailingEmpties(_ cells: [String]) -> [String] { Array(cells.reversed().drop { $0.isEmpty }.reversed()) }
        #expect(sheet.map(\.line) == csv.map(\.line))
        for (read, expected) in zip(sheet, csv) {
            #expect(withoutTrailingEmpties(read.cells) == withoutTrailingEmpties(expected.cells), "line \(expected.line)")
        }
        #expect(sheet[1].cells[1] == "2025-03-12 09:30" && sheet[1].cells[7] == "379901001201001" && sheet[1].cells[4] == "路灯不亮")
    }

    @Test(arguments: TestDatabases.kinds)
    func casesFromAWorkbookAreWrittenAsFromTheirCSV(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let read = CaseImport.rows(csv: try ImportRecord.table(try Self.fixture("cases.xlsx"), named: "cases.xlsx"))
            let outcome = try await city.services.caseHistoryImport.importCases(read.rows, by: try await city.principal("admin"))
            #expect(outcome.problems.isEmpty && outcome.written == 4)
            let archived = try #require(try await city.cases.record(id: 90_000_001))
            #expect(archived.createdAt == CaseImport.date("2025-03-12 09:30", timeZone: city.services.calendar.timeZone))
            #expect(archived.file.status == .archived)
        }
    }

    @Test func aFileThatIsNoWorkbookIsRefusedWhole() throws {
        #expect(throws: Spreadsheet.Unreadable.self) { try ImportRecord.table(try Self.fixture("cases.csv"), named: "cases.xlsx") }
    }
}
