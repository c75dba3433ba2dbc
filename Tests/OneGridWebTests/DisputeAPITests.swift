import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// The mediation API over the tiny demo city: a neighbour dispute from report to a signed,
/// confirmed agreement and its follow-up; bad input named; strangers told nothing.
@Suite struct DisputeAPITests {
    nonisolated(unsafe) static let form: [String: Any] = [
        "type": "neighbour", "amountYuan": 3000, "summary": "楼上漏水损坏楼下吊顶",
        "parties": [
            ["role": "applicant", "name": "王秀英", "phone": "13812345678", "idNumber": "11010519491231002X"],
            ["role": "respondent", "name": "李建国", "phone": "13987654321"],
        ],
    ]

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// A neighbour dispute reported in the first grid, registered by the village centre and given
    /// to the town's committee.
    static func assignedDispute(_ api: API, _ city: TestApp.City) async throws -> (id: Int64, village: String, mediator: String) {
        let worker = try await api.signIn("gridworker1")
        let id = try #require(
            try await api.report(token: worker, at: city.gridPoints[0].point, category: "dispute.neighbour", title: "邻里漏水纠纷").id)
        let village = try await api.signIn("village1")
        let registered = try await api.send(.post, "/api/v1/disputes/\(id)", token: village, body: Self.form)
        #expect(registered.status == .created, "\(registered.json)")
        #expect(registered["allowedSteps"] as? [String] == ["assign", "referToCentre", "addParty", "reportViolence"])
        let bodies = try await api.send(.get, "/api/v1/disputes/\(id)/bodies", token: village)
        let committee = try #require((bodies["bodies"] as? [[String: Any]])?.first { $0["kind"] as? String == "townCommittee" })
        let assigned = try await api.send(
            .post, "/api/v1/disputes/\(id)/steps", token: village, body: ["action": "assign", "bodyID": committee["id"]!, "version": 1])
        #expect(assigned["status"] as? String == "mediating", "\(assigned.json)")
        return (id, village, try await api.signIn("mediator1"))
    }

    @Test func aDisputeIsMediatedToASignedAgreementAndFollowedUp() async throws {
        try await TestApp.run { api, city in
            let (id, village, mediator) = try await Self.assignedDispute(api, city)
            func step(_ name: String, _ input: [String: Any] = [:]) async throws -> API.Reply {
                var body = input
                body["action"] = name
                let reply = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: body)
                #expect(reply.status == .ok, "\(name): \(reply.json)")
                return reply
            }
            let file = try await api.send(.get, "/api/v1/disputes/\(id)", token: mediator)
            let parties = try #require(file["parties"] as? [[String: Any]])
            #expect(parties[0]["phone"] as? String == "138****5678", "parties are masked")
            _ = try await step("consent", ["party": 1])
            _ = try await step("consent", ["party": 2])
            // A co-owner found at the first meeting joins the file, masked like the others.
            let added = try await step("addParty", ["newParty": ["role": "respondent", "name": "李建军", "phone": "13711112222"]])
            let four = try #require(added["parties"] as? [[String: Any]])
            #expect(four.count == 3 && four[2]["number"] as? Int == 3 && four[2]["phone"] as? String == "137****2222", "\(four)")
            _ = try await step("consent", ["party": 3])
            _ = try await step(
                "recordSession",
                ["startsAt": Self.iso(Date().addingTimeInterval(-3600)), "place": "城河社区调解室", "participants": ["王秀英", "李建国"], "record": "双方同意协商"])
            _ = try await step(
                "draftAgreement",
                [
                    "facts": "楼上水管破裂", "terms": "李建国赔偿王秀英修缮费3000元",
                    "obligations": [["party": 2, "text": "支付修缮费3000元", "dueOn": Self.iso(Date().addingTimeInterval(3 * 86_400))]],
                ])
            _ = try await step("signAsParty", ["party": 1])
            let unsigned = try await step("stamp")
            #expect(unsigned["status"] as? String == "mediating", "not in effect without the respondent and the mediator")
            _ = try await step("signAsMediator")
            _ = try await step("signAsParty", ["party": 3])
            let agreed = try await step("signAsParty", ["party": 2])
            #expect(agreed["status"] as? String == "agreed")
            #expect((agreed["agreements"] as? [[String: Any]])?.first?["effectiveAt"] != nil)

            let broken = try await step("followUp", ["carriedOut": false, "note": "未按期支付"])
            #expect(broken["status"] as? String == "mediating")
            #expect(broken["reopenCount"] as? Int == 1)

            let reveal = try await api.send(.post, "/api/v1/disputes/\(id)/reveal", token: mediator, body: ["party": 1, "field": "phone"])
            #expect(reveal["value"] as? String == "13812345678")
            let disclosures = try await api.send(.get, "/api/v1/cases/\(id)/disclosures", token: village)
            #expect((disclosures["disclosures"] as? [[String: Any]])?.contains { $0["field"] as? String == "party1.phone" } == true)

            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: village)
            let steps = (timeline["events"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "mediate" }
                .compactMap { ($0["details"] as? [String: String])?["step"] }
            #expect(steps.first == "register" && steps.last == "followUp" && steps.count == 14)

            let desk = try await api.send(.get, "/api/v1/disputes", token: mediator)
            #expect((desk["disputes"] as? [[String: Any]])?.contains { ($0["caseID"] as? NSNumber)?.int64Value == id } == true)
            #expect((desk["sessionsThisWeek"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func badInputNamesTheFieldAndTheLaw() async throws {
        try await TestApp.run { api, city in
            let (id, village, mediator) = try await Self.assignedDispute(api, city)
            let other = try #require(
                try await api.report(token: village, at: city.gridPoints[0].point, category: "dispute.family", title: "赡养纠纷").id)
            var form = Self.form
            form["type"] = "quarrel"
            let badType = try await api.send(.post, "/api/v1/disputes/\(other)", token: village, body: form)
            #expect(badType.status == .unprocessableContent && badType.errorField == "type")
            form = Self.form
            form["parties"] = [["role": "applicant", "name": "王秀英"], ["role": "respondent", "name": "李建国", "phone": "12"]]
            let badPhone = try await api.send(.post, "/api/v1/disputes/\(other)", token: village, body: form)
            #expect(badPhone.errorField == "parties[1].phone")
            let again = try await api.send(.post, "/api/v1/disputes/\(id)", token: village, body: Self.form)
            #expect(again.status == .conflict, "a case has one dispute file")
            let unknown = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "sing"])
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "action")
            let missing = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "consent"])
            #expect(missing.errorField == "party")
            let noParty = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "addParty"])
            #expect(noParty.status == .unprocessableContent && noParty.errorField == "newParty")
            let noRole = try await api.send(
                .post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "addParty", "newParty": ["name": "赵六", "role": "witness"]])
            #expect(noRole.status == .unprocessableContent && noRole.errorField == "newParty.role")
            let malformed = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "consent", "party": "one"])
            #expect(malformed.status == .unprocessableContent && malformed.errorField == "party")
            let refused = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "refuse", "party": 2, "note": "要起诉"])
            #expect(refused["status"] as? String == "refused")
            let session = try await api.send(
                .post, "/api/v1/disputes/\(id)/steps", token: mediator,
                body: ["action": "recordSession", "startsAt": Self.iso(Date()), "place": "调解室", "participants": ["王秀英"], "record": "x"])
            #expect(session.status == .conflict && session.errorMessage.contains("Art. 17"))
            let noRoute = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "endWithoutAgreement", "routes": ["litigation"], "note": "x"])
            #expect(noRoute.status == .conflict, "an ended dispute takes no more steps")
        }
    }

    @Test func strangersAreToldNothing() async throws {
        try await TestApp.run { api, city in
            let (id, _, _) = try await Self.assignedDispute(api, city)
            for username in ["leader.town1", "town1"] {
                let token = try await api.signIn(username)
                let read = try await api.send(.get, "/api/v1/disputes/\(id)", token: token)
                if username == "town1" {
                    #expect(read.status == .ok, "the town centre sees the cases of its villages")
                } else {
                    #expect(read.status == .forbidden, "a leader's role is not a dispute's")
                }
            }
            let citizen = try await api.signIn("citizen1")
            #expect(try await api.send(.get, "/api/v1/disputes/\(id)", token: citizen).status == .forbidden)
            let missing = try await api.send(.get, "/api/v1/disputes/999999", token: try await api.signIn("mediator1"))
            #expect(missing.status == .notFound)
        }
    }
}
