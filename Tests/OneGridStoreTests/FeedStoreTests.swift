import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// The data brain's feeds on each database: a batch writes its good lines and reports each bad
/// one with its line, field and what was expected; an item sent twice is stored once; items are
/// placed on the grid (or at the area their code names), counted per area and day, and read only
/// by posts whose area holds them.
@Suite struct FeedStoreTests {
    /// Lines as a feed file holds them, read as the API and `onegrid feed import` read them.
    static func lines(_ texts: [String]) -> [Feeds.Line] {
        Feeds.lines(ndjson: Data(texts.joined(separator: "\n").utf8))
    }

    static func incident(_ number: String, at point: GeoPoint? = nil, areaCode: String? = nil, extra: String = "") -> String {
        let place = point.map { "\"location\":{\"lat\":\($0.lat),\"lng\":\($0.lng)}" } ?? "\"areaCode\":\"\(areaCode ?? "")\""
        return "{\"incidentNumber\":\"\(number)\",\"kind\":\"纠纷\",\"time\":\"2026-05-28T10:00:00+08:00\",\(place),\"summary\":\"邻里因噪音争执\",\"parties\":2,\"isDispute\":true\(extra)}"
    }

    @Test(arguments: TestDatabases.kinds)
    func aBatchWritesItsGoodLinesReportsItsBadOnesAndCountsOnce(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let feeder = try await city.principal("hotline")
            let feeds = city.services.feedIntake
            let villages = city.directory.areas.values.filter { $0.level == .village }.sorted { $0.code < $1.code }
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let reported = try await city.report()
            let texts = [
                Self.incident("110-0001", at: city.point(inGrid: 1)),
                "{not json",
                Self.incident("110-0002", at: city.point(inGrid: 1)).replacingOccurrences(of: "\"time\":\"2026-05-28T10:00:00+08:00\",", with: ""),
                Self.incident("110-0003", areaCode: villages[1].code),
                Self.incident("110-0004", at: city.point(inGrid: 1)).replacingOccurrences(of: "\"parties\":2", with: "\"parties\":\"two\""),
                Self.incident("110-0005", at: city.point(inGrid: 2), extra: ",\"caseID\":\(reported.id)"),
                Self.incident("110-0006", at: GeoPoint(lat: 10, lng: 10)),
                Self.incident("110-0001", at: city.point(inGrid: 1)),
                Self.incident("110-0007", areaCode: "999999999999"),
                Self.incident("110-0008", at: city.point(inGrid: 1), extra: ",\"caseID\":999999"),
                Self.incident("110-0009", at: city.point(inGrid: 1), extra: ",\"colour\":\"red\""),
            ]
            let batch = Self.lines(texts)
            let outcomes = try await feeds.take(.policeIncident, lines: batch, by: feeder)
            #expect(outcomes.map(\.line) == Array(1...11))
            #expect(outcomes.map(\.kind) == [.taken, .refused, .refused, .taken, .refused, .taken, .refused, .repeated, .refused, .refused, .refused])
            #expect(outcomes.map { $0.refusal?.field } == [nil, "line", "time", nil, "parties", nil, "location", nil, "areaCode", "caseID", "colour"])
            #expect(outcomes[2].refusal?.expected.contains("ISO 8601") == true)
            #expect(outcomes[4].refusal?.expected.contains("whole number") == true)
            #expect(outcomes[7].id == outcomes[0].id, "the same item earlier in the batch")
            #expect(try await city.count("feed_items") == 3)

            // Sent again: nothing new, nothing counted twice.
            let again = try await feeds.take(.policeIncident, lines: Self.lines([texts[0], texts[3], texts[5]]), by: feeder)
            #expect(again.map(\.kind) == [.repeated, .repeated, .repeated], "\(again)")
            #expect(again.map(\.id) == [outcomes[0].id, outcomes[3].id, outcomes[5].id])
            #expect(try await city.count("feed_items") == 3)

            // Placed: a point on its grid, a code at its area; a case named is linked.
            let ids = outcomes.map(\.id)
            let firstID = try #require(ids[0])
            let first = try #require(try await city.services.feeds.item(id: firstID))
            #expect(first.level == .grid && first.gridID == city.grids[0].id)
            let byCodeID = try #require(ids[3])
            let byCode = try #require(try await city.services.feeds.item(id: byCodeID))
            #expect(byCode.level == .village && byCode.areaID == villages[1].id && byCode.gridID == nil)
            #expect(byCode.item.place == .areaCode(villages[1].code))
            let namingID = try #require(ids[5])
            #expect(try await city.services.feeds.item(id: namingID)?.item.caseID == reported.id)

            // Counted per area and day, in the city's time zone.
            let day = "2026-05-28"
            #expect(try await city.services.feeds.counts(areaLevel: .town, areaID: town.id, from: day, to: day)
                == [FeedDayCount(kind: .policeIncident, day: day, count: 3)])
            #expect(try await city.services.feeds.counts(areaLevel: .village, areaID: villages[1].id, from: day, to: day).map(\.count) == [1])
            #expect(try await city.services.feeds.counts(areaLevel: .town, areaID: town.id, from: "2026-05-29", to: "2026-06-30").isEmpty)

            // Read within the post's area only.
            let span = (from: TinyCity.now.addingTimeInterval(-30 * 86_400), before: TinyCity.now.addingTimeInterval(86_400))
            func read(_ post: Post) async throws -> Set<String> {
                Set(try await feeds.items(kind: nil, from: span.from, before: span.before, limit: 100, for: post).map(\.item.itemID))
            }
            #expect(try await read(feeder.post) == ["110-0001", "110-0003", "110-0005"])
            #expect(try await read(try await city.principal("village1").post) == ["110-0001", "110-0005"])
            let otherVillage = try await city.addUser(id: 9_001, username: "village2.dispatcher", role: .dispatcher, area: villages[1])
            #expect(try await read(otherVillage.post) == ["110-0003"])

            // A dispatcher links an item of their area to a case later; not one outside it.
            let village1 = try await city.principal("village1")
            let linked = try await feeds.link(itemID: firstID, caseID: reported.id, by: village1)
            #expect(linked.item.caseID == reported.id)
            await #expect(throws: DomainError.self) {
                _ = try await feeds.link(itemID: byCodeID, caseID: reported.id, by: village1)
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aPostOfAnotherAreaCannotFeedIntoIt(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let villages = city.directory.areas.values.filter { $0.level == .village }.sorted { $0.code < $1.code }
            let feeder = try await city.addUser(id: 9_002, username: "police.village2", role: .hotlineAgent, area: villages[1])
            let outcomes = try await city.services.feedIntake.take(
                .publicOpinion,
                lines: Self.lines([
                    "{\"id\":\"wb-1\",\"source\":\"微博\",\"url\":\"https://weibo.example/1\",\"title\":\"村口积水\",\"publishedAt\":\"2026-05-28T09:00:00+08:00\",\"heat\":88.5,\"location\":{\"lat\":\(city.point(inGrid: 1).lat),\"lng\":\(city.point(inGrid: 1).lng)}}",
                    "{\"id\":\"wb-2\",\"source\":\"微博\",\"title\":\"村里停电\",\"publishedAt\":\"2026-05-28T09:00:00+08:00\",\"heat\":12,\"areaCode\":\"\(villages[1].code)\"}",
                ]), by: feeder)
            #expect(outcomes.map(\.kind) == [.refused, .taken])
            #expect(outcomes[0].refusal == FeedRefusal(field: "location", expected: "a place inside this post's area"))
        }
    }
}
