import Foundation
import Hummingbird

/// A posted HTML form (`application/x-www-form-urlencoded`, or `multipart/form-data` when it
/// sends files): every value of every field, in order, and the files.
struct FormData: Sendable {
    struct File: Sendable {
        var field: String
        var name: String
        var bytes: [UInt8]
    }

    private var values: [String: [String]] = [:]
    /// The files chosen in the form's file inputs; an input left empty sends none.
    private(set) var files: [File] = []
    /// The largest form with files read: several photos at their limit each. A form without
    /// files stays under the context's small limit.
    static let uploadLimit = 64 << 20

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            values[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Reads the body once; it stays collected on the request for the handler that runs after.
    init(request: inout Request, context: some RequestContext) async throws {
        guard let boundary = request.headers[.contentType].flatMap(Multipart.boundary(of:)) else {
            let buffer = try await request.collectBody(upTo: context.maxUploadSize)
            self.init(String(buffer: buffer))
            return
        }
        let buffer = try await request.collectBody(upTo: Self.uploadLimit)
        self.init("")
        for part in try Multipart(Array(buffer.readableBytesView), boundary: boundary).parts {
            if let filename = part.filename {
                if !filename.isEmpty || !part.bytes.isEmpty { files.append(File(field: part.name, name: filename, bytes: part.bytes)) }
            } else {
                values[part.name, default: []].append(String(decoding: part.bytes, as: UTF8.self))
            }
        }
    }

    /// The first value of a field, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        values[name]?.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func all(_ name: String) -> [String] {
        (values[name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
