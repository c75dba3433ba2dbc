import Foundation
import HTTPTypes
import HummingbirdTesting
import OneGridApplication
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The administrator's pages of mediation bodies and major-dispute thresholds, through the router
/// as a browser uses them: refusals beside their field with a 422, changes redirected to a page
/// that says what happened.
@Suite struct AdminMediationPagesTests {
    @Test func onlyTheAdministratorOpensTheMediationPages() async throws {
        try await TestApp.pages { browser, _, _ in
            try await browser.signIn("mediator1")
            for path in ["/administration/mediation", "/administration/major-disputes"] {
                #expect(try await browser.get(path).status == .forbidden, "\(path)")
            }
        }
    }

    @Test func aBodyIsSetUpStaffedAndRetiredAfterABadNameAndUsernameAreRefusedBesideTheirFields() async throws {
        try await TestApp.pages { browser, _, city in
            try await browser.signIn("admin")
            let home = try await browser.get("/administration")
            #expect(home.html.contains(#"href="/administration/mediation""#), "the admin home leads to the bodies")
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let list = try await browser.get("/administration/mediation?area=\(town.id)")
            #expect(list.html.contains("人民调解委员会"), "the demo's town committee is listed")

            let refused = try await browser.post(
                "/administration/mediation", [("name", " "), ("kind", "townCommittee"), ("area", String(town.id))], token: list.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="new-name-error">请填写名称"#))
            let created = try await browser.post(
                "/administration/mediation", [("name", "镇物业纠纷调委会"), ("kind", "propertyCommittee"), ("area", String(town.id))],
                token: list.formToken)
            #expect(created.status == .seeOther)
            let bodyPath = try #require(created.location?.split(separator: "?").first.map(String.init))
            let body = try await browser.get(try #require(created.location))
            #expect(body.html.contains("已设立镇物业纠纷调委会"))

            let notMediator = try await browser.post(bodyPath, [("action", "addMember"), ("username", "village1")], token: body.formToken)
            #expect(notMediator.status == .unprocessableContent)
            #expect(notMediator.html.contains(#"<p class="field-error" id="username-error">"#))
            #expect(notMediator.html.contains(#"value="village1""#), "the input is kept")
            let added = try await browser.post(bodyPath, [("action", "addMember"), ("username", "mediator1")], token: body.formToken)
            #expect(added.status == .seeOther)
            let staffed = try await browser.get(try #require(added.location))
            #expect(staffed.html.contains("已添加调解员") && staffed.html.contains("<td>mediator1</td>"))

            let retired = try await browser.post(bodyPath, [("action", "retire")], token: body.formToken)
            let after = try await browser.get(try #require(retired.location))
            #expect(after.html.contains("已撤销该调解组织"))
            #expect(!after.html.contains(#"value="addMember""#), "a retired body offers no change")
            let again = try await browser.post(bodyPath, [("action", "rename"), ("name", "新名")], token: body.formToken)
            #expect(again.status == .unprocessableContent)
            #expect(again.html.contains("该调解组织已撤销"))
        }
    }

    @Test func theThresholdsAreShownChangedAndABadAmountIsRefusedBesideItsField() async throws {
        try await TestApp.pages { browser, _, _ in
            try await browser.signIn("admin")
            let page = try await browser.get("/administration/major-disputes")
            #expect(page.html.contains(#"id="amountYuan" name="amountYuan" value="500000""#))
            let refused = try await browser.post(
                "/administration/major-disputes", [("amountYuan", "lots"), ("peopleInvolved", "5"), ("types", "medical")], token: page.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="amountYuan-error">"#))
            #expect(refused.html.contains(#"value="lots""#))
            let saved = try await browser.post(
                "/administration/major-disputes", [("amountYuan", "20000"), ("peopleInvolved", "8"), ("types", "traffic"), ("types", "medical")],
                token: page.formToken)
            #expect(saved.status == .seeOther)
            let after = try await browser.get(try #require(saved.location))
            #expect(after.html.contains("已保存重大纠纷标准"))
            #expect(after.html.contains(#"value="20000""#) && after.html.contains(#"value="8""#))
            #expect(after.html.contains(#"value="traffic" checked"#) && !after.html.contains(#"value="labourAndWages" checked"#))
            #expect(!after.html.contains(#"id="violenceRisk" name="violenceRisk" type="checkbox" value="1" checked"#), "unticked stays unticked")
        }
    }
}
