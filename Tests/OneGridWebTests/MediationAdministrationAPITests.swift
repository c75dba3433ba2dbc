import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// The administrator's mediation API: bodies set up, staffed, renamed and retired, and the
/// major-dispute thresholds read and changed, each refusal naming its field.
@Suite struct MediationAdministrationAPITests {
    @Test func anAdministratorSetsUpStaffsAndRetiresABodyAndOthersMayNot() async throws {
        try await TestApp.run { api, city in
            let admin = try await api.signIn("admin")
            let mediator = try await api.signIn("mediator1")
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let forbidden = try await api.send(.get, "/api/v1/admin/mediation-bodies?areaID=\(town.id)", token: mediator)
            #expect(forbidden.status == .forbidden)

            let wrongLevel = try await api.send(
                .post, "/api/v1/admin/mediation-bodies", token: admin, body: ["name": "村调委会", "kind": "villageCommittee", "areaID": town.id])
            #expect(wrongLevel.status == .unprocessableContent && wrongLevel.errorField == "areaID", "\(wrongLevel.json)")
            let created = try await api.send(
                .post, "/api/v1/admin/mediation-bodies", token: admin, body: ["name": "镇交通事故调委会", "kind": "trafficCommittee", "areaID": town.id])
            #expect(created.status == .created, "\(created.json)")
            let id = try #require((created["id"] as? NSNumber)?.int64Value)
            let path = "/api/v1/admin/mediation-bodies/\(id)"

            let notMediator = try await api.send(.post, path + "/members", token: admin, body: ["username": "village1"])
            #expect(notMediator.status == .unprocessableContent && notMediator.errorField == "username")
            let staffed = try await api.send(.post, path + "/members", token: admin, body: ["username": "mediator1"])
            let members = (staffed["memberUserIDs"] as? [NSNumber])?.map(\.int64Value) ?? []
            #expect(members.count == 1, "\(staffed.json)")
            let renamed = try await api.send(.put, path, token: admin, body: ["name": "镇道路交通调委会"])
            #expect(renamed["name"] as? String == "镇道路交通调委会")
            let left = try await api.send(.delete, path + "/members?userID=\(members[0])", token: admin)
            #expect((left["memberUserIDs"] as? [Any])?.isEmpty == true, "\(left.json)")
            let retired = try await api.send(.delete, path, token: admin)
            #expect(retired.status == .ok && retired["retiredAt"] is String, "\(retired.json)")
            #expect(try await api.send(.put, path, token: admin, body: ["name": "再改"]).status == .conflict)

            let listed = try await api.send(.get, "/api/v1/admin/mediation-bodies?areaID=\(town.id)", token: admin)
            let bodies = listed["bodies"] as? [[String: Any]] ?? []
            #expect(bodies.contains { ($0["id"] as? NSNumber)?.int64Value == id && $0["retiredAt"] != nil })
        }
    }

    @Test func theThresholdsAreReadAndChangedAndABadFieldIsNamed() async throws {
        try await TestApp.run { api, _ in
            let admin = try await api.signIn("admin")
            let rule = try await api.send(.get, "/api/v1/admin/major-dispute-rule", token: admin)
            #expect((rule["amountYuan"] as? NSNumber)?.int64Value == 500_000 && rule["types"] as? [String] == ["medical"], "\(rule.json)")
            let bad = try await api.send(
                .put, "/api/v1/admin/major-dispute-rule", token: admin,
                body: ["amountYuan": 1_000, "peopleInvolved": 1, "types": ["medical"], "violenceRisk": true])
            #expect(bad.status == .unprocessableContent && bad.errorField == "peopleInvolved", "\(bad.json)")
            let changed = try await api.send(
                .put, "/api/v1/admin/major-dispute-rule", token: admin,
                body: ["amountYuan": 1_000, "peopleInvolved": 3, "types": ["traffic", "medical"], "violenceRisk": false])
            #expect(changed.status == .ok && changed["types"] as? [String] == ["medical", "traffic"], "\(changed.json)")
            let read = try await api.send(.get, "/api/v1/admin/major-dispute-rule", token: admin)
            #expect((read["peopleInvolved"] as? NSNumber)?.intValue == 3 && read["violenceRisk"] as? Bool == false)
        }
    }
}
