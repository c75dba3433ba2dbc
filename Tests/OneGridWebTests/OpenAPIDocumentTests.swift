import Foundation
import HTTPTypes
import OneGridDomain
import OneGridStore
@testable import OneGridWeb
import Testing

/// The served OpenAPI document and the router describe the same API, and the document says
/// exactly what the server writes (every answer the web tests receive is checked against it by
/// `API.send`).
@Suite struct OpenAPIDocumentTests {
    let conformance = OpenAPIConformance.served
    var document: JSONValue { conformance.document }

    @Test func everyDocumentedOperationIsRoutedAndEveryRouteDocumented() async throws {
        try await TestApp.run { api, _ in
            let document = try await api.send(.get, "/api/v1/openapi.json")
            #expect(document["openapi"] as? String == "3.1.1")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let token = try await api.signIn("city")
            var operations = 0
            for (path, methods) in paths {
                for method in methods.keys {
                    operations += 1
                    // An event stream answers for as long as the client stays: it is read as a
                    // stream in LiveStreamTests, never as one whole answer.
                    if path == APIRoute.liveCases.path { continue }
                    let concrete = path.replacingOccurrences(of: "{id}", with: "1")
                    let reply = try await api.send(.init(rawValue: method.uppercased())!, concrete, token: token, body: [String: Any]())
                    #expect(reply.errorCode != "routeNotFound", "\(method) \(path) is documented but not routed")
                    #expect(reply.status.code < 500, "\(method) \(path) answered \(reply.status)")
                }
            }
            // Undocumented paths are not routed.
            let stray = try await api.send(.get, "/api/v1/nowhere", token: token)
            #expect(stray.errorCode == "routeNotFound")
            #expect(operations == APIRoute.allCases.count)
        }
    }

    @Test(arguments: APIRoute.allCases) func routeHasItsOperation(_ route: APIRoute) throws {
        let operation = try #require(
            document["paths"]?[route.path]?[route.method.rawValue.lowercased()], "\(route.method) \(route.path) is not documented")
        #expect(operation["operationId"] == .string("\(route)"))
        if route.access != .open {
            #expect(operation["responses"]?["401"] != nil, "\(route) needs a token but does not document 401")
        }
    }

    /// The validator checks the keywords it knows; a keyword it does not know would be skipped
    /// silently, so the document may use no other. And every object is closed, so a field the
    /// document does not list fails the check.
    @Test func everySchemaIsClosedAndWithinTheValidatedSubset() throws {
        var schemas: [(String, JSONValue)] = []
        func collect(_ value: JSONValue, at path: String) {
            switch value {
            case .object(let members):
                if let schema = members["schema"] { walk(schema, at: path + ".schema") }
                for (key, member) in members where key != "schema" { collect(member, at: "\(path).\(key)") }
            case .array(let elements):
                for (index, element) in elements.enumerated() { collect(element, at: "\(path)[\(index)]") }
            default: break
            }
        }
        func walk(_ schema: JSONValue, at path: String) {
            schemas.append((path, schema))
            for (key, member) in schema.objectValue ?? [:] {
                switch key {
                case "properties": for (name, property) in member.objectValue ?? [:] { walk(property, at: "\(path).\(name)") }
                case "items", "additionalProperties": if member.objectValue != nil { walk(member, at: "\(path).\(key)") }
                default: break
                }
            }
        }
        // The document's own answer is described by the OpenAPI specification, not here.
        var paths = document["paths"]?.objectValue ?? [:]
        paths[APIRoute.openAPI.path] = nil
        collect(.object(paths), at: "$.paths")
        for (name, schema) in document["components"]?["schemas"]?.objectValue ?? [:] { walk(schema, at: "$.components.schemas.\(name)") }
        #expect(schemas.count > 100)
        let known = OpenAPIConformance.keywords.union(OpenAPIConformance.annotations)
        for (path, schema) in schemas {
            let keys = Set((schema.objectValue ?? [:]).keys)
            #expect(keys.isSubset(of: known), "\(path) uses \(keys.subtracting(known).sorted()), which the validator does not check")
            if schema["type"] == .string("object") {
                #expect(schema["additionalProperties"] != nil, "\(path) is an open object")
            }
        }
    }

    @Test func enumerationsAreTheServersOwn() throws {
        let schemas = try #require(document["components"]?["schemas"])
        #expect(schemas["Case"]?["properties"]?["status"]?["enum"] == .array(CaseStatus.allCases.map { .string($0.rawValue) }))
        #expect(schemas["Notification"]?["properties"]?["kind"]?["enum"] == .array(NoticeKind.allCases.map { .string($0.rawValue) }))
        #expect(schemas["Error"]?["properties"]?["error"]?["properties"]?["code"]?["enum"] == .array(APIError.Code.allCases.map { .string($0.rawValue) }))
        #expect(schemas["Case"]?["properties"]?["clock"]?["properties"]?["colour"]?["enum"] == .array(ClockColour.allCases.map { .string($0.rawValue) }))
    }

    // MARK: The check can fail

    static let area = #"{"id":3,"code":"c","name":"和平村","level":"village"}"#
    static let detail = #"{"area":\#(area),"lineage":[\#(area)],"departments":[]}"#

    func problems(_ body: String, status: Int = 200, path: String = "/api/v1/areas/3") -> [String] {
        conformance.problems(method: "GET", path: path, status: status, contentType: "application/json; charset=utf-8", body: Data(body.utf8))
    }

    @Test func aConformingAnswerHasNoProblems() {
        #expect(problems(Self.detail) == [])
    }

    @Test func aFieldTheDocumentDoesNotListFails() {
        let extra = Self.detail.replacingOccurrences(of: #""name":"和平村""#, with: #""name":"和平村","population":1200"#)
        let found = problems(extra)
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.contains(".population: not in the document") })
        #expect(found.contains { $0.contains("$.area.population") })
        #expect(found.contains { $0.contains("$.lineage[0].population") })
    }

    @Test func aWrongTypeOrValueFails() {
        let wrong = Self.detail.replacingOccurrences(of: #""id":3"#, with: #""id":"3""#)
        #expect(problems(wrong).contains { $0.contains("$.area.id: expected integer, got string \"3\"") })
        let level = Self.detail.replacingOccurrences(of: #""level":"village""#, with: #""level":"hamlet""#)
        #expect(problems(level).contains { $0.contains("$.area.level: \"hamlet\" is not one of") })
        let absent = Self.detail.replacingOccurrences(of: #","departments":[]"#, with: "")
        #expect(problems(absent).contains { $0.hasSuffix("$.departments: required but absent") })
    }

    @Test func anUndocumentedStatusOrContentTypeFails() {
        #expect(problems(#"{"error":{"code":"internal","message":"x"}}"#, status: 500) == [
            "GET /api/v1/areas/{id} answered 500: status 500 is not documented for this operation"
        ])
        let text = conformance.problems(method: "GET", path: "/api/v1/areas/3", status: 200, contentType: "text/plain", body: Data("x".utf8))
        #expect(text.count == 1 && text[0].contains("content type 'text/plain' is not documented"))
    }

    @Test func aDateTimeMustBeOne() {
        let webhook = #"{"id":1,"url":"http://127.0.0.1:9/hook","events":["*"],"createdAt":"yesterday"}"#
        let found = conformance.problems(method: "POST", path: "/api/v1/webhooks", status: 201, contentType: "application/json", body: Data(webhook.utf8))
        #expect(found.count == 1 && found[0].contains("$.createdAt: \"yesterday\" is not an RFC 3339 date-time"))
    }
}
