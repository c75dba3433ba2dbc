import Foundation
import HTTPTypes
import HummingbirdTesting
import OneGridDomain
@testable import OneGridWeb
import Testing

@Suite struct AdminPagesTests {
    @Test func onlyTheAdministratorOpensTheAdministrationPages() async throws {
        try await TestApp.pages { browser, _, _ in
            try await browser.signIn("village1")
            #expect(try await browser.get("/administration").status == .forbidden)
            #expect(try await browser.get("/administration/users").status == .forbidden)
            browser.cookies.values[PageSessionMiddleware.sessionCookie] = nil

            try await browser.signIn("admin")
            let home = try await browser.get("/administration")
            #expect(home.status == .ok)
            #expect(home.html.contains("网格"))
            #expect(home.html.contains(#"href="/administration/users?role=dispatcher""#))
        }
    }

    @Test func theAdministratorCreatesAUserWhoThenSignsInAndTheListShowsTheSignIn() async throws {
        try await TestApp.pages { browser, _, city in
            try await browser.signIn("admin")
            let list = try await browser.get("/administration/users")
            let village = try #require(city.directory.areas.values.first { $0.level == .village })

            // A wrong field comes back on the form, next to the field, in plain Chinese, keeping the input.
            let refused = try await browser.post(
                "/administration/users",
                [("username", "x"), ("displayName", "王芳"), ("role", "dispatcher"), ("area", String(village.id))], token: list.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="new-username-error">用户名须为"#))
            #expect(refused.html.contains(#"value="王芳""#))

            let created = try await browser.post(
                "/administration/users",
                [("username", "wang.fang"), ("displayName", "王芳"), ("password", "wang-fang-1"), ("role", "dispatcher"), ("area", String(village.id))],
                token: list.formToken)
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            let userPage = try await browser.get(location)
            #expect(userPage.html.contains("已创建账号：王芳"))
            #expect(userPage.html.contains("从未登录"))

            let other = Browser(client: browser.client)
            #expect(try await other.signIn("wang.fang", password: "wang-fang-1").location == "/queue")
            let after = try await browser.get("/administration/users?q=wang")
            #expect(after.html.contains("wang.fang"))
            #expect(!after.html.contains("从未登录"))
        }
    }

    @Test func disablingEndsTheUsersPageSessionAndRefusesItsSignIn() async throws {
        try await TestApp.pages { browser, _, _ in
            let victim = Browser(client: browser.client)
            try await victim.signIn("village1")
            #expect(try await victim.get("/queue").status == .ok)

            try await browser.signIn("admin")
            let list = try await browser.get("/administration/users?q=village1")
            // The row whose username is exactly village1 (handler.village1 matches the search too).
            let path = try #require(list.html.firstMatch(of: /href="(\/administration\/users\/\d+)">[^<]*<\/a><\/td><td>village1<\/td>/).map { String($0.1) })
            let page = try await browser.get(path)
            let disabled = try await browser.post(path, [("action", "disable")], token: page.formToken)
            #expect(try await browser.get(try #require(disabled.location)).html.contains("账号已停用"))

            #expect(try await victim.get("/queue").status == .seeOther)
            #expect(try await victim.signIn("village1").location?.contains("failed=1") == true)
        }
    }
}
