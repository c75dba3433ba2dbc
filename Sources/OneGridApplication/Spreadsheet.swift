public import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
public import OneGridDomain
import ZIPFoundation

/// The first worksheet of an Excel workbook (.xlsx) as the records of a CSV file, so every
/// import reads it as it reads CSV: shared and inline strings, numbers (whole ones without a
/// decimal point, so a division code stays a code) and dates (`2025-03-12 09:30`, the city's
/// time, as a spreadsheet shows them). A record's line is the sheet's row number; formulas give
/// their cached value. No maintained reader of the format is at hand, and the part we need is small.
public enum Spreadsheet {
    /// Why a file could not be read as a workbook.
    public struct Unreadable: Error, CustomStringConvertible {
        public var description: String
    }

    public static func records(xlsx data: Data) throws -> [CSV.Record] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Unreadable(description: "not an Excel workbook (.xlsx): \(error)")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            return bytes
        }
        guard let workbook = try part("xl/workbook.xml"), let relations = try part("xl/_rels/workbook.xml.rels") else {
            throw Unreadable(description: "not an Excel workbook (.xlsx): no xl/workbook.xml")
        }
        let firstSheet = try Elements(workbook, named: ["sheet"]).found.first?.attributes["r:id"]
        let target = try Elements(relations, named: ["Relationship"]).found.first { $0.attributes["Id"] == firstSheet }?.attributes["Target"]
        guard let target else { throw Unreadable(description: "a workbook without a worksheet") }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheet = try part(sheetPath) else { throw Unreadable(description: "a workbook without its worksheet \(sheetPath)") }
        let strings = try part("xl/sharedStrings.xml").map { try SharedStrings($0).strings } ?? []
        let dateStyles = try part("xl/styles.xml").map { try Self.dateStyles($0) } ?? []
        return try Sheet(sheet, strings: strings, dateStyles: dateStyles).records
    }

    // MARK: Parts

    private static func parse(_ data: Data, with delegate: any XMLParserDelegate) throws {
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else { throw Unreadable(description: "a damaged workbook: \(parser.parserError.map(String.init(describing:)) ?? "its XML does not parse")") }
    }

    /// The attributes of every element of the given names, in document order.
    private final class Elements: NSObject, XMLParserDelegate {
        let names: Set<String>
        var found: [(name: String, attributes: [String: String])] = []

        init(_ data: Data, named names: Set<String>) throws {
            self.names = names
            super.init()
            try Spreadsheet.parse(data, with: self)
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if names.contains(name) { found.append((name, attributes)) }
        }
    }

    /// The shared strings: each `si`'s text, its rich-text runs joined, its phonetic guide left out.
    private final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        private var current = ""
        private var inText = false
        private var inPhonetic = false

        init(_ data: Data) throws {
            super.init()
            try Spreadsheet.parse(data, with: self)
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch name {
            case "si": current = ""
            case "rPh": inPhonetic = true
            case "t": inText = !inPhonetic
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "si": strings.append(current)
            case "rPh": inPhonetic = false
            case "t": inText = false
            default: break
            }
        }
    }

    /// The cell styles (`cellXfs`, by index) whose number format shows a date or a time: Excel's
    /// built-in ones (14–22, 45–47) and custom formats with day, month, year or hour codes.
    private static func dateStyles(_ styles: Data) throws -> Set<Int> {
        let elements = try Elements(styles, named: ["numFmt", "cellXfs", "xf"]).found
        var dateFormats: Set<Int> = Set(14...22).union(45...47)
        for (name, format) in elements where name == "numFmt" {
            // Quoted text and colours are not codes: "[Red]" or "\"d\"" hold no date.
            let code = (format["formatCode"] ?? "").replacing(/"[^"]*"|\[[^\]]*\]/, with: "").lowercased()
            if let id = format["numFmtId"].flatMap(Int.init), code.contains(where: { "ymdh".contains($0) }) { dateFormats.insert(id) }
        }
        // The `xf`s after `cellXfs` begins are the cell styles; those before it, `cellStyleXfs`.
        guard let start = elements.firstIndex(where: { $0.name == "cellXfs" }) else { return [] }
        let cellStyles = elements[(start + 1)...].filter { $0.name == "xf" }.map { $0.attributes["numFmtId"].flatMap(Int.init) ?? 0 }
        return Set(cellStyles.indices.filter { dateFormats.contains(cellStyles[$0]) })
    }

    /// A worksheet's rows: each cell's value by its column letters, missing cells empty.
    private final class Sheet: NSObject, XMLParserDelegate {
        let strings: [String]
        let dateStyles: Set<Int>
        var records: [CSV.Record] = []
        private var row: [Int: String] = [:]
        private var rowNumber = 0
        private var cell: (column: Int, type: String, style: Int)?
        private var text = ""
        private var inValue = false

        init(_ data: Data, strings: [String], dateStyles: Set<Int>) throws {
            self.strings = strings
            self.dateStyles = dateStyles
            super.init()
            try Spreadsheet.parse(data, with: self)
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch name {
            case "row":
                rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
                row = [:]
            case "c":
                let letters = (attributes["r"] ?? "").prefix { $0.isLetter }
                let column = letters.isEmpty ? (row.keys.max() ?? -1) + 1 : letters.reduce(0) { $0 * 26 + Int($1.asciiValue! - 64) } - 1
                cell = (column, attributes["t"] ?? "n", attributes["s"].flatMap(Int.init) ?? 0)
                text = ""
            case "v", "t": inValue = cell != nil
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { text += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t": inValue = false
            case "c":
                if let cell { row[cell.column] = value(text, type: cell.type, style: cell.style) }
                cell = nil
            case "row":
                let width = (row.keys.max() ?? -1) + 1
                let cells = (0..<width).map { row[$0] ?? "" }
                if cells.contains(where: { !$0.isEmpty }) { records.append(CSV.Record(line: rowNumber, cells: cells)) }
            default: break
            }
        }

        private func value(_ text: String, type: String, style: Int) -> String {
            switch type {
            case "s": return Int(text).flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? ""
            case "b": return text == "1" ? "TRUE" : "FALSE"
            case "n":
                guard let number = Double(text) else { return text }
                if dateStyles.contains(style) { return Spreadsheet.date(serial: number) }
                return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : text
            default: return text  // inlineStr, str (a formula's text), e (an error's text)
            }
        }
    }

    /// A date serial (days since 1899-12-30, the fraction the time of day) as the imports read a
    /// time without a zone: in the city's time, which is what the spreadsheet showed.
    static func date(serial: Double) -> String {
        let seconds = Int64((serial * 86_400).rounded())
        let (days, rest) = seconds.quotientAndRemainder(dividingBy: 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let day = calendar.date(byAdding: .day, value: Int(days), to: DateComponents(calendar: calendar, year: 1899, month: 12, day: 30).date!)!
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        let date = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        return rest == 0 ? date : date + String(format: " %02d:%02d", rest / 3_600, rest % 3_600 / 60)
    }
}
