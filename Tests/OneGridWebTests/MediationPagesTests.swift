import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// The mediation pages: a dispute case registered, mediated and agreed through the forms, the
/// desk as the mediator's home, the agreement printed with its signature and stamp blocks.
@Suite struct MediationPagesTests {
    /// Follows a form's redirect and returns the page it lands on.
    static func submit(_ browser: Browser, _ path: String, _ fields: [(String, String)], from page: Browser.Page) async throws -> Browser.Page {
        let posted = try await browser.post(path, fields, token: page.formToken)
        #expect(posted.status == .seeOther || posted.status == .found, "\(path): \(posted.status)")
        return try await browser.get(try #require(posted.location))
    }

    @Test func aDisputeIsRegisteredMediatedAndItsAgreementPrinted() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(
                try await api.report(token: worker, at: city.gridPoints[0].point, category: "dispute.neighbour", title: "邻里漏水纠纷").id)
            let path = "/disputes/\(id)"

            let centre = Browser(client: api.client)
            try await centre.signIn("village1")
            var page = try await centre.get(path)
            #expect(page.status == .ok && page.html.contains("登记纠纷"))
            page = try await Self.submit(centre, path, [
                ("type", "neighbour"), ("summary", "楼上漏水"), ("party1.role", "applicant"), ("party1.kind", "person"),
                ("party1.name", "王秀英"), ("party1.phone", "13812345678"), ("party2.role", "respondent"), ("party2.kind", "person"),
                ("party2.name", "李建国"),
            ], from: page)
            #expect(page.html.contains("138****5678"), "the party's phone is masked")
            let body = try #require(page.html.firstMatch(of: /name="body" required><option value="(\d+)">/)?.1)
            page = try await Self.submit(centre, "\(path)/steps", [("step", "assign"), ("body", String(body))], from: page)
            #expect(page.html.contains("调解中"))

            let mediator = Browser(client: api.client)
            let home = try await mediator.signIn("mediator1")
            #expect(home.location == "/mediation", "the desk is the mediator's home")
            let desk = try await mediator.get("/mediation")
            #expect(desk.html.contains(path))
            page = try await mediator.get(path)
            // A party found later: the mediator adds them from the page, and they are masked too.
            #expect(page.html.contains(#"id="form-addParty""#))
            page = try await Self.submit(mediator, "\(path)/steps", [
                ("step", "addParty"), ("newParty.role", "respondent"), ("newParty.kind", "person"), ("newParty.name", "李建军"),
                ("newParty.phone", "13711112222"),
            ], from: page)
            #expect(page.html.contains("李建军") && page.html.contains("137****2222"))
            let nameless = try await Self.submit(mediator, "\(path)/steps", [("step", "addParty"), ("newParty.role", "respondent")], from: page)
            #expect(nameless.html.contains("newParty.name"), "a missing name is named")
            let now = Date().addingTimeInterval(-3_600).formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
            page = try await Self.submit(mediator, "\(path)/steps", [
                ("step", "recordSession"), ("startsAt", String(now.prefix(16))), ("place", "城河社区调解室"), ("participants", "王秀英\n李建国"),
                ("record", "双方同意协商"),
            ], from: page)
            #expect(page.html.contains("双方同意协商"))
            let refused = try await Self.submit(mediator, "\(path)/steps", [("step", "recordSession"), ("startsAt", "yesterday")], from: page)
            #expect(refused.html.contains("startsAt"), "a wrong date is named")
            let due = Date().addingTimeInterval(5 * 86_400).formatted(.iso8601.year().month().day().dateSeparator(.dash))
            page = try await Self.submit(mediator, "\(path)/steps", [
                ("step", "draftAgreement"), ("facts", "楼上水管破裂"), ("terms", "赔偿修缮费3000元"),
                ("obligation1.party", "2"), ("obligation1.text", "支付3000元"), ("obligation1.dueOn", due),
            ], from: page)
            for fields in [
                [("step", "signAsParty"), ("party", "1")], [("step", "signAsParty"), ("party", "2")], [("step", "signAsParty"), ("party", "3")],
                [("step", "signAsMediator")], [("step", "stamp")],
            ] {
                page = try await Self.submit(mediator, "\(path)/steps", fields, from: page)
            }
            #expect(page.html.contains("达成协议"))

            let printed = try await mediator.get("\(path)/agreement")
            #expect(printed.status == .ok)
            for words in ["人民调解协议书", "王秀英", "李建国", "支付3000元", "人民调解委员会（印章）", "第三十三条"] {
                #expect(printed.html.contains(words), "the printed agreement shows \(words)")
            }
            #expect(!printed.html.contains("13812345678"), "personal data is masked in print")

            page = try await Self.submit(mediator, "\(path)/steps", [("step", "followUp"), ("carriedOut", "yes"), ("note", "已支付")], from: page)
            #expect(page.html.contains("已履行"))

            let stranger = Browser(client: api.client)
            try await stranger.signIn("leader.town1")
            #expect(try await stranger.get(path).status == .forbidden)
        }
    }
}
