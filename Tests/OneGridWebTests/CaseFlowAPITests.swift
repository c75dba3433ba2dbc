import Foundation
import HTTPTypes
import OneGridDomain
import Testing

/// The walkthrough of the README, as the right users, with every wrong step refused.
@Suite struct CaseFlowAPITests {
    @Test func caseGoesFromReportToArchiveAsTheRightUsers() async throws {
        try await TestApp.run { api, city in
            let (gridID, point) = city.gridPoints[0]
            let worker = try await api.signIn("gridworker1")
            let reported = try await api.report(token: worker, at: point)
            #expect(reported.status == .created, "\(reported.json)")
            let id = try #require(reported.id)
            #expect(reported.status_ == "reported")
            let areas = try #require(reported["areas"] as? [String: Any])
            #expect(((areas["grid"] as? [String: Any])?["id"] as? NSNumber)?.int64Value == gridID)
            let suggested = try #require(reported["suggestedDepartment"] as? [String: Any])
            #expect(suggested["kind"] as? String == "village-committee")
            let departmentID = try #require((suggested["id"] as? NSNumber)?.int64Value)
            #expect((reported["handling"] as? [String: Any])?["level"] as? String == "village")

            // The grid worker may not accept: that is the centre's step.
            let refused = try await api.act("accept", on: id, token: worker)
            #expect(refused.status == .forbidden)
            #expect(refused.errorMessage.contains("dispatcher"))

            let village = try await api.signIn("village1")
            // Archiving now is refused with the state and what is allowed.
            let early = try await api.act("archive", on: id, token: village)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "notAllowedInState")
            #expect(early.errorMessage.contains("reported") && early.errorMessage.contains("accept"))

            var step = try await api.act("accept", on: id, token: village)
            #expect(step.status == .ok && step.status_ == "accepted", "\(step.json)")
            let workerID = try #require(((try await api.send(.get, "/api/v1/me", token: worker))["user"] as? [String: Any])?["id"] as? NSNumber)
            step = try await api.act("dualDispatch", on: id, token: village, ["departmentID": departmentID, "watcherUserID": workerID])
            #expect(step.status == .ok && step.status_ == "assigned", "\(step.json)")
            #expect((step["watcherUserID"] as? NSNumber)?.int64Value == workerID.int64Value)

            let handler = try await api.signIn("handler.village1")
            step = try await api.act("start", on: id, token: handler)
            #expect(step.status_ == "inProgress", "\(step.json)")
            let noNote = try await api.act("feedBack", on: id, token: handler)
            #expect(noNote.status == .unprocessableContent && noNote.errorField == "note")
            step = try await api.act("feedBack", on: id, token: handler, ["note": "已更换灯泡3个，线路检修完毕", "evidence": ["photo:after-1.jpg"]])
            #expect(step.status_ == "handled" && step["finalLevel"] as? String == "village", "\(step.json)")

            // The handler may not verify their own work.
            let selfCheck = try await api.act("verifyPass", on: id, token: handler)
            #expect(selfCheck.status == .forbidden)
            step = try await api.act("verifyFail", on: id, token: worker, ["note": "还有一盏灯不亮"])
            #expect(step.status_ == "inProgress" && (step["reworkCount"] as? NSNumber)?.intValue == 1)
            step = try await api.act("feedBack", on: id, token: handler, ["note": "最后一盏灯已修复"])
            step = try await api.act("verifyPass", on: id, token: worker, ["note": "现场核查，路灯全部正常"])
            #expect(step.status_ == "verified", "\(step.json)")
            step = try await api.act("rate", on: id, token: village, ["rating": "satisfied", "note": "电话回访，群众满意"])
            #expect(step.status_ == "rated" && step["rating"] as? String == "satisfied")
            step = try await api.act("close", on: id, token: village)
            #expect(step.status_ == "closed")
            step = try await api.act("archive", on: id, token: village)
            #expect(step.status_ == "archived")
            #expect(step.version == 11, "one version per timeline event")

            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: village)
            let events = try #require(timeline["events"] as? [[String: Any]])
            #expect(events.map { $0["action"] as? String } == [
                "report", "accept", "dualDispatch", "start", "feedBack", "verifyFail", "feedBack", "verifyPass", "rate",
                "close", "archive",
            ].map(Optional.some))
            // Each event carries the hash of the one before it.
            for (earlier, later) in zip(events, events.dropFirst()) {
                #expect(later["previousHash"] as? String == earlier["hash"] as? String)
            }
        }
    }

    @Test func aDuplicateIsOfferedForMergingAndItsReporterToldTheOutcome() async throws {
        try await TestApp.run { api, city in
            let point = city.gridPoints[0].point
            let worker = try await api.signIn("gridworker1")
            let citizen = try await api.signIn("citizen1")
            let primary = try #require(try await api.report(token: worker, at: point, title: "村口路灯不亮").id)
            let unrelated = try #require(try await api.report(token: worker, at: point, category: "market.food", title: "村口路灯不亮").id)
            let other = try #require(
                try await api.report(token: worker, at: point, title: "小区垃圾清运不及时", extra: ["description": "垃圾桶满了三天没人清运"]).id)
            let second = try await api.report(token: citizen, at: point, title: "村口的路灯坏了，晚上不亮")
            let duplicate = try #require(second.id, "\(second.json)")

            let village = try await api.signIn("village1")
            let offered = try await api.send(.get, "/api/v1/cases/\(duplicate)/duplicates", token: village)
            #expect(offered.status == .ok, "\(offered.json)")
            let candidates = offered["candidates"] as? [[String: Any]] ?? []
            let ids = candidates.compactMap { (($0["case"] as? [String: Any])?["id"] as? NSNumber)?.int64Value }
            #expect(ids == [primary], "same grid and category, alike; not \(unrelated) (another category) nor \(other) (another matter)")
            #expect((candidates.first?["similarity"] as? Double ?? 0) >= 0.3)
            // Seen from a post that may not see the case, it does not exist.
            let stranger = try await api.signIn("handler.town1.police")
            #expect(try await api.send(.get, "/api/v1/cases/\(duplicate)/duplicates", token: stranger).status == .notFound)

            let merged = try await api.act("merge", on: duplicate, token: village, ["primaryCaseID": primary])
            #expect(merged.status_ == "merged" && (merged["primaryCaseID"] as? NSNumber)?.int64Value == primary, "\(merged.json)")
            let told = try await api.send(.get, "/api/v1/inbox", token: citizen)
            #expect((told["notifications"] as? [[String: Any]] ?? []).contains {
                $0["kind"] as? String == "merge" && ($0["caseID"] as? NSNumber)?.int64Value == duplicate
            }, "\(told.json)")

            // The primary is handled and closed: the merged case's reporter hears of it on their own case.
            var step = try await api.act("accept", on: primary, token: village)
            let departmentID = try #require(((step["suggestedDepartment"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            step = try await api.act("dispatch", on: primary, token: village, ["departmentID": departmentID])
            let handler = try await api.signIn("handler.village1")
            step = try await api.act("start", on: primary, token: handler)
            step = try await api.act("feedBack", on: primary, token: handler, ["note": "已更换灯泡"])
            step = try await api.act("verifyPass", on: primary, token: worker, ["note": "路灯正常"])
            step = try await api.act("close", on: primary, token: village)
            #expect(step.status_ == "closed", "\(step.json)")
            let outcome = try await api.send(.get, "/api/v1/inbox", token: citizen)
            let closing = (outcome["notifications"] as? [[String: Any]] ?? []).first { $0["kind"] as? String == "close" }
            #expect((closing?["caseID"] as? NSNumber)?.int64Value == duplicate, "\(outcome.json)")
            #expect((closing?["message"] as? String)?.contains(String(primary)) == true)
        }
    }

    @Test func staleVersionIsAConflictNamingTheCurrentVersion() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)
            let village = try await api.signIn("village1")
            let accepted = try await api.act("accept", on: id, token: village, ["version": 1])
            #expect(accepted.version == 2)
            let stale = try await api.act("reject", on: id, token: village, ["version": 1, "note": "重复"])
            #expect(stale.status == .conflict && stale.errorCode == "versionConflict")
            #expect(((stale["error"] as? [String: Any])?["currentVersion"] as? NSNumber)?.intValue == 2)
        }
    }

    @Test func twoDispatchersActingAtOnceOneWins() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)
            let village = try await api.signIn("village1")
            let town = try await api.signIn("town1")
            async let first = api.act("accept", on: id, token: village, ["version": 1])
            async let second = api.act("reject", on: id, token: town, ["version": 1, "note": "无效举报"])
            let replies = try await [first, second]
            #expect(replies.filter { $0.status == .ok }.count == 1)
            #expect(replies.filter { $0.status == .conflict }.count == 1)
            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: village)
            #expect((timeline["events"] as? [Any])?.count == 2)
        }
    }

    @Test func escalationMovesTheCaseToTheTownQueue() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point, category: "dispute.neighbour").id)
            let village = try await api.signIn("village1")
            _ = try await api.act("accept", on: id, token: village)
            let up = try await api.act("escalate", on: id, token: village, ["note": "村内调解未果"])
            #expect(up.status_ == "accepted" && (up["handling"] as? [String: Any])?["level"] as? String == "town", "\(up.json)")
            // The village may no longer dispatch it; the town may.
            let villageTry = try await api.act("reject", on: id, token: village, ["note": "x"])
            #expect(villageTry.status == .forbidden)
            let town = try await api.signIn("town1")
            let queue = try await api.send(.get, "/api/v1/cases?status=accepted", token: town)
            let ids = (queue["cases"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
            #expect(ids.contains(id))
        }
    }

    @Test func solvedOnTheSpotAtTheWindow() async throws {
        try await TestApp.run { api, city in
            let window = try await api.signIn("window1")
            let reply = try await api.report(token: window, at: city.gridPoints[0].point, extra: ["solvedOnSpot": "当场为群众开具证明"])
            #expect(reply.status == .created && reply.status_ == "verified", "\(reply.json)")
            #expect(reply["channel"] as? String == "window")
            #expect(reply["finalLevel"] as? String == "town")
        }
    }

    @Test func jointHandlingWaitsForEveryAssistingDepartment() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point, category: "market.food", title: "农贸市场售卖过期食品").id)
            let town = try await api.signIn("town1")
            _ = try await api.act("accept", on: id, token: town)
            let departments = try await api.send(.get, "/api/v1/departments", token: town)
            let list = departments["departments"] as? [[String: Any]] ?? []
            func departmentID(_ kind: String) -> Int64? {
                list.first { $0["kind"] as? String == kind && $0["level"] as? String == "town" }.flatMap { ($0["id"] as? NSNumber)?.int64Value }
            }
            let market = try #require(departmentID("market-supervision"))
            let enforcement = try #require(departmentID("enforcement"))
            let joint = try await api.act("jointDispatch", on: id, token: town, ["departmentID": market, "assistingDepartmentIDs": [enforcement]])
            #expect(joint.status_ == "assigned", "\(joint.json)")
            let lead = try await api.signIn("handler.town1.market")
            _ = try await api.act("start", on: id, token: lead)
            let early = try await api.act("feedBack", on: id, token: lead, ["note": "已查扣过期食品"])
            #expect(early.status == .conflict && early.errorMessage.contains(String(enforcement)))
            let assisting = try await api.signIn("handler.town1.enforcement")
            let assisted = try await api.act("reportAssist", on: id, token: assisting, ["note": "已配合现场执法"])
            #expect(assisted.status == .ok, "\(assisted.json)")
            let done = try await api.act("feedBack", on: id, token: lead, ["note": "已查扣过期食品并立案"])
            #expect(done.status_ == "handled" && done["finalLevel"] as? String == "town")
        }
    }
}
