import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The risk picture's JSON API, each answer checked against the OpenAPI document: a red dispute
/// with its reason, owner and follow-up on the town's picture; its colour history; a county's
/// weekly report with the week's change; every answer scoped to the caller's post; bad input
/// refused by its field.
@Suite struct RiskAPITests {
    @Test func picturesMattersAndWeeklyReportsScopedToThePost() async throws {
        try await TestApp.run { api, city in
            let (id, _, mediator) = try await DisputeAPITests.assignedDispute(api, city)
            let violence = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "reportViolence", "note": "一方扬言报复"])
            #expect(violence.status == .ok, "\(violence.json)")
            try await city.judgeRisk(Date())
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let county = try #require(city.directory.areas.values.first { $0.level == .county })

            let leader = try await api.signIn("leader.town1")
            let picture = try await api.send(.get, "/api/v1/risk", token: leader)
            #expect(picture.status == .ok, "\(picture.json)")
            #expect((picture["area"] as? [String: Any])?["id"] as? Int == Int(town.id))
            let matters = try #require(picture["matters"] as? [[String: Any]])
            let red = try #require(matters.first { $0["id"] as? Int == Int(id) && $0["kind"] as? String == "dispute" }, "\(matters)")
            #expect(red["colour"] as? String == "red" && red["followUpDueAt"] is String && red["overdue"] as? Bool == false)
            #expect((red["reasons"] as? [[String: Any]])?.contains { $0["rule"] as? String == "violenceThreat" } == true)
            let owner = try #require(red["owner"] as? [String: Any])
            #expect(owner["role"] as? String == "leader" && (owner["area"] as? [String: Any])?["id"] as? Int == Int(town.id))
            #expect((picture["areas"] as? [[String: Any]])?.isEmpty == false, "the town's villages, each with its colour")

            let matter = try await api.send(.get, "/api/v1/risk/matters/\(id)?kind=dispute", token: leader)
            #expect(matter.status == .ok, "\(matter.json)")
            let history = try #require(matter["history"] as? [[String: Any]])
            #expect(history.first?["from"] as? String == "green" && history.first?["to"] as? String == "red" && history.first?["byUserID"] == nil)
            let noKind = try await api.send(.get, "/api/v1/risk/matters/\(id)", token: leader)
            #expect((noKind["error"] as? [String: Any])?["field"] as? String == "kind", "\(noKind.json)")

            // A village's post does not see the town above it, nor a dispute outside its village's picture by another kind.
            let village = try await api.signIn("village1")
            #expect(try await api.send(.get, "/api/v1/risk?area=\(town.id)", token: village).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/risk/matters/\(id)?kind=petition", token: leader).status == .notFound)

            // A week on, this week's report is issued; the city's leader reads it with the red in it.
            let weekOn = Date().addingTimeInterval(7 * 86_400)
            #expect(try await city.issueRiskReports(weekOn) == 1)
            let week = RiskWeek(containing: Date(), offset: 8 * 3600).isoText
            let cityLeader = try await api.signIn("leader")
            let report = try await api.send(.get, "/api/v1/risk/reports/\(county.id)?week=\(week)", token: cityLeader)
            #expect(report.status == .ok, "\(report.json)")
            #expect(report["week"] as? String == week && report["issued"] as? Bool == true)
            #expect((report["matters"] as? [[String: Any]])?.contains { $0["id"] as? Int == Int(id) && $0["colour"] as? String == "red" } == true)
            #expect((report["changes"] as? [[String: Any]])?.contains { $0["id"] as? Int == Int(id) && $0["to"] as? String == "red" } == true)
            #expect((report["situations"] as? [[String: Any]])?.map { $0["situation"] as? String } == ["social", "police", "petition", "opinion"])
            #expect((report["towns"] as? [[String: Any]])?.count == 1)
            // The default is the last whole week, issued by the server's own watcher when it started.
            let last = try await api.send(.get, "/api/v1/risk/reports/\(county.id)", token: cityLeader)
            #expect(last.status == .ok && last["week"] as? String == (RiskWeek(containing: Date(), offset: 8 * 3600) - 1).isoText, "\(last.json)")
            let badWeek = try await api.send(.get, "/api/v1/risk/reports/\(county.id)?week=2026-48", token: cityLeader)
            #expect((badWeek["error"] as? [String: Any])?["field"] as? String == "week", "\(badWeek.json)")
            let open = try await api.send(.get, "/api/v1/risk/reports/\(county.id)?week=\((RiskWeek(containing: Date(), offset: 8 * 3600) + 1).isoText)", token: cityLeader)
            #expect((open["error"] as? [String: Any])?["field"] as? String == "week", "a week not closed is not reported on")
            #expect(try await api.send(.get, "/api/v1/risk/reports/\(county.id)", token: leader).status == .notFound, "a town's post does not cover its county")
            #expect(try await api.send(.get, "/api/v1/risk/reports/\(town.id)", token: cityLeader).status == .notFound, "a town has no report")
        }
    }
}
