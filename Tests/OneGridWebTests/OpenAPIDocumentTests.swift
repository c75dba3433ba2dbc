import Foundation
import HTTPTypes
import Testing

/// The served OpenAPI document and the router describe the same API.
@Suite struct OpenAPIDocumentTests {
    @Test func everyDocumentedOperationIsRoutedAndEveryRouteDocumented() async throws {
        try await TestApp.run { api, _ in
            let document = try await api.send(.get, "/api/v1/openapi.json")
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let token = try await api.signIn("city")
            var operations = 0
            for (path, methods) in paths {
                for method in methods.keys {
                    operations += 1
                    let concrete = path.replacingOccurrences(of: "{id}", with: "1")
                    let reply = try await api.send(.init(rawValue: method.uppercased())!, concrete, token: token, body: [String: Any]())
                    #expect(reply.errorCode != "routeNotFound", "\(method) \(path) is documented but not routed")
                    #expect(reply.status.code < 500, "\(method) \(path) answered \(reply.status)")
                }
            }
            // Undocumented paths are not routed.
            let stray = try await api.send(.get, "/api/v1/nowhere", token: token)
            #expect(stray.errorCode == "routeNotFound")
            #expect(operations == 28)
        }
    }
}
