import Foundation
import HTTPTypes
import OneGridDemo
import OneGridDomain
import Testing

/// The base data and visits through the JSON API, as a department's or a phone's system uses
/// them: the same scope, masks and recorded reveals as the pages, and a visit logged once however
/// often it is sent.
@Suite struct BaseDataAPITests {
    @Test func aPostReadsItsAreasPeopleMaskedPagesOnAndRevealsWithAPurpose() async throws {
        try await TestApp.run { api, city in
            let village = try await api.signIn("village1")
            let grids = city.gridPoints.map(\.gridID)
            let first = try await api.send(.get, "/api/v1/residents?grid=\(grids[1])&limit=2", token: village)
            #expect(first.status == .ok)
            let page = try #require(first["residents"] as? [[String: Any]])
            #expect(page.count == 2 && page.allSatisfy { ($0["idNumber"] as? String)?.contains("*") == true })
            let next = try #require(first["next"] as? Int)
            let second = try #require(try await api.send(.get, "/api/v1/residents?grid=\(grids[1])&limit=2&after=\(next)", token: village)["residents"] as? [[String: Any]])
            #expect(Set(second.compactMap { $0["id"] as? Int }).isDisjoint(with: page.compactMap { $0["id"] as? Int }))

            let personID = try #require(page[0]["id"] as? Int)
            let file = try await api.send(.get, "/api/v1/residents/\(personID)", token: village)
            #expect(file.status == .ok)
            #expect(((file["household"] as? [String: Any])?["areas"] as? [String: Any])?["grid"] as? Int == Int(grids[1]))
            #expect((file["members"] as? [[String: Any]])?.contains { $0["id"] as? Int == personID } == true)

            // Another grid's worker is told the person does not exist; a citizen may not ask.
            let worker = try await api.signIn("gridworker1")
            #expect(try await api.send(.get, "/api/v1/residents/\(personID)", token: worker).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/residents", token: try await api.signIn("citizen1")).status == .forbidden)

            let purposeless = try await api.send(.post, "/api/v1/residents/\(personID)/reveal", token: village, body: ["field": "idNumber"])
            #expect(purposeless.status == .unprocessableContent && purposeless.errorField == "purpose")
            let revealed = try await api.send(
                .post, "/api/v1/residents/\(personID)/reveal", token: village, body: ["field": "idNumber", "purpose": "核实低保申请"])
            #expect(revealed.status == .ok && (revealed["value"] as? String)?.contains("*") == false)

            let bad = try await api.send(.get, "/api/v1/residents?limit=0", token: village)
            #expect(bad.status == .badRequest && bad.errorField == "limit")
        }
    }

    @Test func aGridWorkerSeesWhoIsDueAndAVisitSentTwiceIsOneVisitAndOneCase() async throws {
        try await TestApp.run { api, _ in
            let worker = try await api.signIn("gridworker1")
            let due = try #require(try await api.send(.get, "/api/v1/visits/due", token: worker)["due"] as? [[String: Any]])
            let household = try #require(due.first { $0["subject"] as? String == "household" })
            let subjectID = try #require(household["subjectID"] as? Int)

            let unsaid = try await api.send(
                .post, "/api/v1/visits", token: worker, body: ["subject": "household", "subjectID": subjectID, "whom": "", "findings": "x"])
            #expect(unsaid.status == .unprocessableContent && unsaid.errorField == "whom")
            let untitled = try await api.send(
                .post, "/api/v1/visits", token: worker,
                body: ["subject": "household", "subjectID": subjectID, "whom": "户主", "findings": "x", "case": ["title": " ", "categoryCode": "service.streetlight"]])
            #expect(untitled.status == .unprocessableContent && untitled.errorField == "case.title")
            let stillDue = try #require(try await api.send(.get, "/api/v1/visits/due", token: worker)["due"] as? [[String: Any]])
            #expect(stillDue.contains { $0["subjectID"] as? Int == subjectID }, "a refused visit wrote nothing")

            let body: [String: Any] = [
                "subject": "household", "subjectID": subjectID, "whom": "户主本人", "findings": "门口路灯坏了三天",
                "case": ["title": "门口路灯不亮", "categoryCode": "service.streetlight"],
            ]
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "phone-visit-api-1"]
            let logged = try await api.send(.post, "/api/v1/visits", token: worker, body: body, headers: key)
            let again = try await api.send(.post, "/api/v1/visits", token: worker, body: body, headers: key)
            #expect(logged.status == .created && again.status == .created)
            let visit = try #require(logged["visit"] as? [String: Any])
            let made = try #require(logged["case"] as? [String: Any])
            #expect((again["visit"] as? [String: Any])?["id"] as? Int == visit["id"] as? Int)
            #expect((again["case"] as? [String: Any])?["id"] as? Int == made["id"] as? Int)
            #expect(visit["caseID"] as? Int == made["id"] as? Int)
            let caseID = try #require(made["id"] as? Int)
            let opened = try await api.send(.get, "/api/v1/cases/\(caseID)", token: worker)
            #expect(opened["description"] as? String == "门口路灯坏了三天")

            let after = try #require(try await api.send(.get, "/api/v1/visits/due", token: worker)["due"] as? [[String: Any]])
            #expect(!after.contains { $0["subjectID"] as? Int == subjectID && $0["subject"] as? String == "household" })
            // Only a grid worker logs visits.
            let village = try await api.signIn("village1")
            #expect(try await api.send(.post, "/api/v1/visits", token: village, body: body).status == .forbidden)
        }
    }
}
