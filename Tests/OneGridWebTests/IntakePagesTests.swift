import Foundation
import HTTPTypes
import OneGridDemo
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The window's intake: proposals from the text, the form's errors next to their fields, the
/// outcomes, attaching to an alike case, and the receipt.
@Suite struct IntakePagesTests {
    /// A grid of window1's town, and the id of the demo's street-light category.
    static func place(_ api: API, _ city: TestApp.City) async throws -> (grid: Int64, streetlight: Int64, token: String) {
        let token = try await api.signIn("window1")
        let me = try await api.send(.get, "/api/v1/me", token: token)
        let town = try #require((((me["post"] as? [String: Any])?["area"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        let grid = try #require(city.gridPoints.first { point in city.directory.lineage(of: point.gridID).contains { $0.id == town } }?.gridID)
        let streetlight = try #require(city.directory.category(code: "service.streetlight")?.id)
        return (grid, streetlight, token)
    }

    static let person: [(String, String)] = [("name", "李四"), ("phone", "13912345678"), ("idNumber", "11010519491231002X")]

    @Test func theAPIProposesTheCategoryOfAStreetLightReport() async throws {
        try await TestApp.run(trainClassifier: true) { api, _ in
            let token = try await api.signIn("window1")
            let reply = try await api.send(.get, "/api/v1/categories/proposals?text=" + "村口的路灯坏了，晚上一片漆黑".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, token: token)
            #expect(reply.status == .ok)
            let proposals = try #require(reply["proposals"] as? [[String: Any]])
            #expect(proposals.count == 3)
            #expect((proposals.first?["category"] as? [String: Any])?["code"] as? String == "service.streetlight")
            let confidences = proposals.compactMap { ($0["confidence"] as? NSNumber)?.doubleValue }
            #expect(confidences == confidences.sorted(by: >), "best first")

            let missing = try await api.send(.get, "/api/v1/categories/proposals", token: token)
            #expect(missing.status == .badRequest)
            #expect(missing.errorField == "text")
            let handler = try await api.signIn("handler.village1")
            #expect(try await api.send(.get, "/api/v1/categories/proposals?text=x", token: handler).status == .forbidden)
        }
    }

    @Test func theClerkRegistersAWalkInWithTheProposedCategoryAndGetsAReceipt() async throws {
        try await TestApp.pages(trainClassifier: true) { browser, api, city in
            let (grid, streetlight, token) = try await Self.place(api, city)
            try await browser.signIn("window1")
            let form = try await browser.get("/intake")
            #expect(form.status == .ok)
            #expect(form.html.contains("一窗受理"))
            // The map names each village beside its numbered grids.
            let gridVillage = try #require(city.directory.areas[grid].flatMap(\.parentID).flatMap { city.directory.areas[$0] })
            #expect(form.html.contains("class=\"village-name\""))
            #expect(form.html.contains(">\(gridVillage.name)</text>"))

            // Without scripts, "建议分类" posts the form back with the proposals.
            let text: [(String, String)] = [("title", "村口路灯不亮"), ("description", "村口的路灯坏了三天，晚上一片漆黑")]
            let proposed = try await browser.post("/intake", Self.person + text + [("intent", "propose")], token: form.formToken)
            #expect(proposed.status == .ok)
            #expect(proposed.html.contains(#"name="category" value="\#(streetlight)""#), "the street-light category is proposed")
            #expect(proposed.html.contains("路灯维修"))
            #expect(proposed.html.contains(#"value="村口路灯不亮""#), "what was typed is kept")

            // The script's fragment says the same.
            let fragment = try await browser.get("/intake/proposals?text=" + "路灯坏了".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(fragment.html.contains(#"value="\#(streetlight)""#))

            // Saving without a grid: the error is next to the grid, nothing is written.
            let noGrid = try await browser.post(
                "/intake", Self.person + text + [("category", "\(streetlight)"), ("intent", "register")], token: form.formToken)
            #expect(noGrid.status == .unprocessableContent)
            #expect(noGrid.html.contains(#"id="e-grid""#))
            #expect(noGrid.html.contains("请选择事项发生的网格"))
            let before = try await api.send(.get, "/api/v1/cases", token: token)
            #expect((before["cases"] as? [Any])?.isEmpty == true)

            let key = "walk-in-1"
            let saved = try await browser.post(
                "/intake",
                Self.person + text + [("category", "\(streetlight)"), ("grid", "\(grid)"), ("address", "幸福村村口"), ("outcome", "route"),
                    ("key", key), ("intent", "register")],
                token: form.formToken)
            #expect(saved.status == .seeOther)
            let receiptURL = try #require(saved.location)
            #expect(receiptURL.hasPrefix("/intake/receipts/"))
            let receipt = try await browser.get(receiptURL)
            #expect(receipt.status == .ok)
            #expect(receipt.html.contains("受理回执"))
            #expect(receipt.html.contains("村口路灯不亮"))
            #expect(receipt.html.contains("139****5678"), "the phone is printed masked")
            #expect(!receipt.html.contains("13912345678"))
            #expect(receipt.html.contains("办理时限"))

            // A second click on the same form registers nothing more.
            let again = try await browser.post(
                "/intake",
                Self.person + text + [("category", "\(streetlight)"), ("grid", "\(grid)"), ("outcome", "route"), ("key", key), ("intent", "register")],
                token: form.formToken)
            #expect(again.location == receiptURL)
            let cases = try await api.send(.get, "/api/v1/cases", token: token)
            #expect((cases["cases"] as? [Any])?.count == 1)
            #expect(((cases["cases"] as? [[String: Any]])?.first?["channel"] as? String) == "window")
        }
    }

    @Test func eachOutcomeAsksForWhatItNeedsAndTakesItsStep() async throws {
        try await TestApp.pages { browser, api, city in
            let (grid, streetlight, token) = try await Self.place(api, city)
            try await browser.signIn("window1")
            let form = try await browser.get("/intake")
            let base: [(String, String)] = [("title", "邻里噪音"), ("category", "\(streetlight)"), ("grid", "\(grid)"), ("intent", "register")]

            let noReason = try await browser.post("/intake", base + [("outcome", "reject")], token: form.formToken)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.html.contains("不予受理需写明书面理由"))
            let noRoute = try await browser.post("/intake", base + [("outcome", "guide"), ("note", "属诉讼事项")], token: form.formToken)
            #expect(noRoute.html.contains(#"id="e-legalRoute""#))
            #expect((try await api.send(.get, "/api/v1/cases", token: token)["cases"] as? [Any])?.isEmpty == true, "nothing half-written")

            let badPhone = try await browser.post("/intake", base + [("phone", "12345")], token: form.formToken)
            #expect(badPhone.status == .unprocessableContent)
            #expect(badPhone.html.contains(#"id="e-phone""#))

            let solved = try await browser.post("/intake", base + [("outcome", "solveOnSpot"), ("note", "当场联系电工修复")], token: form.formToken)
            let solvedID = try #require(solved.location?.split(separator: "/").last.flatMap { Int64($0) })
            #expect(try await api.send(.get, "/api/v1/cases/\(solvedID)", token: token).status_ == "verified", "solved on the spot, waiting only for the rating")

            let guided = try await browser.post(
                "/intake", base + [("outcome", "guide"), ("legalRoute", LegalRoute.allCases[0].rawValue), ("note", "属诉讼事项")], token: form.formToken)
            let guidedID = try #require(guided.location?.split(separator: "/").last.flatMap { Int64($0) })
            let guidedCase = try await api.send(.get, "/api/v1/cases/\(guidedID)", token: token)
            #expect(guidedCase["legalRoute"] as? String == LegalRoute.allCases[0].rawValue)
            let receipt = try await browser.get("/intake/receipts/\(guidedID)")
            #expect(receipt.html.contains("法定途径") || receipt.html.contains("途径"))
        }
    }

    @Test func anAlikeOpenCaseIsShownAndTheRequestCanBeAttachedToIt() async throws {
        try await TestApp.pages { browser, api, city in
            let (grid, streetlight, token) = try await Self.place(api, city)
            let point = try #require(city.gridPoints.first { $0.gridID == grid }?.point)
            let first = try await api.report(token: token, at: point)
            let firstID = try #require(first.id)

            try await browser.signIn("window1")
            let form = try await browser.get("/intake")
            let text: [(String, String)] = [("title", "村口路灯不亮"), ("description", "晚上村口一排路灯都不亮，行人不便。"), ("category", "\(streetlight)"), ("grid", "\(grid)")]
            let checked = try await browser.post("/intake", text + [("intent", "propose")], token: form.formToken)
            #expect(checked.html.contains(#"name="attachTo" value="\#(firstID)""#), "the open case alike is offered")

            let attached = try await browser.post("/intake", text + [("attachTo", "\(firstID)"), ("intent", "register")], token: form.formToken)
            let newID = try #require(attached.location?.split(separator: "/").last.flatMap { Int64($0) })
            let merged = try await api.send(.get, "/api/v1/cases/\(newID)", token: token)
            #expect((merged["primaryCaseID"] as? NSNumber)?.int64Value == firstID)
        }
    }

    @Test func aReceiptIsNotFoundForAPostThatMayNotSeeTheCase() async throws {
        try await TestApp.pages { browser, api, city in
            let (_, streetlight, _) = try await Self.place(api, city)
            // The third grid lies in the town's second village, which village1's dispatcher does not see.
            let grid = city.gridPoints[2].gridID
            try await browser.signIn("window1")
            let form = try await browser.get("/intake")
            let saved = try await browser.post(
                "/intake", [("title", "井盖缺失"), ("category", "\(streetlight)"), ("grid", "\(grid)"), ("intent", "register")], token: form.formToken)
            let receiptURL = try #require(saved.location)
            #expect(try await browser.get(receiptURL).status == .ok)
            let other = Browser(client: browser.client)
            try await other.signIn("village1")
            let refused = try await other.get(receiptURL)
            #expect(refused.status == .notFound)
            #expect(!refused.html.contains("井盖缺失"))
        }
    }
}
