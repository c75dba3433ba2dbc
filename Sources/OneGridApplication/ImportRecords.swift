public import Foundation
public import OneGridDomain

/// One row of an imported file: its line and its cells by column name, trimmed. A CSV record
/// under its header, or an NDJSON line's object with the same names as keys.
public struct ImportRecord: Sendable {
    public var line: Int
    public var cells: [String: String]

    public init(line: Int, cells: [String: String]) {
        self.line = line
        self.cells = cells
    }

    /// The cell of a column, "" when the row leaves it out.
    public subscript(_ column: String) -> String { cells[column] ?? "" }
}

/// A column of an imported file: its name in code, which a header or a key may use, and its
/// Chinese name, which a header may use instead.
public struct ImportColumn: Sendable, Hashable {
    public var name: String
    public var chineseName: String
    public var required: Bool

    public init(_ name: String, _ chineseName: String, required: Bool = false) {
        self.name = name
        self.chineseName = chineseName
        self.required = required
    }
}

extension ImportRecord {
    /// The records of a CSV file whose header names `columns` (in English or Chinese); other
    /// columns are ignored. A missing required column is refused on the header's line.
    public static func records(csv records: [CSV.Record], columns: [ImportColumn]) -> (records: [ImportRecord], problems: [ImportProblem]) {
        guard let header = records.first else {
            return ([], [ImportProblem(line: 1, field: "file", expected: "a header row and one row per record")])
        }
        var position: [(String, Int)] = []
        for (index, title) in header.cells.enumerated() {
            let title = CSV.trimmed(title)
            if let column = columns.first(where: { $0.name == title || $0.chineseName == title }) { position.append((column.name, index)) }
        }
        let missing = columns.filter { column in column.required && !position.contains { $0.0 == column.name } }
        guard missing.isEmpty else {
            return ([], missing.map { ImportProblem(line: header.line, field: $0.name, expected: "a column named \($0.chineseName) or \($0.name)") })
        }
        let read = records.dropFirst().map { record in
            ImportRecord(line: record.line, cells: Dictionary(position.map { ($0.0, record.trimmed($0.1)) }, uniquingKeysWith: { first, _ in first }))
        }
        return (read, [])
    }

    /// The records of an NDJSON file: one JSON object a line, its values strings or numbers
    /// (null as a missing cell). Only the keys `keeping` accepts are read.
    public static func records(ndjson data: Data, keeping: (String) -> Bool) -> (records: [ImportRecord], problems: [ImportProblem]) {
        var records: [ImportRecord] = []
        var problems: [ImportProblem] = []
        for line in Feeds.lines(ndjson: data) {
            guard case .success(let object) = line.object else {
                problems.append(ImportProblem(line: line.number, field: "line", expected: "one JSON object"))
                continue
            }
            var cells: [String: String] = [:]
            for (key, value) in object where keeping(key) {
                switch value {
                case .string(let text): cells[key] = CSV.trimmed(text)
                case .number(let number) where number == number.rounded() && abs(number) < 1e15: cells[key] = String(Int64(number))
                case .number(let number): cells[key] = String(number)
                case .null: break
                default: problems.append(ImportProblem(line: line.number, field: key, expected: "a string or a number"))
                }
            }
            records.append(ImportRecord(line: line.number, cells: cells))
        }
        return (records, problems)
    }

    /// The records of a file of `columns`: NDJSON by its name (`.ndjson`, `.jsonl`), else a
    /// table (`table(_:named:)`).
    public static func records(_ bytes: [UInt8], named name: String, columns: [ImportColumn]) throws -> (records: [ImportRecord], problems: [ImportProblem]) {
        guard isNDJSON(name) else { return records(csv: try table(bytes, named: name), columns: columns) }
        let names = Set(columns.map(\.name))
        return records(ndjson: Data(bytes), keeping: names.contains)
    }

    /// The rows of a table: the first worksheet of an Excel workbook (`.xlsx`), else CSV.
    public static func table(_ bytes: [UInt8], named name: String) throws -> [CSV.Record] {
        name.lowercased().hasSuffix(".xlsx") ? try Spreadsheet.records(xlsx: Data(bytes)) : CSV.records(bytes)
    }

    public static func isNDJSON(_ name: String) -> Bool { name.hasSuffix(".ndjson") || name.hasSuffix(".jsonl") }
}
