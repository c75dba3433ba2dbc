import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Decodes the JSON body, turning every decoding failure into a 400/422 that names the field
    /// and what was expected, instead of Hummingbird's generic message.
    mutating func decodeJSON<Body: Decodable>(_ type: Body.Type, context: some RequestContext) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, code: .bodyTooLarge, "the body is larger than \(context.maxUploadSize) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, code: .badRequest, "expected a JSON object body")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }
}

extension APIError {
    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self.init(.unprocessableContent, code: .invalid, "\(field) is required", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            self.init(.unprocessableContent, code: .invalid, "\(field) must be a \(Self.name(of: type)), not null", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            self.init(.unprocessableContent, code: .invalid, "\(field.isEmpty ? "the body" : field) must be a \(Self.name(of: type))", field: field.isEmpty ? nil : field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(.badRequest, code: .malformedJSON, "the body is not valid JSON")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            self.init(.unprocessableContent, code: .invalid, "\(field): \(context.debugDescription)", field: field)
        @unknown default:
            self.init(.badRequest, code: .badRequest, "the body could not be read")
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Int64.Type: "integer"
        case is Double.Type: "number"
        case is Bool.Type: "boolean"
        default:
            String(describing: type).hasPrefix("Array") ? "array" : (String(describing: type).hasPrefix("Dictionary") ? "object" : "\(type)")
        }
    }
}
