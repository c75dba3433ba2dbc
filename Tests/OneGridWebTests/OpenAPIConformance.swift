import Foundation
@testable import OneGridWeb

/// Checks an answer against the served OpenAPI document: its status is one the operation
/// documents, and a JSON body validates against that status's schema. The JSON-Schema subset
/// the document uses is validated here (`keywords`); a test keeps the document inside it, so
/// no keyword is silently skipped.
struct OpenAPIConformance: Sendable {
    static let served = OpenAPIConformance(document: try! JSONValue(OpenAPIDocument.data))

    /// Keywords checked against a value, and those that only describe.
    static let keywords: Set<String> = [
        "$ref", "type", "enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
        "properties", "required", "additionalProperties", "items", "minItems",
    ]
    static let annotations: Set<String> = ["description", "examples", "title"]

    let document: JSONValue

    /// What is wrong with one answer, each problem naming the field by its path (`$.cases[0].status`);
    /// nothing when it conforms, or when no operation documents the method and path (a route that
    /// does not exist is answered 404 by the router, which the tests check themselves).
    func problems(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let (template, operation) = self.operation(method: method, path: path) else { return [] }
        let where_ = "\(method) \(template) answered \(status)"
        guard let response = operation["responses"]?[String(status)] else {
            return ["\(where_): status \(status) is not documented for this operation"]
        }
        guard let content = response["content"]?.objectValue else {
            return body.isEmpty ? [] : ["\(where_): the document describes no body, but one was sent"]
        }
        let mediaType = contentType.map { String($0.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let media = content[mediaType] else {
            return ["\(where_): content type '\(mediaType)' is not documented (documented: \(content.keys.sorted().joined(separator: ", ")))"]
        }
        guard mediaType == "application/json", let schema = media["schema"] else { return [] }
        let value: JSONValue
        do { value = try JSONValue(body) } catch {
            return ["\(where_): the body is not JSON: \(error)"]
        }
        return validate(value, schema).map { "\(where_): \($0)" }
    }

    /// The operation documented for a method and a concrete path, with its path template. A
    /// concrete path wins over a templated one (`/petitions/limits` over `/petitions/{id}`), as
    /// OpenAPI 3.1 matches them.
    func operation(method: String, path: String) -> (template: String, operation: JSONValue)? {
        let segments = path.prefix { $0 != "?" }.split(separator: "/", omittingEmptySubsequences: false)
        var best: (template: String, item: JSONValue, parameters: Int)?
        for (template, item) in document["paths"]?.objectValue ?? [:] {
            let pattern = template.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == segments.count,
                zip(pattern, segments).allSatisfy({ $0.hasPrefix("{") && $0.hasSuffix("}") && !$1.isEmpty || $0 == $1 })
            else { continue }
            let parameters = pattern.filter { $0.hasPrefix("{") }.count
            if best == nil || parameters < best!.parameters { best = (template, item, parameters) }
        }
        guard let best else { return nil }
        return best.item[method.lowercased()].map { (best.template, $0) }
    }

    /// Problems of a value against a schema, each with the path to the offending field.
    func validate(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        if case .string(let reference)? = schema["$ref"] {
            let name = String(reference.dropFirst("#/components/schemas/".count))
            guard let target = document["components"]?["schemas"]?[name] else { return ["\(path): unknown schema \(reference)"] }
            return validate(value, target, at: path)
        }
        var problems: [String] = []
        if let types = schema["type"] {
            let allowed = types.arrayValue?.compactMap(\.stringValue) ?? types.stringValue.map { [$0] } ?? []
            guard allowed.contains(where: value.isOfType) else {
                return ["\(path): expected \(allowed.joined(separator: " or ")), got \(value.typeName) \(value.brief)"]
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            problems.append("\(path): \(value.brief) is not one of \(allowed.map(\.brief).joined(separator: ", "))")
        }
        switch value {
        case .string(let text):
            if schema["format"]?.stringValue == "date-time", (try? Date(text, strategy: .iso8601)) == nil {
                problems.append("\(path): \(value.brief) is not an RFC 3339 date-time")
            }
            if let pattern = schema["pattern"]?.stringValue, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \(value.brief) does not match \(pattern)")
            }
            if let minimum = schema["minLength"]?.numberValue, Double(text.count) < minimum {
                problems.append("\(path): shorter than \(minimum) characters")
            }
            if let maximum = schema["maxLength"]?.numberValue, Double(text.count) > maximum {
                problems.append("\(path): longer than \(maximum) characters")
            }
        case .integer, .number:
            let number = value.numberValue!
            if let minimum = schema["minimum"]?.numberValue, number < minimum { problems.append("\(path): \(number) is below \(minimum)") }
            if let maximum = schema["maximum"]?.numberValue, number > maximum { problems.append("\(path): \(number) is above \(maximum)") }
        case .array(let elements):
            if let minimum = schema["minItems"]?.numberValue, Double(elements.count) < minimum {
                problems.append("\(path): fewer than \(minimum) items")
            }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() { problems += validate(element, items, at: "\(path)[\(index)]") }
            }
        case .object(let members):
            let properties = schema["properties"]?.objectValue ?? [:]
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                problems.append("\(path).\(name): required but absent")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    problems += validate(member, property, at: "\(path).\(name)")
                } else if case .bool(false)? = schema["additionalProperties"] {
                    problems.append("\(path).\(name): not in the document (the object is closed)")
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    problems += validate(member, additional, at: "\(path).\(name)")
                }
            }
        case .null, .bool:
            break
        }
        return problems
    }
}

/// A JSON value as parsed, keeping integers apart from other numbers and booleans apart from both.
enum JSONValue: Sendable, Equatable, Decodable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(_ data: Data) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? { objectValue?[key] }

    var objectValue: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var numberValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// JSON Schema's types: an integer is also a number, and a number with no fraction an integer.
    func isOfType(_ type: String) -> Bool {
        switch (self, type) {
        case (.null, "null"), (.bool, "boolean"), (.integer, "integer"), (.integer, "number"), (.number, "number"),
            (.string, "string"), (.array, "array"), (.object, "object"):
            true
        case (.number(let value), "integer"): value.rounded() == value
        default: false
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value as a message quotes it.
    var brief: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value.prefix(60))\""
        case .array(let value): "an array of \(value.count)"
        case .object: "an object"
        }
    }
}
