import Foundation
import Hummingbird

/// A `multipart/form-data` body (RFC 7578) as HTML forms send it: each part's field name, its
/// file name when it is a file, and its bytes. Just what the pages' upload forms need.
struct Multipart {
    struct Part {
        var name: String
        var filename: String?
        var bytes: [UInt8]
    }

    var parts: [Part] = []

    /// The boundary of a `multipart/form-data` content type, or nil for another type.
    static func boundary(of contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            let value = piece.dropFirst("boundary=".count)
            return String(value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? value.dropFirst().dropLast() : value)
        }
        return nil
    }

    /// Splits the body on its boundary; a body that does not follow the format is a bad request.
    init(_ body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        let blank = Array("\r\n\r\n".utf8)
        var cursor = 0
        guard let first = Self.find(delimiter, in: body, from: 0) else { throw Self.malformed }
        cursor = first + delimiter.count
        while cursor + 2 <= body.count, body[cursor] != UInt8(ascii: "-") {
            cursor += 2 // CRLF after the delimiter
            guard let headerEnd = Self.find(blank, in: body, from: cursor),
                let next = Self.find(Array("\r\n".utf8) + delimiter, in: body, from: headerEnd + blank.count)
            else { throw Self.malformed }
            let headers = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                let name = Self.parameter("name", in: disposition)
            else { throw Self.malformed }
            parts.append(Part(name: name, filename: Self.parameter("filename", in: disposition), bytes: Array(body[(headerEnd + blank.count)..<next])))
            cursor = next + 2 + delimiter.count
        }
    }

    private static let malformed = HTTPError(.badRequest, message: "the form's multipart body is malformed")

    private static func parameter(_ key: String, in header: Substring) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = String(pair[1])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.replacingOccurrences(of: "%22", with: "\"")
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}
