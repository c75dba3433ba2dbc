import Foundation
import Hummingbird

/// A posted HTML form (`application/x-www-form-urlencoded`): every value of every field, in order.
struct FormData: Sendable {
    private var values: [String: [String]] = [:]

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
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        self.init(String(buffer: buffer))
    }

    /// The first value of a field, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        values[name]?.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func all(_ name: String) -> [String] {
        (values[name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
