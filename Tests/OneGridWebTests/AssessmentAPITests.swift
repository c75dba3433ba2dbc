import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The assessment over the tiny demo city's history, through the JSON API and the pages: every
/// answer conforms to the OpenAPI document (checked by `API.send`), a score sheet's case list is
/// its denominator, bad settings name their field, a closed period refuses a second close and a
/// card, and each table downloads as CSV with its byte order mark.
@Suite struct AssessmentAPITests {
    /// Two months ago: ended, full of the demo's cases, and not closed (the demo closes last month).
    static var lastMonth: String {
        AssessmentPeriod(month: FigureMonth(Date(), in: FigureMonth.cityTimeZone).adding(months: -2)).key
    }

    @Test func tablesSheetsSettingsCardsAndClosing() async throws {
        try await TestApp.run(cases: 400) { api, _ in
            let leader = try await api.signIn("leader")
            let period = Self.lastMonth
            let towns = try await api.send(.get, "/api/v1/assessment?period=\(period)", token: leader)
            #expect(towns.status == .ok, "\(towns.json)")
            #expect(towns["level"] as? String == "town", "a city leader sees the towns by default")
            let rows = try #require(towns["rows"] as? [[String: Any]])
            #expect(!rows.isEmpty)

            let villages = try await api.send(.get, "/api/v1/assessment?level=village&period=\(period)", token: leader)
            let first = try #require((villages["rows"] as? [[String: Any]])?.first)
            #expect(first["rank"] as? Int == 1 && first["grade"] is String, "\(first)")
            let unit = try #require((first["unit"] as? [String: Any])?["id"] as? Int)
            let indicators = try #require(first["indicators"] as? [[String: Any]])
            let closure = try #require(indicators.first { $0["indicator"] as? String == "closure" })
            let sheet = try await api.send(.get, "/api/v1/assessment/sheet?level=village&unit=\(unit)&period=\(period)&indicator=closure", token: leader)
            #expect(sheet.status == .ok, "\(sheet.json)")
            let cases = try #require(sheet["cases"] as? [[String: Any]])
            #expect(cases.count == closure["denominator"] as? Int, "the sheet lists the denominator's cases")
            #expect(cases.filter { $0["counted"] as? Bool == true }.count == closure["numerator"] as? Int)

            let badLevel = try await api.send(.get, "/api/v1/assessment?level=planet", token: leader)
            #expect(badLevel.status == .unprocessableContent || badLevel.status == .badRequest)
            #expect((badLevel["error"] as? [String: Any])?["field"] as? String == "level")

            let admin = try await api.signIn("admin")
            var settings = try await api.send(.get, "/api/v1/assessment/settings", token: admin).json
            var weights = try #require(settings["weights"] as? [String: [String: Double]])
            weights["town"]?["closure"] = 11
            settings["weights"] = weights
            let unbalanced = try await api.send(.put, "/api/v1/assessment/settings", token: admin, body: settings)
            #expect((unbalanced["error"] as? [String: Any])?["field"] as? String == "weights.town", "\(unbalanced.json)")
            weights["town"]?["closure"] = 10
            weights["town"]?["speed"] = 0
            settings["weights"] = weights
            let unknown = try await api.send(.put, "/api/v1/assessment/settings", token: admin, body: settings)
            #expect((unknown["error"] as? [String: Any])?["field"] as? String == "weights.town.speed")
            #expect(try await api.send(.put, "/api/v1/assessment/settings", token: leader, body: settings).status == .forbidden)

            let card = ["period": period, "level": "village", "unit": unit, "colour": "red", "reason": "督办事项逾期未办结"] as [String: Any]
            let given = try await api.send(.post, "/api/v1/assessment/cards", token: leader, body: card)
            #expect(given.status == .created, "\(given.json)")
            #expect(given["points"] as? Double == 10)
            let carded = try await api.send(.get, "/api/v1/assessment/sheet?level=village&unit=\(unit)&period=\(period)", token: leader)
            #expect(((carded["result"] as? [String: Any])?["cardPoints"] as? Double) == 10)

            let closed = try await api.send(.post, "/api/v1/assessment/close", token: admin, body: ["period": period])
            #expect(closed.status == .ok, "\(closed.json)")
            #expect(try await api.send(.post, "/api/v1/assessment/close", token: admin, body: ["period": period]).status == .conflict)
            #expect(try await api.send(.post, "/api/v1/assessment/cards", token: leader, body: card).status == .conflict)
            let kept = try await api.send(.get, "/api/v1/assessment?level=village&period=\(period)", token: leader)
            #expect(kept["closedAt"] is String)
            let demoClosed = AssessmentPeriod(month: FigureMonth(Date(), in: FigureMonth.cityTimeZone).adding(months: -1)).key
            #expect(try await api.send(.get, "/api/v1/assessment?period=\(demoClosed)", token: leader)["closedAt"] is String, "the demo closes last month")

            let work = try await api.send(.get, "/api/v1/figures/grid-work?period=\(period)", token: try await api.signIn("town1"))
            #expect(work.status == .ok, "\(work.json)")
            #expect(!(work["villages"] as? [[String: Any]] ?? []).isEmpty)
            #expect(!(work["workers"] as? [[String: Any]] ?? []).isEmpty)
        }
    }

    @Test func thePagesShowRanksGradesAndCasesAndDownloadCSV() async throws {
        try await TestApp.pages(cases: 300) { browser, _, _ in
            let period = Self.lastMonth
            try await browser.signIn("leader.town1")
            let table = try await browser.get("/assessment?level=village&period=\(period)")
            #expect(table.status == .ok, "\(table.html.prefix(400))")
            #expect(table.html.contains("村（社区）") && table.html.contains("class=\"grade grade-"))
            let sheetLink = try #require(table.html.firstMatch(of: /href="(\/assessment\/sheet\?[^"]+)"/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") })
            let sheet = try await browser.get(sheetLink + "&indicator=closure")
            #expect(sheet.status == .ok && sheet.html.contains("计入分母的案件") && sheet.html.contains("href=\"/cases/"))

            let refused = try await browser.post(
                "/assessment/cards", [("level", "village"), ("unit", "999999"), ("period", period), ("colour", "yellow"), ("reason", "x")],
                token: sheet.formToken)
            #expect(refused.status == .notFound)
            let empty = try #require(sheetLink.firstMatch(of: /unit=(\d+)/).map { String($0.1) })
            let noReason = try await browser.post(
                "/assessment/cards", [("level", "village"), ("unit", empty), ("period", period), ("colour", "yellow"), ("reason", " ")], token: sheet.formToken)
            #expect(noReason.status == .unprocessableContent && noReason.html.contains("e-c-reason"))

            let csv = try await browser.get("/assessment?level=village&period=\(period)&format=csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.html.hasPrefix("\u{FEFF}排名"), "a byte order mark, then the header")

            let work = try await browser.get("/grid-work?period=\(period)")
            #expect(work.status == .ok && work.html.contains("按网格员"))

            let forbidden = try await browser.get("/assessment/settings")
            #expect(forbidden.status == .forbidden)
            let admin = Browser(client: browser.client)
            try await admin.signIn("admin")
            let form = try await admin.get("/assessment/settings")
            #expect(form.status == .ok && form.html.contains("name=\"weights.town.closure\""))
            var fields = try #require(form.html.matches(of: /name="([a-zA-Z.]+)" value="([0-9.]+)"/).map { (String($0.1), String($0.2)) } as [(String, String)]?)
            fields = fields.map { $0.0 == "gradeMinimums.B" ? ($0.0, "95") : $0 }
            let bad = try await admin.post("/assessment/settings", fields, token: form.formToken)
            #expect(bad.status == .unprocessableContent && bad.html.contains("id=\"e-s-gradeMinimums-B\""))
        }
    }
}
