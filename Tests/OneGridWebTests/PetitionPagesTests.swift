import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The petition pages: the desk's registration form with its errors beside the field, the repeat
/// candidates on the new petition's page, a step taken per form, and the printed notice and reply.
@Suite struct PetitionPagesTests {
    static let people = "张建国 13812345678 330205198001011234\n李秀兰 13900001111 330205197505052246"

    static func register(_ browser: Browser, caseID: Int64, matter: String, people: String = people) async throws -> Browser.Page {
        let desk = try await browser.get("/petitions")
        #expect(desk.status == .ok)
        return try await browser.post("/petitions", [
            ("case", "\(caseID)"), ("form", "visit"), ("petitionClass", "appeal"), ("headcount", "6"), ("petitioners", people),
            ("matter", matter), ("bodies", "县信访局"), ("addressedLevel", "county"),
        ], token: desk.formToken)
    }

    @Test func aClerkRegistersConfirmsARepeatAndTheBureauAcceptsRepliesAndPrints() async throws {
        try await TestApp.pages { browser, api, city in
            let window = try await api.signIn("window1")
            func petitionCase(_ title: String) async throws -> Int64 {
                try #require(try await api.report(token: window, at: city.gridPoints[0].point, category: "petition.collective", title: title).id)
            }
            let earlier = try await petitionCase("集体反映征地补偿")
            let caseID = try await petitionCase("再次反映征地补偿")
            try await browser.signIn("county1")

            let refused = try await Self.register(browser, caseID: caseID, matter: "征地补偿款一直没有发放到位", people: "张建国 13812345678 330205198001011235")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"id="e-petitioners""#), "the error sits next to the petitioners' box")
            #expect(refused.html.contains("征地补偿款一直没有发放到位"), "what was typed is kept")

            let first = try await Self.register(browser, caseID: earlier, matter: "反映征地补偿款至今未发放到位")
            #expect(first.status == .seeOther && first.location == "/petitions/\(earlier)")
            let second = try await Self.register(browser, caseID: caseID, matter: "征地补偿款一直没有发放到位")
            let page = try await browser.get(try #require(second.location))
            #expect(page.status == .ok)
            #expect(page.html.contains("可能的重复信访") && page.html.contains(#"name="earlier" value="\#(earlier)""#))
            #expect(page.html.contains("6 人（集体访）"))
            #expect(page.html.contains("330205198001011234"), "a dispatcher may see the ID numbers")
            let linked = try await browser.post("/petitions/\(caseID)/repeat", [("earlier", "\(earlier)")], token: page.formToken)
            let afterLink = try await browser.get(try #require(linked.location))
            #expect(afterLink.html.contains("已确认为重复信访"))
            #expect(afterLink.html.contains("#\(earlier)"))

            // Routed from the county centre's page to the county's petition bureau.
            let bureau = try #require(city.directory.departments.values.first { $0.kind == "petition" && $0.level == .county })
            #expect(afterLink.html.contains(#"<option value="department:\#(bureau.id)">"#))
            let routed = try await browser.post("/petitions/\(caseID)/steps", [("step", "route"), ("to", "department:\(bureau.id)")], token: afterLink.formToken)
            #expect(try await browser.get(try #require(routed.location)).html.contains("已转送"))

            let handler = Browser(client: api.client)
            try await handler.signIn("handler.county1.petition")
            let desk = try await handler.get("/petitions")
            #expect(desk.html.contains("/petitions/\(caseID)") && desk.html.contains("clock clock-green"))
            #expect(desk.html.contains("受理告知"), "its notice limit at a glance")
            let held = try await handler.get("/petitions/\(caseID)")
            #expect(held.html.contains("330205********1234"), "a handler sees the ID numbers masked")
            #expect(held.html.contains(#"id="form-accept""#) && held.html.contains(#"id="form-object""#))
            #expect(!held.html.contains(#"id="form-route""#))
            _ = try await handler.post("/petitions/\(caseID)/steps", [("step", "accept"), ("notice", "您反映的征地补偿问题本机关已受理。")], token: held.formToken)
            let tooLong = try await handler.post("/petitions/\(caseID)/steps", [("step", "extend"), ("extendBy", "30d"), ("reason", "核实"), ("approvedBy", "")], token: held.formToken)
            #expect(try await handler.get(try #require(tooLong.location)).html.contains("Art. 34"), "the refusal names its article")

            let notice = try await handler.get("/petitions/\(caseID)/notice")
            #expect(notice.status == .ok)
            #expect(notice.html.contains("信访事项受理告知书") && notice.html.contains("您反映的征地补偿问题本机关已受理。"))
            #expect(notice.html.contains("张建国、李秀兰等 6 人"))
            #expect(try await handler.get("/petitions/\(caseID)/reply").status == .notFound, "no reply yet")

            _ = try await handler.post("/petitions/\(caseID)/steps", [("step", "reply"), ("text", "经核实，补偿款已补发到位。")], token: held.formToken)
            let reply = try await handler.get("/petitions/\(caseID)/reply")
            #expect(reply.status == .ok && reply.html.contains("信访处理意见书") && reply.html.contains("经核实，补偿款已补发到位。"))
            #expect(reply.html.contains("30日内"), "the petitioner is told of the review")

            let worker = Browser(client: api.client)
            try await worker.signIn("gridworker1")
            #expect(try await worker.get("/petitions").status == .forbidden)
        }
    }
}
