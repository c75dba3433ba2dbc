import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// The feeds through the API as a police platform and a monitoring service send them: NDJSON and
/// JSON batches answered per line, read back within the reader's area, counted per day, linked
/// to a case by a dispatcher; every answer checked against the OpenAPI document.
@Suite struct FeedAPITests {
    @Test func aBatchIsAnsweredPerLineAndReadBackWithinTheArea() async throws {
        try await TestApp.run { api, city in
            let feeder = try await api.signIn("hotline")
            let point = city.gridPoints[0].point
            let ndjson = [
                "{\"incidentNumber\":\"J-1\",\"kind\":\"纠纷\",\"time\":\"2026-11-29T09:12:00+08:00\",\"location\":{\"lat\":\(point.lat),\"lng\":\(point.lng)},\"summary\":\"邻里因噪音争执\",\"parties\":2,\"isDispute\":true}",
                "",
                "{\"incidentNumber\":\"J-2\",\"kind\":\"盗窃\",\"time\":\"yesterday\",\"location\":{\"lat\":\(point.lat),\"lng\":\(point.lng)},\"summary\":\"电动车被盗\"}",
                "{\"incidentNumber\":\"J-1\",\"kind\":\"纠纷\",\"time\":\"2026-11-29T09:12:00+08:00\",\"location\":{\"lat\":\(point.lat),\"lng\":\(point.lng)},\"summary\":\"邻里因噪音争执\"}",
            ].joined(separator: "\n")
            let taken = try await api.send(
                .post, "/api/v1/feeds/police-incidents", token: feeder, rawBody: ndjson, headers: [.contentType: "application/x-ndjson"])
            #expect(taken.status == .ok, "\(taken.json)")
            #expect(taken["taken"] as? Int == 1 && taken["repeated"] as? Int == 1 && taken["refused"] as? Int == 1, "\(taken.json)")
            let lines = try #require(taken["lines"] as? [[String: Any]])
            #expect(lines.map { $0["line"] as? Int } == [1, 3, 4], "a blank line keeps its number")
            #expect(lines[1]["field"] as? String == "time" && (lines[1]["expected"] as? String)?.contains("ISO 8601") == true)

            let opinion = try await api.send(.post, "/api/v1/feeds/public-opinion", token: feeder, body: [[
                "id": "wb-1", "source": "微博", "title": "村口积水无人管", "publishedAt": "2026-11-29T20:00:00+08:00", "heat": 87.5,
                "url": "https://weibo.example/1", "location": ["lat": point.lat, "lng": point.lng],
            ], ["id": "wb-2"]])
            #expect(opinion["taken"] as? Int == 1 && opinion["refused"] as? Int == 1, "\(opinion.json)")

            let village = try await api.signIn("village1")
            let items = try await api.send(.get, "/api/v1/feeds/items?from=2026-11-01&to=2026-12-01", token: village)
            #expect((items["items"] as? [[String: Any]])?.compactMap { $0["itemID"] as? String }.sorted() == ["J-1", "wb-1"], "\(items.json)")
            let counts = try await api.send(.get, "/api/v1/feeds/counts?from=2026-11-29&to=2026-11-30", token: village)
            let rows = try #require(counts["counts"] as? [[String: Any]], "\(counts.json)")
            #expect(rows.map { "\($0["day"] ?? "") \($0["kind"] ?? "") \($0["count"] ?? "")" } == ["2026-11-29 policeIncident 1", "2026-11-29 publicOpinion 1"])

            // A dispatcher links an item to a case of their area.
            let worker = try await api.signIn("gridworker1")
            let caseID = try #require(try await api.report(token: worker, at: point).id)
            let itemID = try #require(((items["items"] as? [[String: Any]])?.first { $0["itemID"] as? String == "J-1" }?["id"] as? NSNumber)?.int64Value)
            let linked = try await api.send(.post, "/api/v1/feeds/items/\(itemID)/case", token: village, body: ["caseID": caseID])
            #expect((linked["caseID"] as? NSNumber)?.int64Value == caseID, "\(linked.json)")

            // Only an integration post feeds; a citizen reads nothing.
            #expect(try await api.send(.post, "/api/v1/feeds/public-opinion", token: village, body: ["id": "x"]).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/feeds/items", token: worker).status == .forbidden)
            let malformed = try await api.send(.post, "/api/v1/feeds/public-opinion", token: feeder, rawBody: "{oops")
            #expect(malformed.status == .badRequest && malformed.errorCode == "malformedJSON")
        }
    }
}
