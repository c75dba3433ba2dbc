import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// Deadlines that run by themselves: clocks turn yellow and red, the sweeper urges, supervises
/// and escalates once each, suspension and extension need an approver.
@Suite struct DeadlineAPITests {
    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap { try? Date($0, strategy: .iso8601) }
    }

    /// Reports a street light in the first grid and has the village centre accept it.
    static func acceptedCase(_ api: API, _ city: TestApp.City) async throws -> (id: Int64, clock: [String: Any], village: String) {
        let worker = try await api.signIn("gridworker1")
        let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)
        let village = try await api.signIn("village1")
        let accepted = try await api.act("accept", on: id, token: village)
        return (id, try #require(accepted["clock"] as? [String: Any]), village)
    }

    @Test func aClockUrgesSupervisesAndEscalatesOnceEach() async throws {
        try await TestApp.run { api, city in
            let (id, clock, village) = try await Self.acceptedCase(api, city)
            #expect(clock["stage"] as? String == "handling" && clock["colour"] as? String == "green")
            let start = try #require(Self.date(clock["startedAt"]))
            let due = try #require(Self.date(clock["dueAt"]))
            let yellow = start.addingTimeInterval(due.timeIntervalSince(start) * 0.8)

            #expect(try await city.sweep(at: yellow.addingTimeInterval(-60)) == 0)
            #expect(try await city.sweep(at: yellow.addingTimeInterval(60)) == 1, "the urge at yellow")
            #expect(try await city.sweep(at: yellow.addingTimeInterval(120)) == 0, "an urge happens once")
            let inbox = try await api.send(.get, "/api/v1/inbox", token: village)
            let notes = inbox["notifications"] as? [[String: Any]] ?? []
            #expect(notes.contains { $0["kind"] as? String == "urge" && ($0["caseID"] as? NSNumber)?.int64Value == id })
            #expect((inbox["unread"] as? NSNumber)?.intValue ?? 0 >= 1)

            #expect(try await city.sweep(at: due.addingTimeInterval(60)) == 2, "supervision and escalation at red")
            #expect(try await city.sweep(at: due.addingTimeInterval(3600)) == 0)
            let town = try await api.signIn("town1")
            let escalated = try await api.send(.get, "/api/v1/cases/\(id)", token: town)
            #expect((escalated["handling"] as? [String: Any])?["level"] as? String == "town")
            #expect(escalated["status"] as? String == "accepted")
            let queue = try await api.send(.get, "/api/v1/cases?status=accepted", token: town)
            #expect((queue["cases"] as? [[String: Any]] ?? []).contains { ($0["id"] as? NSNumber)?.int64Value == id })
            let townInbox = try await api.send(.get, "/api/v1/inbox?unread=true", token: town)
            #expect((townInbox["notifications"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "escalate" })

            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: town)
            let actions = (timeline["events"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions == ["report", "accept", "urge", "supervise", "escalate"])
            // The sweeper acts as no person: its events carry no actor.
            let urge = (timeline["events"] as? [[String: Any]] ?? []).first { $0["action"] as? String == "urge" }
            #expect(urge?["actorUserID"] == nil)
        }
    }

    @Test func anAdministratorSetsTheYellowShareForClocksStartedFromThen() async throws {
        try await TestApp.run { api, city in
            let admin = try await api.signIn("admin")
            let worker = try await api.signIn("gridworker1")
            #expect(try await api.send(.get, "/api/v1/settings/deadlines", token: worker)["yellowShare"] as? Double == 0.8)
            let before = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)

            let refused = try await api.send(.put, "/api/v1/settings/deadlines", token: worker, body: ["yellowShare": 0.5])
            #expect(refused.status == .forbidden)
            for bad: Any in [1.2, 0, "half"] {
                let invalid = try await api.send(.put, "/api/v1/settings/deadlines", token: admin, body: ["yellowShare": bad])
                #expect(invalid.status == .unprocessableContent || invalid.status == .badRequest, "\(bad): \(invalid.json)")
                #expect(invalid.errorField == "yellowShare", "\(invalid.json)")
            }
            let changed = try await api.send(.put, "/api/v1/settings/deadlines", token: admin, body: ["yellowShare": 0.5])
            #expect(changed.status == .ok && changed["yellowShare"] as? Double == 0.5, "\(changed.json)")
            #expect(try await api.send(.get, "/api/v1/settings/deadlines", token: worker)["yellowShare"] as? Double == 0.5)

            let after = try await api.report(token: worker, at: city.gridPoints[0].point)
            let clock = try #require(after["clock"] as? [String: Any])
            let start = try #require(Self.date(clock["startedAt"]))
            let due = try #require(Self.date(clock["dueAt"]))
            let yellowAt = try #require(Self.date(clock["yellowAt"]))
            // The API writes times to the second.
            #expect(abs(yellowAt.timeIntervalSince(start.addingTimeInterval(due.timeIntervalSince(start) * 0.5))) < 1)
            // At 60 % of the limit only the clock started after the change has turned yellow.
            #expect(try await city.sweep(at: start.addingTimeInterval(due.timeIntervalSince(start) * 0.6)) == 1)
            let village = try await api.signIn("village1")
            let urged = try await api.send(.get, "/api/v1/cases/\(try #require(after.id))", token: village)
            #expect((urged["clock"] as? [String: Any])?["lastAlert"] as? String == "urge")
            let untouched = try await api.send(.get, "/api/v1/cases/\(before)", token: village)
            #expect((untouched["clock"] as? [String: Any])?["lastAlert"] == nil, "a running clock keeps the share it started with")
        }
    }

    /// `onegrid sweep` counts on the administrator's settings as the server does: the handling
    /// clock it starts when it escalates a case turns yellow at the stored share.
    @Test func theSweepCommandHonoursTheStoredYellowShare() async throws {
        try await TestApp.run { api, city in
            let (id, clock, _) = try await Self.acceptedCase(api, city)
            let admin = try await api.signIn("admin")
            let changed = try await api.send(.put, "/api/v1/settings/deadlines", token: admin, body: ["yellowShare": 0.3])
            #expect(changed.status == .ok, "\(changed.json)")
            let due = try #require(Self.date(clock["dueAt"]))
            #expect(try await city.commandSweep(due.addingTimeInterval(60)) > 0)

            let town = try await api.signIn("town1")
            let escalated = try await api.send(.get, "/api/v1/cases/\(id)", token: town)
            #expect((escalated["handling"] as? [String: Any])?["level"] as? String == "town", "escalated by the command's sweep")
            let restarted = try #require(escalated["clock"] as? [String: Any], "\(escalated.json)")
            let start = try #require(Self.date(restarted["startedAt"]))
            let newDue = try #require(Self.date(restarted["dueAt"]))
            let yellowAt = try #require(Self.date(restarted["yellowAt"]))
            #expect(abs(yellowAt.timeIntervalSince(start.addingTimeInterval(newDue.timeIntervalSince(start) * 0.3))) < 1, "\(restarted)")
        }
    }

    @Test func aPetitionerAsksTheLevelAboveForReviewWithin30Days() async throws {
        try await TestApp.run { api, city in
            let citizen = try await api.signIn("citizen1")
            let reported = try await api.report(token: citizen, at: city.gridPoints[0].point, category: "petition.appeal", title: "反映征地补偿不到位")
            let id = try #require(reported.id, "\(reported.json)")
            let county = try await api.signIn("county1")
            var step = try await api.act("accept", on: id, token: county)
            let departmentID = try #require(((step["suggestedDepartment"] as? [String: Any])?["id"] as? NSNumber)?.int64Value, "\(step.json)")
            step = try await api.act("dispatch", on: id, token: county, ["departmentID": departmentID])
            let handler = try await api.signIn("handler.county1.petition")
            step = try await api.act("start", on: id, token: handler)
            step = try await api.act("feedBack", on: id, token: handler, ["note": "已依法作出书面答复"])
            step = try await api.act("verifyPass", on: id, token: county, ["note": "答复意见已送达"])
            step = try await api.act("rate", on: id, token: citizen, ["rating": "dissatisfied"])
            step = try await api.act("close", on: id, token: county)
            #expect(step.status_ == "closed", "\(step.json)")
            #expect((step["allowedActions"] as? [String])?.contains("requestReview") == true)

            let silent = try await api.act("requestReview", on: id, token: citizen)
            #expect(silent.status == .unprocessableContent && silent.errorField == "note")
            step = try await api.act("requestReview", on: id, token: citizen, ["note": "对答复不服，申请复查"])
            #expect(step.status == .ok && step.status_ == "accepted", "\(step.json)")
            #expect((step["handling"] as? [String: Any])?["level"] as? String == "city")
            #expect((step["reviewCount"] as? NSNumber)?.intValue == 1)
            let clock = try #require(step["clock"] as? [String: Any])
            let start = try #require(Self.date(clock["startedAt"]))
            let due = try #require(Self.date(clock["dueAt"]))
            #expect(clock["stage"] as? String == "handling")
            #expect(abs(due.timeIntervalSince(start) - 30 * 86_400) < 1, "the review is answered within 30 days")

            let cityDispatcher = try await api.signIn("city")
            let inbox = try await api.send(.get, "/api/v1/inbox", token: cityDispatcher)
            #expect((inbox["notifications"] as? [[String: Any]] ?? []).contains {
                $0["kind"] as? String == "requestReview" && ($0["caseID"] as? NSNumber)?.int64Value == id
            }, "\(inbox.json)")
            let queue = try await api.send(.get, "/api/v1/cases?status=accepted", token: cityDispatcher)
            #expect((queue["cases"] as? [[String: Any]] ?? []).contains { ($0["id"] as? NSNumber)?.int64Value == id })
        }
    }

    @Test func twoSweepersAtOnceActOnceOnEachClock() async throws {
        try await TestApp.run { api, city in
            var ids: [Int64] = []
            for _ in 0..<5 { ids.append(try await Self.acceptedCase(api, city).id) }
            let late = Date().addingTimeInterval(60 * 86_400)
            async let first = city.sweepers[0](late)
            async let second = city.sweepers[1](late)
            let total = try await first + second
            // Each case: urge, supervise, escalate; and at the town its new clock is overdue too.
            let town = try await api.signIn("town1")
            var counted = 0
            for id in ids {
                let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: town)
                let actions = (timeline["events"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
                let alerts = actions.filter { ["urge", "supervise", "escalate"].contains($0) }
                counted += alerts.count
                #expect(Array(actions.prefix(5)) == ["report", "accept", "urge", "supervise", "escalate"], "\(actions)")
                // No clock ever alerted twice in a row without a new stage in between.
                for (a, b) in zip(alerts, alerts.dropFirst()) where a == b { Issue.record("\(id): \(a) twice: \(actions)") }
            }
            #expect(total == counted, "every step written is in a timeline, once")
        }
    }

    @Test func suspensionStopsTheClockAndNeedsAnApprover() async throws {
        try await TestApp.run { api, city in
            let (id, clock, village) = try await Self.acceptedCase(api, city)
            let due = try #require(Self.date(clock["dueAt"]))
            let worker = try await api.signIn("gridworker1")
            let refused = try await api.act("suspend", on: id, token: worker, ["note": "等待法院判决"])
            #expect(refused.status == .forbidden)
            let noReason = try await api.act("suspend", on: id, token: village)
            #expect(noReason.errorField == "note")
            let suspended = try await api.act("suspend", on: id, token: village, ["note": "等待法院判决"])
            #expect((suspended["clock"] as? [String: Any])?["suspended"] as? Bool == true, "\(suspended.json)")
            #expect(try await city.sweep(at: due.addingTimeInterval(86_400)) == 0, "a suspended clock does not run")
            let twice = try await api.act("suspend", on: id, token: village, ["note": "again"])
            #expect(twice.status == .conflict)
            let resumed = try await api.act("resume", on: id, token: village)
            let resumedClock = try #require(resumed["clock"] as? [String: Any])
            #expect(resumedClock["suspended"] as? Bool == false)
            #expect(try #require(Self.date(resumedClock["dueAt"])) >= due)
        }
    }

    @Test func anExtensionMovesTheDueTimeWithinItsLimit() async throws {
        try await TestApp.run { api, city in
            let (id, clock, village) = try await Self.acceptedCase(api, city)
            let due = try #require(Self.date(clock["dueAt"]))
            let tooLong = try await api.act("extend", on: id, token: village, ["note": "材料待补", "extendBy": "30wd"])
            #expect(tooLong.status == .unprocessableContent && tooLong.errorField == "extendBy")
            let malformed = try await api.act("extend", on: id, token: village, ["note": "材料待补", "extendBy": "soon"])
            #expect(malformed.status == .unprocessableContent && malformed.errorField == "extendBy")
            let worker = try await api.signIn("gridworker1")
            #expect(try await api.act("extend", on: id, token: worker, ["note": "x", "extendBy": "2wd"]).status == .forbidden)
            let extended = try await api.act("extend", on: id, token: village, ["note": "需协调供电公司", "extendBy": "3wd"])
            let newDue = try #require(Self.date((extended["clock"] as? [String: Any])?["dueAt"]))
            #expect(newDue.timeIntervalSince(due) >= 3 * 86_400, "three working days later")
            #expect((extended["extensionCount"] as? NSNumber)?.intValue == 1)
        }
    }
}
