import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OneGridDomain
@testable import OneGridWeb
import Testing

/// `/metrics` as Prometheus reads it: the text format, requests counted by route and status with
/// their latency, and the operators' gauges as the database stands.
@Suite struct MetricsTests {
    /// One sample line of the text format: `name{label="value",…} number`.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Parses the exposition strictly: every line is a comment (`# HELP`, `# TYPE`) or a sample,
    /// else the test fails on it.
    static func parse(_ text: String) -> [Sample] {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                Issue.record("not a sample line: \(line)")
                continue
            }
            let head = line[..<space]
            var labels: [String: String] = [:]
            var name = String(head)
            if let open = head.firstIndex(of: "{"), head.last == "}" {
                name = String(head[..<open])
                let body = head[head.index(after: open)..<head.index(before: head.endIndex)]
                for pair in body.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") else {
                        Issue.record("not a label: \(pair) in \(line)")
                        continue
                    }
                    labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            #expect(name.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil, "metric name \(name)")
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }

    func metrics(_ api: API) async throws -> [Sample] {
        let reply = try await api.client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
        #expect(reply.status == .ok)
        #expect(reply.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        return Self.parse(String(buffer: reply.body))
    }

    @Test func requestsAreCountedByRouteAndStatusWithTheirLatency() async throws {
        try await TestApp.run { api, _ in
            let before = try await metrics(api)
            func count(_ samples: [Sample], path: String, status: String) -> Double {
                samples.filter { $0.name == "hb_requests" && $0.labels.values.contains(path) && $0.labels.values.contains(status) }
                    .reduce(0) { $0 + $1.value }
            }
            for _ in 0..<3 { _ = try await api.client.executeRequest(uri: "/health/live", method: .get, headers: [:], body: nil) }
            // Refused without a token: counted with its answer, by its route's pattern, not its id.
            let refused = try await api.client.executeRequest(uri: "/api/v1/cases/12345", method: .get, headers: [:], body: nil)
            #expect(refused.status == .unauthorized)
            let after = try await metrics(api)
            // Other suites share the process's registry: at least these requests, never fewer.
            #expect(count(after, path: "/health/live", status: "200") - count(before, path: "/health/live", status: "200") >= 3)
            let caseRoutes = after.filter { $0.name == "hb_requests" && $0.labels.values.contains("401") }.flatMap(\.labels.values)
            #expect(caseRoutes.contains { $0.hasPrefix("/api/v1/cases/") && !$0.contains("12345") }, "\(caseRoutes)")
            let buckets = after.filter { $0.name == "http_server_request_duration_bucket" && $0.labels.values.contains("/health/live") }
            #expect(buckets.contains { $0.labels["le"] == "+Inf" && $0.value >= 3 })
        }
    }

    @Test func gaugesCountOpenCasesByStatusAndTheWebhookBacklog() async throws {
        try await TestApp.run { api, city in
            let token = try await api.signIn("town1")
            for _ in 0..<2 { #expect(try await api.report(token: token, at: city.gridPoints[0].point).status == .created) }
            // The gauges are the process's: a server another suite runs live may count its own
            // database between this round and the scrape, so the round is taken again until the
            // scrape shows it (a wrong count would never show). Under a full parallel run the
            // other servers' rounds come every moment: it tries for up to a minute, not five times.
            var samples: [Sample] = []
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                try await city.countGauges()
                samples = try await metrics(api)
                if samples.filter({ $0.name == "onegrid_open_cases" }).reduce(0, { $0 + $1.value }) == 2 { break }
            }
            let open = samples.filter { $0.name == "onegrid_open_cases" }
            // The tiny city starts with no cases: the two just reported are all that is open, and
            // every open status has its line, zero or not.
            #expect(open.reduce(0) { $0 + $1.value } == 2)
            #expect(Set(open.compactMap { $0.labels["status"] }) == Set(CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)))
            #expect(samples.first { $0.name == "onegrid_webhook_backlog" }?.value == 0)
            #expect(samples.contains { $0.name == "onegrid_database_readers_busy" && $0.labels["lane"] == "requests" })
        }
    }
}
