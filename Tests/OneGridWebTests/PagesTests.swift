import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OneGridApplication
import OneGridDemo
import OneGridDomain
@testable import OneGridWeb
import Testing

/// A browser over the test router: keeps cookies, follows nothing by itself, and reads the form
/// token out of the pages it gets, as a browser's forms would send it.
struct Browser: Sendable {
    let client: any TestClientProtocol
    let cookies = CookieJar()

    final class CookieJar: @unchecked Sendable {
        // Tests drive one browser from one task at a time.
        var values: [String: String] = [:]
    }

    struct Page: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var html: String
        var location: String? { headers[.location] }
        /// The form token the page's forms carry.
        var formToken: String? {
            guard let range = html.range(of: #"name="_csrf" value="([0-9a-f]{64})""#, options: .regularExpression) else { return nil }
            return String(html[range].dropFirst(#"name="_csrf" value=""#.count).prefix(64))
        }
    }

    func get(_ path: String) async throws -> Page {
        try await send(.get, path, body: nil, contentType: nil)
    }

    /// Posts a form; the page's form token is added unless `token` says otherwise.
    func post(_ path: String, _ fields: [(String, String)], token: String?) async throws -> Page {
        var all = fields
        if let token { all.append(("_csrf", token)) }
        var components = URLComponents()
        components.queryItems = all.map { URLQueryItem(name: $0.0, value: $0.1) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send(.post, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a form with files (`multipart/form-data`), as a form with a file input sends it.
    func post(_ path: String, _ fields: [(String, String)], files: [(field: String, name: String, bytes: [UInt8])], token: String?) async throws -> Page {
        let boundary = "----onegrid-test-\(UUID().uuidString)"
        var body: [UInt8] = []
        func part(_ disposition: String, _ content: [UInt8]) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; \(disposition)\r\n\r\n".utf8) + content + Array("\r\n".utf8)
        }
        for (name, value) in fields + (token.map { [("_csrf", $0)] } ?? []) { part("name=\"\(name)\"", Array(value.utf8)) }
        for file in files { part("name=\"\(file.field)\"; filename=\"\(file.name)\"", file.bytes) }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await send(.post, path, body: ByteBuffer(bytes: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Signs in through the sign-in form and lands on the page it leads to.
    @discardableResult
    func signIn(_ username: String, password: String = DemoCity.password) async throws -> Page {
        let form = try await get("/signin")
        return try await post("/signin", [("username", username), ("password", password)], token: form.formToken)
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, contentType: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.values.isEmpty {
            headers[.cookie] = cookies.values.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: body)
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") { cookies.values[name] = nil } else { cookies.values[name] = value }
        }
        return Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }
}

extension TestApp {
    /// The app with a browser and the JSON API side by side.
    static func pages(
        cases: Int = 0, trainClassifier: Bool = false, _ test: @escaping @Sendable (Browser, API, City) async throws -> Void
    ) async throws {
        try await run(cases: cases, trainClassifier: trainClassifier) { api, city in try await test(Browser(client: api.client), api, city) }
    }
}

@Suite struct PagesSignInTests {
    @Test func wrongPasswordIsSaidPlainlyAndTheRightOneLeadsToTheRolesHome() async throws {
        try await TestApp.pages { browser, _, _ in
            let wrong = try await browser.signIn("village1", password: "nope")
            #expect(wrong.status == .seeOther)
            let again = try await browser.get(try #require(wrong.location))
            #expect(again.html.contains("用户名或密码不对"))
            #expect(again.html.contains(#"value="village1""#), "the name typed is kept")

            let right = try await browser.signIn("village1")
            #expect(right.location == "/queue")
            let session = try #require(browser.cookies.values[PageSessionMiddleware.sessionCookie])
            #expect(session.count == 64)
            let queue = try await browser.get("/queue")
            #expect(queue.status == .ok)
            #expect(queue.html.contains("待办案件"))
            #expect(queue.headers[.cacheControl] == "no-store")
        }
    }

    @Test func unknownUserAndWrongPasswordGetTheSameAnswer() async throws {
        try await TestApp.pages { browser, _, _ in
            let unknown = try await browser.signIn("nobody-here", password: "x")
            let wrong = try await browser.signIn("village1", password: "x")
            #expect(unknown.location?.contains("failed=1") == true)
            #expect(wrong.location?.contains("failed=1") == true)
        }
    }

    @Test func eachRoleStartsOnItsOwnPage() async throws {
        try await TestApp.pages { browser, _, _ in
            for (user, home) in [("leader", "/command-room"), ("window1", "/intake"), ("admin", "/administration"), ("handler.village1", "/queue")] {
                let page = try await browser.signIn(user)
                #expect(page.location == home, "\(user)")
                let landed = try await browser.get(home)
                #expect(landed.status == .ok, "\(user) on \(home)")
                browser.cookies.values[PageSessionMiddleware.sessionCookie] = nil
            }
        }
    }

    @Test func signingOutEndsTheSessionEverywhere() async throws {
        try await TestApp.pages { browser, _, _ in
            try await browser.signIn("village1")
            let queue = try await browser.get("/queue")
            let token = try #require(browser.cookies.values[PageSessionMiddleware.sessionCookie])
            let out = try await browser.post("/signout", [], token: queue.formToken)
            #expect(out.location == "/signin")
            browser.cookies.values[PageSessionMiddleware.sessionCookie] = token
            let after = try await browser.get("/queue")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/signin?next=") == true)
        }
    }

    @Test func aFormWithoutItsTokenIsRefused() async throws {
        try await TestApp.pages { browser, _, _ in
            _ = try await browser.get("/signin")
            let forged = try await browser.post("/signin", [("username", "village1"), ("password", DemoCity.password)], token: nil)
            #expect(forged.status == .forbidden)
            #expect(forged.html.contains("表单已失效"))
            #expect(browser.cookies.values[PageSessionMiddleware.sessionCookie] == nil)
        }
    }

    @Test func theEnglishSwitchIsRemembered() async throws {
        try await TestApp.pages { browser, _, _ in
            let english = try await browser.get("/signin?lang=en")
            #expect(english.html.contains("Sign in to OneGrid"))
            #expect(english.html.contains(#"<html lang="en">"#))
            let still = try await browser.get("/signin")
            #expect(still.html.contains("Sign in to OneGrid"))
        }
    }
}

@Suite struct PagesCaseTests {
    @Test func aDispatcherDispatchesFromTheCasePageAndTheHandlerSignsAndFeedsBack() async throws {
        try await TestApp.pages { browser, api, city in
            let worker = try await api.signIn("gridworker1")
            let reported = try await api.report(token: worker, at: city.gridPoints[0].point, title: "页面派遣测试路灯")
            let id = try #require(reported.id)

            try await browser.signIn("village1")
            let queue = try await browser.get("/queue")
            #expect(queue.html.contains("页面派遣测试路灯"))
            var page = try await browser.get("/cases/\(id)")
            #expect(page.status == .ok)
            #expect(page.html.contains("138****5678"), "the phone is masked")
            #expect(!page.html.contains("13812345678"))
            #expect(page.html.contains(#"value="accept""#) && !page.html.contains(#"value="feedBack""#))
            var step = try await browser.post("/cases/\(id)/actions", [("action", "accept"), ("version", "1")], token: page.formToken)
            #expect(step.status == .seeOther)
            page = try await browser.get(try #require(step.location))
            #expect(page.html.contains("已受理。"))
            step = try await browser.post("/cases/\(id)/actions", [("action", "dispatch"), ("version", "2"), ("department", "")], token: page.formToken)
            page = try await browser.get(try #require(step.location))
            #expect(page.html.contains("已派遣。"), "the suggested department is taken when none is chosen")

            // A stale form: the version moved on, and the page says who moved it.
            step = try await browser.post("/cases/\(id)/actions", [("action", "urge"), ("version", "1")], token: page.formToken)
            page = try await browser.get(try #require(step.location))
            #expect(page.html.contains("已修改了此案件"), "\(page.html)")

            browser.cookies.values[PageSessionMiddleware.sessionCookie] = nil
            try await browser.signIn("handler.village1")
            page = try await browser.get("/cases/\(id)")
            step = try await browser.post("/cases/\(id)/actions", [("action", "start"), ("version", "3")], token: page.formToken)
            page = try await browser.get(try #require(step.location))
            // Feedback without a note is refused, and the reason is shown next to the form.
            step = try await browser.post("/cases/\(id)/actions", [("action", "feedBack"), ("version", "4")], token: page.formToken)
            page = try await browser.get(try #require(step.location))
            #expect(page.html.contains("未能反馈办结"))
            step = try await browser.post(
                "/cases/\(id)/actions", [("action", "feedBack"), ("version", "4"), ("note", "已更换灯泡"), ("evidence", "photo:after-1.jpg")],
                token: page.formToken)
            page = try await browser.get(try #require(step.location))
            #expect(page.html.contains("已反馈办结。"))
            #expect(page.html.contains("photo:after-1.jpg"))

            let village = try await api.signIn("village1")
            let read = try await api.send(.get, "/api/v1/cases/\(id)", token: village)
            #expect(read.status_ == "handled")
        }
    }

    @Test func aBulkActionTakesEachCaseAtItsVersionAndSaysHowEachWent() async throws {
        try await TestApp.pages { browser, api, city in
            let worker = try await api.signIn("gridworker1")
            let first = try #require(try await api.report(token: worker, at: city.gridPoints[0].point, title: "批量一").id)
            let secondReply = try await api.report(token: worker, at: city.gridPoints[0].point, title: "批量二")
            let second = try #require(secondReply.id, "\(secondReply.json)")
            try await browser.signIn("village1")
            let queue = try await browser.get("/queue")
            #expect(queue.html.contains(#"value="\#(first):1""#) && queue.html.contains(#"value="\#(second):1""#))
            // The second was changed since the queue was drawn: it is refused, the first is not held up.
            let village = try await api.signIn("village1")
            _ = try await api.act("urge", on: second, token: village, ["note": "请尽快"])
            let step = try await browser.post(
                "/queue/actions", [("action", "accept"), ("case", "\(first):1"), ("case", "\(second):1"), ("back", "/queue")],
                token: queue.formToken)
            let result = try await browser.get(try #require(step.location))
            #expect(result.html.contains("成功 1，未办理 1"))
            #expect(result.html.contains("案件已被他人修改"))
            #expect((try await api.send(.get, "/api/v1/cases/\(first)", token: village)).status_ == "accepted")
            #expect((try await api.send(.get, "/api/v1/cases/\(second)", token: village)).status_ == "reported")
        }
    }

    @Test func aCaseOutsideThePostsAreaIsNotFoundAndShowsNothing() async throws {
        try await TestApp.pages { browser, api, city in
            // The third grid lies in the second village: village1's dispatcher does not see it.
            let hotline = try await api.signIn("hotline")
            let other = try await api.report(token: hotline, at: city.gridPoints[2].point, title: "别村的秘密事项")
            let id = try #require(other.id)
            try await browser.signIn("village1")
            let page = try await browser.get("/cases/\(id)")
            #expect(page.status == .notFound)
            #expect(!page.html.contains("别村的秘密事项"))
            #expect(!page.html.contains("13812345678") && !page.html.contains("138****5678"))
            let missing = try await browser.get("/cases/99999999")
            #expect(missing.status == .notFound)
            #expect(missing.html.replacingOccurrences(of: "99999999", with: "\(id)") == page.html, "an unseen case reads exactly like no case")
        }
    }

    @Test func revealingThePhoneIsRecorded() async throws {
        try await TestApp.pages { browser, api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)
            try await browser.signIn("village1")
            var page = try await browser.get("/cases/\(id)")
            let step = try await browser.post("/cases/\(id)/reveal", [("field", "phone")], token: page.formToken)
            page = try await browser.get(try #require(step.location))
            #expect(page.html.contains("13812345678"))
            let village = try await api.signIn("village1")
            let disclosures = try await api.send(.get, "/api/v1/cases/\(id)/disclosures", token: village)
            #expect((disclosures["disclosures"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func pagesAndTheAPIAnswerErrorsEachInTheirOwnForm() async throws {
        try await TestApp.pages { browser, api, _ in
            let page = try await browser.get("/no-such-page")
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let json = try await api.send(.get, "/api/v1/no-such-route")
            #expect(json.errorCode == "routeNotFound")
            let asset = try await browser.get("/assets/onegrid.css")
            #expect(asset.status == .ok)
            #expect(asset.headers[.cacheControl]?.contains("immutable") == true)
            // A clerk may not use the dispatcher's bulk actions.
            try await browser.signIn("window1")
            let queue = try await browser.get("/queue")
            let bulk = try await browser.post("/queue/actions", [("action", "accept")], token: queue.formToken)
            #expect(bulk.status == .forbidden)
        }
    }
}

@Suite struct PagesTranslationTests {
    @Test func everyStringExistsInBothLanguages() throws {
        let chinese = try Translation.load(.zhCN, fallback: nil)
        let english = try Translation.load(.en, fallback: nil)
        #expect(chinese.keys == english.keys, "only in zh-CN: \(chinese.keys.subtracting(english.keys)); only in en: \(english.keys.subtracting(chinese.keys))")
        // Every status, action, role and channel the domain knows has its words.
        for key in CaseStatus.allCases.map({ "status.\($0.rawValue)" }) + CaseAction.allCases.map({ "action.\($0.rawValue)" })
            + Role.allCases.map({ "role.\($0.rawValue)" }) + Channel.allCases.map({ "channel.\($0.rawValue)" })
        {
            #expect(chinese.keys.contains(key), "\(key)")
        }
    }
}
