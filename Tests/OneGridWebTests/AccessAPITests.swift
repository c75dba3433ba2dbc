import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// Who sees what: scope by post, 404 outside it, masked personal data, recorded disclosure.
@Suite struct AccessAPITests {
    @Test func aCaseOutsideThePostsAreaAnswersNotFound() async throws {
        try await TestApp.run { api, city in
            // The tiny city's third grid lies in the second village.
            let otherVillagePoint = city.gridPoints[2].point
            let town = try await api.signIn("town1")
            let id = try #require(try await api.report(token: town, at: otherVillagePoint, extra: ["channel": "hotline"]).id)
            let worker = try await api.signIn("gridworker1")
            let village = try await api.signIn("village1")
            for token in [worker, village] {
                let hidden = try await api.send(.get, "/api/v1/cases/\(id)", token: token)
                #expect(hidden.status == .notFound)
                let action = try await api.act("accept", on: id, token: token)
                #expect(action.status == .notFound)
                let list = try await api.send(.get, "/api/v1/cases", token: token)
                #expect(!(list["cases"] as? [[String: Any]] ?? []).contains { ($0["id"] as? NSNumber)?.int64Value == id })
            }
            #expect(try await api.send(.get, "/api/v1/cases/\(id)", token: town).status == .ok)
        }
    }

    @Test func aGridWorkerCannotReportOutsideTheirGrid() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let reply = try await api.report(token: worker, at: city.gridPoints[1].point)
            #expect(reply.status == .unprocessableContent && reply.errorField == "location")
        }
    }

    @Test func personalDataIsMaskedAndRevealingItIsRecorded() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let reported = try await api.report(token: worker, at: city.gridPoints[0].point)
            let id = try #require(reported.id)
            let reporter = try #require(reported["reporter"] as? [String: Any])
            #expect(reporter["phone"] as? String == "138****5678")
            #expect(reporter["idNumber"] as? String == "110105********002X")
            #expect(reporter["masked"] as? Bool == true)

            let denied = try await api.send(.post, "/api/v1/cases/\(id)/reveal", token: worker, body: ["field": "phone"])
            #expect(denied.status == .forbidden)
            let village = try await api.signIn("village1")
            let shown = try await api.send(.post, "/api/v1/cases/\(id)/reveal", token: village, body: ["field": "phone"])
            #expect(shown["value"] as? String == "13812345678")
            let log = try await api.send(.get, "/api/v1/cases/\(id)/disclosures", token: village)
            let entries = try #require(log["disclosures"] as? [[String: Any]])
            #expect(entries.count == 1 && entries.first?["field"] as? String == "phone")
        }
    }

    @Test func withoutATokenEverythingButLogInIsRefused() async throws {
        try await TestApp.run { api, _ in
            let reply = try await api.send(.get, "/api/v1/cases")
            #expect(reply.status == .unauthorized && reply.errorCode == "unauthorized")
            let wrong = try await api.send(.post, "/api/v1/session", body: ["username": "gridworker1", "password": "nope"])
            #expect(wrong.status == .unauthorized)
            let bogus = try await api.send(.get, "/api/v1/me", token: "not-a-token")
            #expect(bogus.status == .unauthorized)
        }
    }

    @Test func logOutEndsTheSession() async throws {
        try await TestApp.run { api, _ in
            let token = try await api.signIn("village1")
            #expect(try await api.send(.get, "/api/v1/me", token: token).status == .ok)
            #expect(try await api.send(.delete, "/api/v1/session", token: token).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func anIntegrationTokenReportsThroughTheHotline() async throws {
        try await TestApp.run { api, city in
            let session = try await api.signIn("hotline")
            let created = try await api.send(.post, "/api/v1/tokens", token: session, body: ["label": "12345 对接"])
            let token = try #require(created["token"] as? String)
            let reply = try await api.report(token: token, at: city.gridPoints[0].point)
            #expect(reply.status == .created && reply["channel"] as? String == "hotline")
        }
    }
}
