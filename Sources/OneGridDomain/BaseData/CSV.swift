/// Comma-separated values as RFC 4180 writes them and spreadsheets save them: quoted cells may
/// hold commas, quotes and line breaks; a UTF-8 byte order mark is skipped.
public enum CSV {
    public struct Record: Sendable, Hashable {
        /// The file's line the record starts on (1-based), to name it in a report.
        public var line: Int
        public var cells: [String]

        public init(line: Int, cells: [String]) {
            self.line = line
            self.cells = cells
        }

        /// The cell at a column, without the spaces around it ("" past the row's end).
        public func trimmed(_ index: Int?) -> String {
            guard let index, index < cells.count else { return "" }
            return CSV.trimmed(cells[index])
        }
    }

    /// A cell without the spaces (and line breaks) around it, as `trimmingCharacters` gives it but
    /// without its trip through NSString: an import of a million rows trims ten million cells.
    public static func trimmed(_ cell: String) -> String {
        let scalars = cell.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex { !$0.properties.isWhitespace }!
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return cell }
        return String(scalars[first...last])
    }

    /// The records of a file, read over its bytes (a million rows take seconds, not minutes).
    public static func records(_ bytes: [UInt8]) -> [Record] {
        var records: [Record] = []
        var cells: [String] = []
        var cell: [UInt8] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var recordLine = 1
        var quoted = false
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        func endCell() {
            cells.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endCell()
            // A blank line (a spreadsheet's trailing ones) is no record.
            if !(cells.count == 1 && cells[0].isEmpty) { records.append(Record(line: recordLine, cells: cells)) }
            cells.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == quote {
                    if index < bytes.count, bytes[index] == quote {
                        cell.append(quote)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    cell.append(byte)
                }
                continue
            }
            switch byte {
            case quote where cell.isEmpty: quoted = true
            case comma: endCell()
            case cr where index < bytes.count && bytes[index] == lf: continue
            case cr, lf:
                endRecord()
                line += 1
                recordLine = line
            default: cell.append(byte)
            }
        }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        return records
    }

    /// One line of cells, quoted where they must be and ended by CRLF. A cell starting like a
    /// formula gets a leading apostrophe: a spreadsheet would run it.
    public static func line(_ cells: [String]) -> [UInt8] {
        let special: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
        let written = cells.map { cell in
            let cell = cell.first.map { "=+-@".contains($0) } == true ? "'" + cell : cell
            return cell.utf8.contains(where: special.contains) ? "\"" + cell.replacing("\"", with: "\"\"") + "\"" : cell
        }
        return Array(written.joined(separator: ",").utf8) + [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    }

    /// Excel reads a CSV without a byte order mark in the system's code page, garbling Chinese.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}
