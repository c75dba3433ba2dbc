import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// Notices through the API: a town publishes, a grid worker below reads and acknowledges, the
/// town sees the tally; a refusal names its field and writes nothing.
@Suite struct NoticeAPITests {
    @Test func aTownPublishesAGridWorkerAcknowledgesAndTheTownSeesIt() async throws {
        try await TestApp.run { api, _ in
            let town = try await api.signIn("town1")
            let worker = try await api.signIn("gridworker1")
            let due = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 86_400))

            let forbidden = try await api.send(.post, "/api/v1/notices", token: worker, body: ["title": "通知", "body": "正文"])
            #expect(forbidden.status == .forbidden)
            let noDate = try await api.send(.post, "/api/v1/notices", token: town, body: ["title": "通知", "body": "正文", "response": "acknowledge"])
            #expect(noDate.status == .unprocessableContent && noDate.errorField == "dueAt", "\(noDate.json)")
            let badResponse = try await api.send(.post, "/api/v1/notices", token: town, body: ["title": "通知", "body": "正文", "response": "maybe"])
            #expect(badResponse.status == .unprocessableContent && badResponse.errorField == "response", "\(badResponse.json)")
            let sentBefore = (try await api.send(.get, "/api/v1/notices/sent", token: town)["notices"] as? [Any])?.count ?? 0
            let unreadBefore = (try await api.send(.get, "/api/v1/notices", token: worker)["unread"] as? NSNumber)?.intValue ?? 0

            let published = try await api.send(
                .post, "/api/v1/notices", token: town,
                body: ["title": "关于冬季防火检查的通知", "body": "请各网格于本周内完成辖区防火检查。", "response": "acknowledge", "dueAt": due])
            #expect(published.status == .created, "\(published.json)")
            let notice = try #require(published["notice"] as? [String: Any])
            let id = try #require((notice["id"] as? NSNumber)?.int64Value)
            let recipients = try #require((published["recipients"] as? NSNumber)?.intValue)

            let inbox = try await api.send(.get, "/api/v1/notices", token: worker)
            #expect((inbox["unread"] as? NSNumber)?.intValue == unreadBefore + 1, "\(inbox.json)")
            let opened = try await api.send(.get, "/api/v1/notices/\(id)", token: worker)
            #expect(opened.status == .ok && opened["tracking"] == nil, "\(opened.json)")
            #expect((opened["receipt"] as? [String: Any])?["readAt"] is String)
            let answered = try await api.send(.post, "/api/v1/notices/\(id)/answer", token: worker, body: [:] as [String: Any])
            #expect((answered["receipt"] as? [String: Any])?["answeredAt"] is String, "\(answered.json)")
            #expect(try await api.send(.post, "/api/v1/notices/\(id)/answer", token: worker, body: [:] as [String: Any]).status == .conflict)

            let tracked = try await api.send(.get, "/api/v1/notices/\(id)", token: town)
            let tally = (tracked["tracking"] as? [String: Any])?["tally"] as? [String: Any]
            #expect((tally?["recipients"] as? NSNumber)?.intValue == recipients)
            #expect((tally?["read"] as? NSNumber)?.intValue == 1 && (tally?["answered"] as? NSNumber)?.intValue == 1, "\(tracked.json)")
            let receipts = (tracked["tracking"] as? [String: Any])?["receipts"] as? [[String: Any]] ?? []
            #expect(receipts.count == recipients && receipts.contains { $0["userName"] as? String != "" && $0["answeredAt"] != nil })

            // The centre's list; a notice that does not exist is not found.
            let sent = try await api.send(.get, "/api/v1/notices/sent", token: town)
            #expect((sent["notices"] as? [[String: Any]])?.count == sentBefore + 1)
            #expect(try await api.send(.get, "/api/v1/notices/999999", token: worker).status == .notFound)
        }
    }
}
