import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The points page: the demo village's ranking and intact ledger, a rule added from the form (a
/// bad one refused beside its field), points recorded by household number and redeemed, and a
/// town's dispatcher who reads the village but gets no forms.
@Suite struct PointsPagesTests {
    @Test func aVillageAddsARuleRecordsAndRedeemsAndTheTownReads() async throws {
        try await TestApp.pages { browser, api, _ in
            try await browser.signIn("village1")
            let page = try await browser.get("/points")
            #expect(page.status == .ok && page.html.contains("哈希链完整"), "the demo's ledger, checked")
            let village = try #require(page.html.firstMatch(of: /name="village" value="(\d+)"/).map { String($0.1) })
            let household = try #require(page.html.firstMatch(of: /data-household="(\d+)"/).map { String($0.1) })

            let refused = try await browser.post("/points/rules", [("village", village), ("name", "参加植树"), ("points", "0")], token: page.formToken)
            #expect(refused.status == .unprocessableContent && refused.html.contains("分值为 −100 至 100 之间的非零整数。"))
            let added = try await browser.post("/points/rules", [("village", village), ("name", "参加植树活动"), ("points", "4")], token: page.formToken)
            #expect(added.status == .seeOther)
            let withRule = try await browser.get(try #require(added.location))
            #expect(withRule.html.contains("已新增积分细则。") && withRule.html.contains("参加植树活动"))
            let rule = try #require(withRule.html.firstMatch(of: /<option value="(\d+)">参加植树活动/).map { String($0.1) })

            let recorded = try await browser.post(
                "/points/entries", [("village", village), ("household", household), ("rule", rule), ("note", "村口植树")], token: page.formToken)
            #expect(recorded.status == .seeOther)
            #expect(try await browser.get(try #require(recorded.location)).html.contains("参加植树活动：村口植树"))
            let tooMuch = try await browser.post(
                "/points/entries", [("village", village), ("household", household), ("redeem", "1"), ("item", "大米"), ("points", "100000")],
                token: page.formToken)
            #expect(tooMuch.status == .unprocessableContent && tooMuch.html.contains("不超过该户现有积分"))
            let redeemed = try await browser.post(
                "/points/entries", [("village", village), ("household", household), ("redeem", "1"), ("item", "洗衣粉一袋"), ("points", "1")],
                token: page.formToken)
            #expect(redeemed.status == .seeOther)

            let town = Browser(client: api.client)
            try await town.signIn("town1")
            let read = try await town.get("/points?village=\(village)")
            #expect(read.status == .ok && read.html.contains("洗衣粉一袋") && !read.html.contains(#"action="/points/entries""#))
            let forbidden = try await town.post(
                "/points/entries", [("village", village), ("household", household), ("rule", rule)], token: read.formToken)
            #expect(forbidden.status == .forbidden || forbidden.status == .notFound)
        }
    }
}
