import HTTPTypes
import Hummingbird

/// The two shapes of every download, asked for the same way everywhere (`?format=`): a
/// spreadsheet (CSV: UTF-8 with a byte order mark, CRLF, a header row in the reader's language)
/// or NDJSON (one JSON object a line, as the JSON answer writes it).
public enum ExportFormat: String, CaseIterable, Sendable {
    case csv, ndjson

    var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .ndjson: "application/x-ndjson; charset=utf-8"
        }
    }

    /// The format a request's `format` names; nil when it names none.
    static func asked(_ parameters: Parameters) throws -> ExportFormat? {
        guard let name = parameters.get("format") else { return nil }
        guard let format = ExportFormat(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError(.badRequest, code: .invalid, "format '\(name)' is unknown; expected: \(names)", field: "format")
        }
        return format
    }

    /// The headers of a download named `name-YYYYMMDD.csv` (or `.ndjson`).
    func headers(file name: String, day: String) -> HTTPFields {
        [
            .contentType: contentType, .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"\(name)-\(day).\(rawValue)\"",
        ]
    }
}
