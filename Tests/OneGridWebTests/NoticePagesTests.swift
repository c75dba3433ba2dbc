import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The notice pages: a town's dispatcher publishes with the form (errors beside their field, what
/// was typed kept), a village's dispatcher finds it unread, replies, and the town sees the reply.
@Suite struct NoticePagesTests {
    @Test func aTownPublishesAVillageRepliesAndTheTownSeesTheReply() async throws {
        try await TestApp.pages { townBrowser, api, _ in
            let me = try await api.send(.get, "/api/v1/me", token: try await api.signIn("village1"))
            let village = try #require((((me["post"] as? [String: Any])?["area"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            try await townBrowser.signIn("town1")
            let form = try await townBrowser.get("/notices/new")
            #expect(form.status == .ok && form.html.contains(#"name="areas""#))
            let refused = try await townBrowser.post("/notices/new", [
                ("title", "关于报送冬季矛盾纠纷排查情况的通知"), ("body", "请各村于周五前报送排查情况。"), ("areas", "\(village)"), ("response", "reply"), ("due", ""),
            ], token: form.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"id="e-due""#) && refused.html.contains("请各村于周五前报送排查情况。"), "the error beside the date, the text kept")

            let due = Date().addingTimeInterval(5 * 86_400).formatted(.iso8601.year().month().day().dateSeparator(.dash))
            let published = try await townBrowser.post("/notices/new", [
                ("title", "关于报送冬季矛盾纠纷排查情况的通知"), ("body", "请各村于周五前报送排查情况。"), ("areas", "\(village)"), ("response", "reply"), ("due", due),
            ], token: form.formToken)
            #expect(published.status == .seeOther)
            let noticePath = try #require(published.location)

            let villageBrowser = Browser(client: api.client)
            try await villageBrowser.signIn("village1")
            let list = try await villageBrowser.get("/notices")
            #expect(list.html.contains("关于报送冬季矛盾纠纷排查情况的通知") && list.html.contains("tag-new"), "listed, unread")
            let opened = try await villageBrowser.get(noticePath)
            #expect(opened.html.contains("待回复") && opened.html.contains(#"name="reply""#))
            let empty = try await villageBrowser.post(noticePath + "/answer", [("reply", " ")], token: opened.formToken)
            #expect(empty.status == .unprocessableContent && empty.html.contains(#"id="e-reply""#))
            let replied = try await villageBrowser.post(noticePath + "/answer", [("reply", "本村排查纠纷 3 起，均已化解。")], token: opened.formToken)
            #expect(replied.status == .seeOther)
            #expect(try await villageBrowser.get(noticePath).html.contains("已回复"))

            let tracked = try await townBrowser.get(noticePath)
            #expect(tracked.html.contains("本村排查纠纷 3 起，均已化解。") && tracked.html.contains("阅读与回复情况"))
            let sent = try await townBrowser.get("/notices")
            #expect(sent.html.contains("本中心发出的通知") && sent.html.contains("1 / "))
        }
    }
}
