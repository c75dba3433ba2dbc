import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// `GET /api/v1/figures/overview` over the demo's tiny city with a history: the area's figures
/// are its children's added up, a step shows at once, and the area and months asked are checked.
@Suite struct FigureOverviewAPITests {
    static func int(_ object: Any?, _ path: String...) -> Int? {
        var current = object
        for key in path { current = (current as? [String: Any])?[key] }
        return (current as? NSNumber)?.intValue
    }

    static let currentMonth = FigureMonth(Date(), in: FigureMonth.cityTimeZone).description

    @Test func theTownIsItsVillagesAddedUpAndAStepShowsAtOnce() async throws {
        try await TestApp.run(cases: 400) { api, city in
            let town = try await api.signIn("town1")
            let path = try #require(city.directory.path(ofGrid: city.gridPoints[0].gridID))
            // The demo's history is the two years before today.
            let from = FigureMonth(Date(), in: FigureMonth.cityTimeZone).adding(months: -25).description
            let reply = try await api.send(.get, "/api/v1/figures/overview?from=\(from)&to=\(Self.currentMonth)", token: town)
            #expect(reply.status == .ok, "\(reply.json)")
            let figures = try #require(reply["figures"] as? [String: Any])
            #expect(Self.int(figures, "area", "id") == Int(path.town))
            let children = try #require(reply["children"] as? [[String: Any]])
            #expect(Set(children.compactMap { Self.int($0, "area", "id") }) == Set(city.directory.children(of: path.town).map { Int($0.id) }))
            for key in ["received", "accepted", "closed", "dispatched", "handled", "rated"] {
                let sum = children.reduce(0) { $0 + (Self.int($1, "totals", key) ?? 0) }
                #expect(Self.int(figures, "totals", key) == sum, "\(key) of the town is its villages' \(key)")
            }
            #expect(Self.int(figures, "totals", "received") == 400, "the tiny city has one town, and its whole history lies in these months")
            #expect(Self.int(figures, "open") == children.reduce(0) { $0 + (Self.int($1, "open") ?? 0) })
            #expect((reply["trend"] as? [Any])?.count == 12)
            let grids = try #require(reply["grids"] as? [[String: Any]])
            #expect(grids.count == 4, "every grid of the town, for the map")
            #expect(Self.int(figures, "overdue") == grids.reduce(0) { $0 + (Self.int($1, "overdue") ?? 0) })

            // A report and its acceptance count in this month's figures at once.
            let village = try await api.signIn("village1")
            let before = try await api.send(.get, "/api/v1/figures/overview", token: village)
            let reported = try await api.report(token: try await api.signIn("gridworker1"), at: city.gridPoints[0].point)
            let id = try #require(reported.id)
            #expect(try await api.act("accept", on: id, token: village).status == .ok)
            let after = try await api.send(.get, "/api/v1/figures/overview", token: village)
            #expect(Self.int(after["thisMonth"], "received") == (Self.int(before["thisMonth"], "received") ?? 0) + 1)
            #expect(Self.int(after["thisMonth"], "receivedByChannel", "gridWorker") == (Self.int(before["thisMonth"], "receivedByChannel", "gridWorker") ?? 0) + 1)
            #expect(Self.int(after["thisMonth"], "accepted") == (Self.int(before["thisMonth"], "accepted") ?? 0) + 1)
            #expect(Self.int(after["figures"], "open") == (Self.int(before["figures"], "open") ?? 0) + 1)
            #expect(Self.int(after.json, "receivedToday") == (Self.int(before.json, "receivedToday") ?? 0) + 1)
        }
    }

    @Test func anAreaOutsideThePostAndABadMonthAreRefusedByName() async throws {
        try await TestApp.run { api, city in
            let village = try await api.signIn("village1")
            let path = try #require(city.directory.path(ofGrid: city.gridPoints[0].gridID))
            let above = try await api.send(.get, "/api/v1/figures/overview?area=\(path.town)", token: village)
            #expect(above.status == .notFound)
            #expect(above.errorField == "area")
            let bad = try await api.send(.get, "/api/v1/figures/overview?from=2026-13", token: village)
            #expect(bad.status == .badRequest)
            #expect(bad.errorField == "from")
            let backwards = try await api.send(.get, "/api/v1/figures/overview?from=2026-05&to=2026-04", token: village)
            #expect(backwards.errorField == "to")
            let citizen = try await api.send(.get, "/api/v1/figures/overview", token: try await api.signIn("citizen1"))
            #expect(citizen.status == .forbidden)
            let grid = try await api.send(.get, "/api/v1/figures/overview?area=\(path.grid)", token: village)
            #expect(grid.status == .ok, "a village drills down to its grid")
            #expect((grid["children"] as? [Any])?.isEmpty == true)
        }
    }
}
