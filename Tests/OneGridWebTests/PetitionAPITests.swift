import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// Petitions through the JSON API: a collective repeat petition registered, routed, accepted,
/// extended, replied and reviewed, every answer checked against the OpenAPI document, and bad
/// input refused naming its field.
@Suite struct PetitionAPITests {
    static var petitioners: [[String: Any]] { [
        ["name": "张建国", "phone": "13812345678", "idNumber": "330205198001011234"],
        ["name": "李秀兰", "phone": "13900001111", "idNumber": "330205197505052246"],
    ] }

    static func registration(_ caseID: Int64, matter: String) -> [String: Any] {
        [
            "caseID": caseID, "form": "visit", "petitionClass": "appeal", "headcount": 6, "petitioners": petitioners,
            "matter": matter, "bodiesAddressed": ["县信访局"], "addressedLevel": "county",
        ]
    }

    static func petitionCase(_ api: API, _ city: TestApp.City, token: String, title: String) async throws -> Int64 {
        let reported = try await api.report(token: token, at: city.gridPoints[0].point, category: "petition.collective", title: title)
        #expect(reported.status == .created, "\(reported.json)")
        return try #require(reported.id)
    }

    static func unit(_ city: TestApp.City, kind: String, level: AdminLevel) throws -> String {
        let department = try #require(city.directory.departments.values.first { $0.kind == kind && $0.level == level })
        return "department:\(department.id)"
    }

    @Test func aCollectiveRepeatPetitionGoesThroughAcceptanceReplyAndReview() async throws {
        try await TestApp.run { api, city in
            let window = try await api.signIn("window1")
            let county = try await api.signIn("county1")
            let handler = try await api.signIn("handler.county1.petition")
            let bureau = try Self.unit(city, kind: "petition", level: .county)
            let cityBureau = try Self.unit(city, kind: "petition", level: .city)

            let earlier = try await Self.petitionCase(api, city, token: window, title: "集体反映征地补偿")
            let first = try await api.send(.post, "/api/v1/petitions", token: county, body: Self.registration(earlier, matter: "反映征地补偿款至今未发放到位"))
            #expect(first.status == .created, "\(first.json)")
            let caseID = try await Self.petitionCase(api, city, token: window, title: "再次集体反映征地补偿")
            let second = try await api.send(.post, "/api/v1/petitions", token: county, body: Self.registration(caseID, matter: "征地补偿款一直没有发放到位"))
            #expect(second.status == .created, "\(second.json)")
            let candidates = try #require(second["candidates"] as? [[String: Any]])
            #expect(candidates.compactMap { ($0["caseID"] as? NSNumber)?.int64Value } == [earlier])

            let linked = try await api.send(.post, "/api/v1/petitions/\(caseID)/repeat", token: county, body: ["earlierCaseID": earlier])
            #expect(linked.status == .ok, "\(linked.json)")
            #expect(((linked["petition"] as? [String: Any])?["repeatOf"] as? NSNumber)?.int64Value == earlier)
            #expect(linked["collective"] as? Bool == true)

            func step(_ token: String, _ body: [String: Any]) async throws -> API.Reply {
                try await api.send(.post, "/api/v1/petitions/\(caseID)/steps", token: token, body: body)
            }
            #expect(try await step(county, ["step": "route", "to": bureau]).status == .ok)
            // The bureau's desk lists it, its notice limit running.
            let desk = try await api.send(.get, "/api/v1/petitions", token: handler)
            let listed = try #require((desk["petitions"] as? [[String: Any]])?.first)
            #expect(((listed["petition"] as? [String: Any])?["caseID"] as? NSNumber)?.int64Value == caseID)
            #expect((listed["clocks"] as? [[String: Any]])?.compactMap { $0["limit"] as? String } == ["notice", "objection"])
            let masked = (listed["petition"] as? [String: Any])?["petitioners"] as? [[String: Any]]
            #expect(masked?.first?["idNumber"] as? String == "330205********1234", "a handler sees petitioners masked")

            #expect(try await step(handler, ["step": "accept", "notice": "您反映的征地补偿问题已受理"]).status == .ok)
            let unapproved = try await step(handler, ["step": "extend", "extendBy": "30d", "reason": "需会同住建部门核实"])
            #expect(unapproved.status == .unprocessableContent && unapproved.errorField == "approvedBy")
            #expect(try await step(handler, ["step": "extend", "extendBy": "30d", "approvedBy": "县信访局局长", "reason": "需会同住建部门核实"]).status == .ok)
            let second30 = try await step(handler, ["step": "extend", "extendBy": "5d", "approvedBy": "局长", "reason": "再延"])
            #expect(second30.status == .conflict)
            #expect(second30.errorMessage.contains("信访工作条例 Art. 34"))
            let early = try await step(county, ["step": "requestReview", "reason": "不服", "reviewingUnit": cityBureau])
            #expect(early.status == .conflict && early.errorMessage.contains("Art. 35"))

            #expect(try await step(handler, ["step": "reply", "text": "经核实，补偿款已于本月补发"]).status == .ok)
            let review = try await step(county, ["step": "requestReview", "reason": "补偿标准不符", "reviewingUnit": cityBureau])
            #expect(review.status == .ok, "\(review.json)")
            #expect((review["petition"] as? [String: Any])?["stage"] as? String == "underReview")
            #expect((review["clocks"] as? [[String: Any]])?.first?["unit"] as? String == cityBureau)
            let steps = (review["steps"] as? [[String: Any]])?.compactMap { $0["step"] as? String }
            #expect(steps == ["register", "linkRepeat", "route", "accept", "extend", "reply", "requestReview"])
        }
    }

    @Test func badInputIsRefusedNamingItsField() async throws {
        try await TestApp.run { api, city in
            let window = try await api.signIn("window1")
            let county = try await api.signIn("county1")
            let caseID = try await Self.petitionCase(api, city, token: window, title: "反映拖欠工资")
            var body = Self.registration(caseID, matter: "拖欠工资")
            body["form"] = "email"
            let form = try await api.send(.post, "/api/v1/petitions", token: county, body: body)
            #expect(form.status == .unprocessableContent && form.errorField == "form")
            body["form"] = "letter"
            body.removeValue(forKey: "matter")
            let missing = try await api.send(.post, "/api/v1/petitions", token: county, body: body)
            #expect(missing.status == .unprocessableContent && missing.errorField == "matter")
            body["matter"] = "拖欠工资"
            #expect(try await api.send(.post, "/api/v1/petitions", token: county, body: body).status == .created)

            let unknown = try await api.send(.post, "/api/v1/petitions/\(caseID)/steps", token: county, body: ["step": "approve"])
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "step")
            let noUnit = try await api.send(.post, "/api/v1/petitions/\(caseID)/steps", token: county, body: ["step": "route", "to": "bureau"])
            #expect(noUnit.status == .unprocessableContent && noUnit.errorField == "to")
            let worker = try await api.signIn("gridworker1")
            #expect(try await api.send(.get, "/api/v1/petitions", token: worker).status == .forbidden)
        }
    }

    @Test func missesPerUnitAndTheLimitsInForce() async throws {
        try await TestApp.run { api, _ in
            let leader = try await api.signIn("leader")
            let misses = try await api.send(.get, "/api/v1/petitions/misses", token: leader)
            #expect(misses.status == .ok, "\(misses.json)")
            #expect((misses["counts"] as? [Any])?.isEmpty == true)
            let handler = try await api.signIn("handler.county1.petition")
            #expect(try await api.send(.get, "/api/v1/petitions/misses", token: handler).status == .forbidden)

            let limits = try await api.send(.get, "/api/v1/petitions/limits", token: leader)
            #expect((limits["limits"] as? [String: Any])?["reply"] as? String == "60d")
            let admin = try await api.signIn("admin")
            let shorter: [String: Any] = ["limits": [
                "route": "10d", "notice": "15d", "objection": "5wd", "reply": "45d", "maximumExtension": "30d", "review": "30d",
            ]]
            let replaced = try await api.send(.put, "/api/v1/petitions/limits", token: admin, body: shorter)
            #expect(replaced.status == .ok, "\(replaced.json)")
            #expect((replaced["limits"] as? [String: Any])?["reply"] as? String == "45d")
            var bad = shorter
            bad["limits"] = ["route": "soon"]
            let refused = try await api.send(.put, "/api/v1/petitions/limits", token: admin, body: bad)
            #expect(refused.status == .unprocessableContent && refused.errorField == "limits.route")
        }
    }
}
