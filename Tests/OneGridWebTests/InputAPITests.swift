import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// Hostile and broken input: a clear 4xx naming the field, never a 500, never half a write.
@Suite struct InputAPITests {
    @Test func badIntakeIsRefusedNamingTheFieldAndWritesNothing() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let point = city.gridPoints[0].point
            let malformed = try await api.send(.post, "/api/v1/cases", token: worker, rawBody: "{\"title\": ")
            #expect(malformed.status == .badRequest && malformed.errorCode == "malformedJSON")
            let wrongType = try await api.send(.post, "/api/v1/cases", token: worker, body: ["title": 42])
            #expect(wrongType.status == .unprocessableContent && wrongType.errorField == "title")
            let missing = try await api.send(.post, "/api/v1/cases", token: worker, body: ["categoryCode": "service.streetlight"])
            #expect(missing.status == .unprocessableContent && missing.errorField == "title")
            let outside = try await api.report(token: worker, at: GeoPoint(lat: 1, lng: 1))
            #expect(outside.status == .unprocessableContent && outside.errorField == "location")
            let offEarth = try await api.report(token: worker, at: GeoPoint(lat: 123, lng: 1))
            #expect(offEarth.status == .unprocessableContent && offEarth.errorField == "location")
            let category = try await api.report(token: worker, at: point, category: "no.such")
            #expect(category.status == .notFound && category.errorField == "categoryCode")
            let phone = try await api.report(token: worker, at: point, extra: ["reporter": ["phone": "12ab"]])
            #expect(phone.errorField == "reporter.phone")
            let idNumber = try await api.report(token: worker, at: point, extra: ["reporter": ["idNumber": "110105194912310021"]])
            #expect(idNumber.errorField == "reporter.idNumber")
            let channel = try await api.report(token: worker, at: point, extra: ["channel": "hotline"])
            #expect(channel.errorField == "channel")
            let huge = try await api.report(token: worker, at: point, extra: ["description": String(repeating: "长", count: 600_000)])
            #expect(huge.status == .contentTooLarge)
            let list = try await api.send(.get, "/api/v1/cases", token: worker)
            #expect((list["cases"] as? [Any])?.count == 0, "a refused intake left a case behind")
        }
    }

    @Test func badActionsAreRefusedNamingTheField() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)
            let village = try await api.signIn("village1")
            let unknown = try await api.act("teleport", on: id, token: village)
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "action")
            let noCase = try await api.act("accept", on: 999_999, token: village)
            #expect(noCase.status == .notFound)
            let notAnID = try await api.send(.get, "/api/v1/cases/abc", token: village)
            #expect(notAnID.status == .notFound)
            _ = try await api.act("accept", on: id, token: village)
            let badDepartment = try await api.act("dispatch", on: id, token: village, ["departmentID": 987_654])
            #expect(badDepartment.status == .notFound && badDepartment.errorField == "departmentID")
            let wrongType = try await api.act("dispatch", on: id, token: village, ["departmentID": "x"])
            #expect(wrongType.status == .unprocessableContent && wrongType.errorField == "departmentID")
            let badRating = try await api.act("rate", on: id, token: village, ["rating": "meh"])
            #expect(badRating.status == .unprocessableContent && badRating.errorField == "rating")
            let reply = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: village)
            #expect((reply["events"] as? [Any])?.count == 2, "refused actions left events behind")
        }
    }

    @Test func badQueriesAreRefusedNamingTheParameter() async throws {
        try await TestApp.run { api, _ in
            let village = try await api.signIn("village1")
            for (query, field) in [
                ("status=sleeping", "status"), ("limit=0", "limit"), ("cursor=x", "cursor"), ("from=yesterday", "from"),
                ("overdue=maybe", "overdue"), ("area=nowhere", "area"), ("channel=fax", "channel"), ("order=oldest", "order"),
                // A cursor continues the order it was made in.
                ("order=urgent&cursor=12", "cursor"), ("cursor=1780000000000.12", "cursor"),
            ] {
                let reply = try await api.send(.get, "/api/v1/cases?\(query)", token: village)
                #expect(reply.status == .badRequest && reply.errorField == field, "\(query): \(reply.json)")
            }
        }
    }

    @Test func aRetryWithTheSameIdempotencyKeyReturnsTheFirstCase() async throws {
        try await TestApp.run { api, city in
            let hotline = try await api.signIn("hotline")
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "12345-20261123-0001"]
            let first = try await api.report(token: hotline, at: city.gridPoints[0].point, headers: key)
            let second = try await api.report(token: hotline, at: city.gridPoints[0].point, headers: key)
            #expect(first.status == .created && second.status == .ok)
            #expect(first.id == second.id)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            async let third = api.report(token: hotline, at: city.gridPoints[0].point, headers: [HTTPField.Name("Idempotency-Key")!: "k2"])
            async let fourth = api.report(token: hotline, at: city.gridPoints[0].point, headers: [HTTPField.Name("Idempotency-Key")!: "k2"])
            let pair = try await [third, fourth]
            #expect(pair[0].id == pair[1].id)
        }
    }

    @Test func aStepRetriedWithTheSameIdempotencyKeyIsTakenOnce() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let village = try await api.signIn("village1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "phone-verify-1"]
            let body: [String: Any] = ["action": "accept", "version": 1, "note": "已受理"]
            let first = try await api.send(.post, "/api/v1/cases/\(id)/actions", token: village, body: body, headers: key)
            let again = try await api.send(.post, "/api/v1/cases/\(id)/actions", token: village, body: body, headers: key)
            #expect(first.status == .ok && again.status == .ok, "the retry's stale version is no conflict: \(again.json)")
            #expect(first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(again.version == first.version)
            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: village)
            #expect((timeline["events"] as? [[String: Any]])?.filter { $0["action"] as? String == "accept" }.count == 1)
            let bad = try await api.send(
                .post, "/api/v1/cases/\(id)/actions", token: village, body: ["action": "dispatch"],
                headers: [HTTPField.Name("Idempotency-Key")!: "two words"])
            #expect(bad.status == .badRequest && bad.errorField == "Idempotency-Key")
        }
    }

    @Test func aReportCarriesItsEvidenceOnItsReportEvent() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(
                try await api.report(token: worker, at: city.gridPoints[0].point, extra: ["evidence": ["photo:before.jpg", "voice:1.webm"]]).id)
            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: worker)
            let report = (timeline["events"] as? [[String: Any]])?.first
            #expect((report?["details"] as? [String: Any])?["evidence"] as? String == "photo:before.jpg\nvoice:1.webm")
            let refused = try await api.report(token: worker, at: city.gridPoints[0].point, extra: ["evidence": ["two\nlines"]])
            #expect(refused.status == .unprocessableContent && refused.errorField == "evidence", "\(refused.json)")
        }
    }

    @Test func listFiltersAndCursorPagesCoverEveryCaseOnce() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            var created: [Int64] = []
            for index in 0..<7 {
                let title = index == 3 ? "垃圾_堆放 100%占道" : "路灯不亮 \(index)"
                created.append(try #require(try await api.report(token: worker, at: city.gridPoints[0].point, title: title).id))
            }
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await api.send(.get, "/api/v1/cases?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), token: worker)
                seen += (page["cases"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen == created.reversed())
            // Most urgent first: reported one after another under the same limit, the first falls due first.
            var urgent: [Int64] = []
            cursor = nil
            repeat {
                let page = try await api.send(.get, "/api/v1/cases?order=urgent&limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), token: worker)
                urgent += (page["cases"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(urgent == created)
            let text = try await api.send(.get, "/api/v1/cases?q=_%E5%A0%86", token: worker)
            #expect((text["cases"] as? [Any])?.count == 1)
            let percent = try await api.send(.get, "/api/v1/cases?q=100%25", token: worker)
            #expect((percent["cases"] as? [Any])?.count == 1)
            let none = try await api.send(.get, "/api/v1/cases?status=archived", token: worker)
            #expect((none["cases"] as? [Any])?.count == 0)
            let open = try await api.send(.get, "/api/v1/cases?status=reported&category=service&channel=gridWorker", token: worker)
            #expect((open["cases"] as? [Any])?.count == 7)
        }
    }
}
