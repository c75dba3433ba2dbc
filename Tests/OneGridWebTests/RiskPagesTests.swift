import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The risk pages: a dispute with a risk of violence judged red with its reason, on the town's
/// picture and in its CSV; the leader warned; a colour that may not come down before its
/// follow-up, then the follow-up recorded and the colour brought down, each change in the history;
/// a village's post sees only its area; the administrator's rules refused by field.
@Suite struct RiskPagesTests {
    @Test func aRedMatterIsShownWithItsReasonsFollowedUpAndBroughtDown() async throws {
        try await TestApp.pages { browser, api, city in
            let (id, _, mediator) = try await DisputeAPITests.assignedDispute(api, city)
            let violence = try await api.send(
                .post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "reportViolence", "note": "一方扬言报复，已告知派出所"])
            #expect(violence.status == .ok, "\(violence.json)")
            try await city.judgeRisk(Date())
            try await browser.signIn("leader.town1")
            let page = try await browser.get("/risk")
            #expect(page.status == .ok)
            #expect(page.html.contains("有激化为暴力的风险（人民调解法第二十五条）"), "the violent dispute, with its reason")
            #expect(page.html.contains("主要领导（集体会商）") && page.html.contains("红色预警"), "owned by the town's leader, who was warned")
            #expect(page.html.contains(#"class="area-map""#))
            // The page redraws itself from its area's stream when a judgement changes a colour;
            // an area outside the post has no stream.
            #expect(page.html.contains(#"data-live="/risk/live?area="#) && page.html.contains("data-live-refresh"))
            #expect(try await browser.get("/risk/live?area=999999").status == .notFound)
            let link = "/risk/matters/\(id)?kind=dispute"
            #expect(page.html.contains(link.replacingOccurrences(of: "&", with: "&amp;")))

            let csv = try await browser.get("/risk/export")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.hasPrefix("\u{FEFF}") && csv.html.contains("有激化为暴力的风险"))

            let matter = try await browser.get(link)
            #expect(matter.status == .ok && matter.html.contains("颜色变更记录") && matter.html.contains("系统研判"))
            let lowerURL = try #require(matter.html.firstMatch(of: /action="([^"]+\/lower[^"]*)"/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") })
            let followURL = try #require(matter.html.firstMatch(of: /action="([^"]+\/follow-up[^"]*)"/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") })
            let early = try await browser.post(lowerURL, [("colour", "yellow")], token: matter.formToken)
            #expect(early.status == .unprocessableContent && early.html.contains("颜色须在回访记录完成后才能下调"))
            let empty = try await browser.post(followURL, [("note", "")], token: matter.formToken)
            #expect(empty.status == .unprocessableContent && empty.html.contains("请填写回访情况"))
            let done = try await browser.post(followURL, [("note", "镇领导牵头会商，双方已和解，派出所回访无异常")], token: matter.formToken)
            #expect(done.status == .seeOther)
            let after = try await browser.get(try #require(done.location))
            #expect(after.html.contains("回访已记录。") && after.html.contains("双方已和解"))
            // The violence reported still gives red: it may not come below it by hand.
            let below = try await browser.post(lowerURL, [("colour", "green")], token: after.formToken)
            #expect(below.status == .unprocessableContent && below.html.contains("不能下调"))

            // A village's post sees its own area only: the town's picture is not there for it.
            let village = Browser(client: api.client)
            try await village.signIn("village1")
            #expect(try await village.get("/risk").status == .ok)
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            #expect(try await village.get("/risk?area=\(town.id)").status == .notFound)

            let admin = Browser(client: api.client)
            try await admin.signIn("admin")
            let rules = try await admin.get("/administration/risk")
            #expect(rules.status == .ok && rules.html.contains(#"name="collectiveHeadcount" value="5""#))
            var fields = rules.html.matches(of: /<input id="r-\w+" name="(\w+)" value="([^"]*)"/).map { (String($0.1), String($0.2)) }
            #expect(fields.count == 20, "every rule a field: 7 of the baseline, 13 of the colours")
            fields = fields.map { $0.0 == "collectiveHeadcount" ? ($0.0, "1") : $0 }
            let refused = try await admin.post("/administration/risk", fields, token: rules.formToken)
            #expect(refused.status == .unprocessableContent && refused.html.contains(#"aria-describedby="e-collectiveHeadcount""#))
            fields = fields.map { $0.0 == "collectiveHeadcount" ? ($0.0, "6") : $0 }
            let saved = try await admin.post("/administration/risk", fields, token: rules.formToken)
            #expect(saved.status == .seeOther)
            #expect(try await admin.get(try #require(saved.location)).html.contains(#"name="collectiveHeadcount" value="6""#))
        }
    }

    @Test func aClosedWeeksReportIsAnnouncedShownAsADocumentAndExported() async throws {
        try await TestApp.pages { browser, api, city in
            let (id, _, mediator) = try await DisputeAPITests.assignedDispute(api, city)
            let violence = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "reportViolence", "note": "一方扬言报复"])
            #expect(violence.status == .ok, "\(violence.json)")
            // Judged red this week; a week on, the watcher issues this week's report (the server's
            // own watcher has issued the last week's already, before the red).
            try await city.judgeRisk(Date())
            let weekOn = Date().addingTimeInterval(7 * 86_400)
            #expect(try await city.issueRiskReports(weekOn) == 1)
            #expect(try await city.issueRiskReports(weekOn) == 0)
            let county = try #require(city.directory.areas.values.first { $0.level == .county })

            try await browser.signIn("leader")
            let risk = try await browser.get("/risk")
            #expect(risk.html.contains("稳定风险周报已签发"), "the city's leader, over the county, is told")
            let link = try #require(risk.html.firstMatch(of: /href="(\/risk\/reports\/\d+\/\d{4}-W\d{2})"/).map { String($0.1) })
            #expect(link.hasPrefix("/risk/reports/\(county.id)/"))
            let page = try await browser.get(link)
            #expect(page.status == .ok)
            #expect(page.html.contains("社会稳定风险周报（四情三色）") && page.html.contains(#"class="receipt risk-report""#) && page.html.contains("data-print"))
            for section in ["一、总体情况", "二、四情与基线对比", "三、本周颜色变化及原因", "四、红色、黄色事项（周末）", "五、回访情况"] {
                #expect(page.html.contains(section), "\(section)")
            }
            #expect(page.html.contains("有激化为暴力的风险"), "the red dispute, with why")
            #expect(page.html.contains("绿色 → <span class=\"clock clock-red\""), "it turned red that week")
            #expect(page.html.contains("主要领导（集体会商）") && page.html.contains("签发时间："))

            let csv = try await browser.get(link + "/csv")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.hasPrefix("\u{FEFF}") && csv.html.contains("有激化为暴力的风险") && csv.html.contains("警情"))

            let list = try await browser.get("/risk/reports")
            #expect(list.status == .ok && list.html.contains(#"href="\#(link)""#))

            // A week not closed yet, and one that is no week, are no pages.
            let next = (RiskWeek(containing: Date(), offset: 8 * 3600) + 1).isoText
            #expect(try await browser.get("/risk/reports/\(county.id)/\(next)").status == .notFound)
            #expect(try await browser.get("/risk/reports/\(county.id)/2026-W99").status == .notFound)
            // A town's leader does not cover the county.
            let town = Browser(client: api.client)
            try await town.signIn("leader.town1")
            #expect(try await town.get(link).status == .notFound)
            let townList = try await town.get("/risk/reports")
            #expect(townList.status == .ok && townList.html.contains("您的岗位不覆盖整个县（区）"))
        }
    }
}
