import Foundation
import HTTPTypes
import OneGridApplication
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The citizen's pages over the router: the form's post-redirect to the follow link, a wrong link
/// as not found, the 429 past a device's allowance, and the dispatcher's abuse mark.
@Suite struct CitizenPagesTests {
    /// Fills the report form the page gave, answering its sum.
    static func report(_ browser: Browser, at point: GeoPoint, phone: String = "13812345678") async throws -> Browser.Page {
        try await send(try await browser.get("/report"), from: browser, at: point, phone: phone)
    }

    static func send(_ form: Browser.Page, from browser: Browser, at point: GeoPoint, phone: String = "13812345678") async throws -> Browser.Page {
        #expect(form.status == .ok)
        let challenge = try #require(form.html.firstMatch(of: /name="challenge" value="([^"]+)"/)?.1)
        let sum = try #require(form.html.firstMatch(of: /(\d+) 加 (\d+) 等于几/))
        return try await browser.post(
            "/report",
            [
                ("description", "村口路灯不亮"), ("category", "service.streetlight"), ("lat", String(point.lat)), ("lng", String(point.lng)),
                ("name", "王秀英"), ("phone", phone), ("anonymous", "1"), ("challenge", String(challenge)),
                ("answer", String(Int(sum.1)! + Int(sum.2)!)),
            ],
            files: [("photos", "light.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 100))], token: form.formToken)
    }

    @Test func aReportLeadsToItsFollowLinkWhichShowsNobodysData() async throws {
        try await TestApp.pages { browser, _, city in
            let made = try await Self.report(browser, at: city.gridPoints[0].point)
            #expect(made.status == .seeOther)
            let location = try #require(made.location)
            #expect(location.wholeMatch(of: /\/follow\/[0-9a-f]{64}\?new=1/) != nil)
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.html.contains("已收到您的反映"))
            #expect(!page.html.contains("王秀英") && !page.html.contains("13812345678"))
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            let token = String(location.dropFirst("/follow/".count).prefix(64))
            let altered = String(token.dropLast()) + (token.last == "0" ? "1" : "0")
            for wrong in ["/follow/\(altered)", "/follow/\(String(repeating: "a", count: 64))", "/follow/x"] {
                let missing = try await browser.get(wrong)
                #expect(missing.status == .notFound)
                #expect(!missing.html.contains("路灯"))
            }
            let form = try await browser.get("/report")
            let rating = try await browser.post("/follow/\(altered)/rating", [("rating", "satisfied")], token: form.formToken)
            #expect(rating.status == .notFound)
        }
    }

    @Test func aWrongSumIsSaidBesideItsFieldAndNothingIsFiled() async throws {
        try await TestApp.pages { browser, _, city in
            let form = try await browser.get("/report")
            let challenge = try #require(form.html.firstMatch(of: /name="challenge" value="([^"]+)"/)?.1)
            let point = city.gridPoints[0].point
            let page = try await browser.post(
                "/report",
                [("description", "路灯不亮"), ("lat", String(point.lat)), ("lng", String(point.lng)), ("challenge", String(challenge)), ("answer", "99")],
                token: form.formToken)
            #expect(page.status == .unprocessableContent)
            #expect(page.html.contains(#"id="e-answer""#))
            #expect(page.html.contains("路灯不亮"))
        }
    }

    @Test func pastADevicesAllowanceTheFormAnswers429WithRetryAfter() async throws {
        try await TestApp.pages { browser, _, city in
            var form = try await browser.get("/report")
            for _ in 0..<CitizenPortal.Limits().perDevicePerHour {
                form = try await browser.get("/report")
                #expect(try await Self.send(form, from: browser, at: city.gridPoints[0].point).status == .seeOther)
            }
            // The form says so before anyone fills it in, and one filled in earlier is refused.
            let again = try await browser.get("/report")
            let refused = try await Self.send(form, from: browser, at: city.gridPoints[0].point)
            for page in [again, refused] {
                #expect(page.status == .tooManyRequests)
                let wait = try #require(page.headers[.retryAfter].flatMap(Int.init))
                #expect((3500...3600).contains(wait))
                #expect(page.html.contains("分钟后再试"))
                #expect(!page.html.contains("report-form"))
            }
        }
    }

    @Test func aDispatcherMarksAPortalReportAsAbuseAndItsDeviceIsRefused() async throws {
        try await TestApp.pages { citizen, api, city in
            let made = try await Self.report(citizen, at: city.gridPoints[0].point)
            let location = try #require(made.location)
            let number = try #require(try await citizen.get(location).html.firstMatch(of: /\d{8}-(\d{8})/)?.1)
            let id = try #require(Int64(number))
            let dispatcher = Browser(client: api.client)
            try await dispatcher.signIn("village1")
            let casePage = try await dispatcher.get("/cases/\(id)")
            #expect(casePage.html.contains("/cases/\(id)/abuse"))
            #expect(casePage.html.contains("138****5678"))
            let marked = try await dispatcher.post("/cases/\(id)/abuse", [], token: casePage.formToken)
            #expect(marked.status == .seeOther)
            let after = try await dispatcher.get("/cases/\(id)")
            #expect(!after.html.contains("/cases/\(id)/abuse"))
            #expect(after.html.contains("标记为恶意反映"))
            let refused = try await citizen.get("/report")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.html.contains("暂时不能提交"))
            #expect((refused.headers[.retryAfter].flatMap(Int.init) ?? 0) > 6 * 86_400)
            // A grid worker may not.
            let worker = Browser(client: api.client)
            try await worker.signIn("gridworker1")
            let page = try await worker.get("/queue")
            #expect(try await worker.post("/cases/\(id)/abuse", [], token: page.formToken).status == .forbidden)
        }
    }

    @Test func thePublicPagesOpenWithoutAnAccount() async throws {
        try await TestApp.pages { browser, _, city in
            _ = try await Self.report(browser, at: city.gridPoints[0].point)
            let reports = try await browser.get("/reports")
            #expect(reports.status == .ok)
            #expect(reports.html.contains("<svg"))
            #expect(reports.html.contains("路灯维修"))
            #expect(!reports.html.contains("王秀英") && !reports.html.contains("13812345678") && !reports.html.contains("村口路灯不亮"))
            #expect(try await browser.get("/report?lang=en").html.contains("Report a problem"))
        }
    }
}
