import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridDemo
import OneGridStore
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The command room over the tiny demo city with a history: the numbers on the wall are the
/// figures service's, a click goes one level down and never outside the post's area, and its
/// event stream tells an open room of a step at once.
@Suite struct CommandRoomPagesTests {
    /// The big number under a key figure's label.
    static func kpi(_ html: String, _ label: String) -> String? {
        guard let range = html.range(of: "<h2 class=\"kpi-label\">\(label)</h2>") else { return nil }
        let rest = html[range.upperBound...]
        guard let start = rest.range(of: "<p class=\"kpi-value\">")?.upperBound else { return nil }
        return String(rest[start...].prefix { $0 != "<" })
    }

    /// A rate's value as the page writes it.
    static func rate(_ html: String, _ label: String) -> String? {
        guard let range = html.range(of: "<span class=\"rate-label\">\(label)</span><span class=\"rate-value\">") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "<" })
    }

    static func int(_ object: Any?, _ path: String...) -> Int {
        var current = object
        for key in path { current = (current as? [String: Any])?[key] }
        return (current as? NSNumber)?.intValue ?? -1
    }

    @Test func theWallShowsTheFiguresServicesNumbers() async throws {
        try await TestApp.pages(cases: 400) { browser, api, city in
            let figures = try await api.send(.get, "/api/v1/figures/overview", token: try await api.signIn("leader"))
            #expect(figures.status == .ok)
            try await browser.signIn("leader")
            let page = try await browser.get("/command-room")
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("<body class=\"wall\">"), "the wall's dark theme")
            #expect(html.contains("/assets/room.css?v="), "the room's own styles")
            #expect(Self.kpi(html, "今日受理") == CommandRoomPage.count(Self.int(figures.json, "receivedToday")))
            #expect(Self.kpi(html, "本月受理") == CommandRoomPage.count(Self.int(figures["thisMonth"], "received")))
            #expect(Self.kpi(html, "在办案件") == CommandRoomPage.count(Self.int(figures["figures"], "open")))
            #expect(Self.kpi(html, "超期案件") == CommandRoomPage.count(Self.int(figures["figures"], "overdue")))
            #expect(Self.int(figures["figures"], "open") > 0, "the demo's history leaves cases open")
            let totals = try #require((figures["figures"] as? [String: Any])?["totals"] as? [String: Any])
            for (label, key) in [("办结率", "closureRate"), ("按期办结率", "onTimeRate"), ("返工率", "reworkRate"), ("满意率", "satisfaction")] {
                let expected = (totals[key] as? NSNumber).map { CommandRoomPage.percent($0.doubleValue) } ?? "—"
                #expect(Self.rate(html, label) == expected, "\(label)")
            }
            #expect(Self.kpi(html, "未出村（社区）解决") == (totals["shareClosedInVillage"] as? NSNumber).map { CommandRoomPage.percent($0.doubleValue) } ?? "—")
            #expect(Self.rate(html, "作废与引导（另计）") == CommandRoomPage.count(Self.int(totals, "cancelled")))
            for platform in ["综治工作", "市场监管", "综合执法", "便民服务", "其他"] { #expect(html.contains(">\(platform)</text>"), "\(platform)") }
            #expect(html.components(separatedBy: "class=\"bar-label\"").count - 1 >= 12 + 4 + 5 + 7, "trend, levels, platforms, channels")
            #expect(html.contains("data-live=\"/command-room/live?area=\(city.directory.areas.values.first { $0.level == .city }!.id)\""))

            // The trend's table says each month's number the chart draws.
            let trend = try #require(figures["trend"] as? [[String: Any]])
            #expect(trend.count == 12)
            for month in trend {
                let received = CommandRoomPage.count(Self.int(month, "totals", "received"))
                #expect(html.contains("<th scope=\"row\">\(month["month"] as? String ?? "?")</th><td class=\"num\">\(received)</td>"))
            }

            // Every overdue case listed links to its page; the list is the service's.
            let worst = try #require(figures["worstOverdue"] as? [[String: Any]])
            for item in worst { #expect(html.contains("href=\"/cases/\(Self.int(item, "id"))\"")) }
        }
    }

    @Test func aClickGoesOneLevelDownAndTheCrumbsLeadBack() async throws {
        try await TestApp.pages(cases: 200) { browser, _, city in
            let directory = city.directory
            let cityArea = try #require(directory.areas.values.first { $0.level == .city })
            let county = try #require(directory.children(of: cityArea.id).first)
            try await browser.signIn("leader")
            let top = try await browser.get("/command-room")
            #expect(top.html.contains("href=\"/command-room?area=\(county.id)\""), "the county in the table and on the map")
            let down = try await browser.get("/command-room?area=\(county.id)")
            #expect(down.status == .ok)
            #expect(down.html.contains("<h1>\(county.name)<span class=\"room-level\">县（区）</span>"))
            #expect(down.html.contains("<li><a href=\"/command-room?area=\(cityArea.id)\">\(cityArea.name)</a></li>"), "the way back up")
            for town in directory.children(of: county.id) { #expect(down.html.contains("href=\"/command-room?area=\(town.id)\"")) }

            // Down to a grid, the last level: no table below.
            let grid = try #require(directory.areas[city.gridPoints[0].gridID])
            let bottom = try await browser.get("/command-room?area=\(grid.id)")
            #expect(bottom.status == .ok)
            #expect(bottom.html.contains("已到网格一级"))
        }
    }

    @Test func anAreaOutsideThePostIsNoPageAndShowsNoFigures() async throws {
        try await TestApp.pages { browser, _, city in
            let path = try #require(city.directory.path(ofGrid: city.gridPoints[0].gridID))
            try await browser.signIn("leader.town1")
            #expect(try await browser.get("/command-room").status == .ok)
            for area in ["\(path.county)", "\(path.city)", "999999", "abc", "-1"] {
                let page = try await browser.get("/command-room?area=\(area)")
                #expect(page.status == .notFound, "area \(area)")
                #expect(!page.html.contains("kpi-value"), "no figures for area \(area)")
                #expect(try await browser.get("/command-room/live?area=\(area)").status == .notFound, "no stream for area \(area)")
            }
            browser.cookies.values[PageSessionMiddleware.sessionCookie] = nil
            try await browser.signIn("handler.village1")
            #expect(try await browser.get("/command-room").status == .forbidden, "a handler has no command room")
            #expect(try await browser.get("/command-room/live").status == .forbidden)
        }
    }

    /// The stream the room's route answers a village's dispatcher with (and the queue's, the
    /// post's own area) carries a report taken through the use case after it opened; an area
    /// outside the post's gets no stream. The route's session and roles are checked above; the
    /// stream is read here directly, as a browser would read it, so the test can stop reading.
    @Test func theLiveStreamCarriesAStepTakenAfterItOpened() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-room-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await OneGridDatabase.using(path) { database in
            _ = try await DemoCity.build(into: database, size: .tiny, cases: 0)
            let services = try await OneGridServices(database: database)
            let directory = services.directory
            let worker = try await services.sessions.signIn(username: "gridworker1", password: DemoCity.password, postID: nil).principal
            let village = try await services.sessions.signIn(username: "village1", password: DemoCity.password, postID: nil).principal
            let grid = try #require(directory.areas.values.filter { $0.level == .grid }.min { $0.code < $1.code })
            #expect(directory.covers(village.post, areaID: grid.id), "the first grid lies in village1's village")
            for area in [String(village.post.areaID), nil] {
                let response = try LivePages.response(area, for: village.post, services: services)
                #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let (chunks, sink) = AsyncStream.makeStream(of: String.self)
                let writing = Task { try await response.body.write(LiveStreamTests.CollectingWriter(sink: sink)) }
                var received = chunks.makeAsyncIterator()
                #expect(await received.next()?.hasPrefix("retry: 2000") == true)
                // Let the stream subscribe before the step.
                try await Task.sleep(for: .milliseconds(100))
                let intake = try await services.intake.report(
                    IntakeForm(
                        title: "路灯不亮", description: "村口路灯不亮", categoryCode: "service.streetlight",
                        location: TestApp.pointInside(grid.id, directory)),
                    by: worker, idempotencyKey: nil)
                #expect(await received.next() == "event: cases\ndata: {\"cases\":[\(intake.record.id)]}\n\n", "area \(area ?? "own")")
                writing.cancel()
                // The page leaving ends the stream.
                try await writing.value
            }
            let gridPath = try #require(directory.path(ofGrid: grid.id))
            let town = try #require(directory.areas[gridPath.town])
            #expect(throws: PageError.self) { try LivePages.response(String(town.id), for: village.post, services: services) }
        }
    }
}
