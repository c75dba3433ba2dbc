import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// Screening through the pages and the API: a grid worker's round with a risk found, the village
/// centre opening it as a dispute whose file then goes on as any dispute's; what is overdue in the
/// clock colours; bad input named by its field.
@Suite struct ScreeningPagesTests {
    @Test func aRiskFoundOnARoundBecomesADisputeThroughThePages() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let recorded = try await api.send(
                .post, "/api/v1/screening-rounds", token: worker, body: ["checked": "走访12户", "findings": ["张李两家宅基地边界争执"]])
            #expect(recorded.status == .created, "\(recorded.json)")
            let roundID = try #require(recorded["id"] as? Int)
            let refused = try await api.send(.post, "/api/v1/screening-rounds", token: worker, body: ["checked": ""])
            #expect(refused.status == .unprocessableContent || refused.status == .badRequest)
            #expect((refused["error"] as? [String: Any])?["field"] as? String == "checked")

            let centre = Browser(client: api.client)
            try await centre.signIn("village1")
            let list = try await centre.get("/screening")
            #expect(list.status == .ok)
            #expect(list.html.contains("张李两家宅基地边界争执"))
            #expect(list.html.contains("clock-red"), "the village's other grid and the village itself were never screened")
            #expect(list.html.contains("从未排查"))
            var page = try await centre.get("/screening/\(roundID)")
            #expect(page.html.contains("登记纠纷并建立调解卷宗"))
            let missing = try await MediationPagesTests.submit(centre, "/screening/\(roundID)", [("finding", "1"), ("categoryCode", "dispute.neighbour")], from: page)
            #expect(missing.html.contains("alert-error"), "a form without the dispute is refused on the round's page")
            page = try await MediationPagesTests.submit(centre, "/screening/\(roundID)", [
                ("finding", "1"), ("categoryCode", "dispute.neighbour"), ("type", "landAndHousing"), ("summary", "宅基地边界争执"),
                ("party1.role", "applicant"), ("party1.kind", "person"), ("party1.name", "张德明"), ("party1.phone", "13812345678"),
                ("party2.role", "respondent"), ("party2.kind", "person"), ("party2.name", "李国强"),
            ], from: missing)
            #expect(page.html.contains("138****5678"), "on the dispute's file, the party masked")
            #expect(page.html.contains("name=\"body\""), "the file goes on: the centre assigns a body next")

            let round = try await api.send(.get, "/api/v1/screening-rounds/\(roundID)", token: try await api.signIn("town1"))
            let caseID = try #require((round["findings"] as? [[String: Any]])?.first?["caseID"] as? Int)
            let dispute = try await api.send(.get, "/api/v1/disputes/\(caseID)", token: try await api.signIn("village1"))
            #expect(dispute["type"] as? String == "landAndHousing")
            let again = try await api.send(
                .post, "/api/v1/screening-rounds/\(roundID)/disputes", token: try await api.signIn("village1"),
                body: ["finding": 1, "categoryCode": "dispute.neighbour", "dispute": DisputeAPITests.form])
            #expect(again.status == .conflict || again.status == .unprocessableContent, "\(again.status)")

            let overview = try await api.send(.get, "/api/v1/screening-rounds", token: try await api.signIn("town1"))
            #expect((overview["overdue"] as? Int ?? 0) > 0)
            #expect((overview["rounds"] as? [[String: Any]])?.count == 1)
            let leader = Browser(client: api.client)
            try await leader.signIn("leader")
            let room = try await leader.get("/command-room")
            #expect(room.html.contains("矛盾纠纷化解") && room.html.contains("超期未排查"), "the command room shows mediation and screening")
            #expect(room.html.contains("调解成功率"))
            let figures = try await api.send(.get, "/api/v1/figures/procedures", token: try await api.signIn("leader"))
            #expect(figures.status == .ok, "\(figures.json)")
            #expect(((figures["period"] as? [String: Any])?["disputes"] as? [String: Any])?["accepted"] as? Int == 1)
            let cadence = try await api.send(
                .put, "/api/v1/admin/screening-cadence", token: try await api.signIn("admin"),
                body: ["gridDays": 1, "villageDays": 100, "townDays": 15, "cityDays": 30])
            #expect((cadence["error"] as? [String: Any])?["field"] as? String == "villageDays")
        }
    }
}
