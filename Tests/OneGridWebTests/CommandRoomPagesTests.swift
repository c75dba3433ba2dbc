import Foundation
import HTTPTypes
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

    /// The room's stream, opened with the page's session, carries a step taken through the API
    /// while it is open; so does the queue's.
    @Test func theLiveRoutesStreamAStep() async throws {
        try await TestApp.pages { browser, api, city in
            try await browser.signIn("village1")
            let worker = try await api.signIn("gridworker1")
            for path in ["/command-room/live", "/queue/live"] {
                let listening = Task { try await browser.get(path) }
                // Let the stream subscribe before the step.
                try await Task.sleep(for: .milliseconds(300))
                let reported = try await api.report(token: worker, at: city.gridPoints[0].point)
                let id = try #require(reported.id)
                try await Task.sleep(for: .milliseconds(300))
                listening.cancel()
                let stream = try await listening.value
                #expect(stream.status == .ok, "\(path)")
                #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true, "\(path)")
                #expect(stream.html.contains("event: cases\ndata: {\"cases\":[\(id)]}"), "\(path): \(stream.html)")
            }
        }
    }
}
