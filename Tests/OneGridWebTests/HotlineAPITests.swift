import Foundation
import HTTPTypes
import OneGridWeb
import OneGridDomain
import Testing

/// The 12345 hotline's contract end to end (docs/hotline.md): a hotline token creates a case by
/// its ticket number, a retry of the ticket returns that case, the grid handles it, the hotline's
/// webhook receiver gets every status change signed, the result and rating are read back by the
/// ticket, and tickets that are not the grid's business are answered with their reason.
@Suite struct HotlineAPITests {
    static let ticket = "BJ12345-20261130-0001"

    @Test func aTicketIsCreatedOnceHandledAndReadBackWithSignedStatusChanges() async throws {
        try await Receiver.serve { receiver, url in
            try await WebhookAPITests.run { api, point, delivery in
                let admin = try await api.signIn("admin")
                let hook = try await api.send(
                    .post, "/api/v1/webhooks", token: admin, body: ["url": url, "secret": WebhookAPITests.secret, "events": ["*"]])
                #expect(hook.status == .created, "\(hook.json)")
                let hotline = try await api.signIn("hotline")
                let body: [String: Any] = [
                    "ticket": Self.ticket, "title": "村口路灯不亮", "description": "市民来电：村口一排路灯晚上都不亮。",
                    "categoryCode": "service.streetlight", "location": ["lat": point.lat, "lng": point.lng],
                    "reporter": ["name": "李四", "phone": "13912345678"],
                ]
                let created = try await api.send(.post, "/api/v1/hotline/tickets", token: hotline, body: body, headers: [HTTPField.Name("Idempotency-Key")!: "first-try"])
                #expect(created.status == .created, "\(created.json)")
                let made = try #require(created["case"] as? [String: Any])
                let caseID = try #require((made["id"] as? NSNumber)?.int64Value)
                #expect(made["channel"] as? String == "hotline")
                #expect(created["ticket"] as? String == Self.ticket)

                // A retry with another key, or none, is the same case.
                for headers: HTTPFields in [[HTTPField.Name("Idempotency-Key")!: "second-try"], [:]] {
                    let again = try await api.send(.post, "/api/v1/hotline/tickets", token: hotline, body: body, headers: headers)
                    #expect(again.status == .ok && again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true", "\(again.json)")
                    #expect(((again["case"] as? [String: Any])?["id"] as? NSNumber)?.int64Value == caseID)
                }
                let open = try await api.send(.get, "/api/v1/hotline/tickets?ticket=\(Self.ticket)", token: hotline)
                #expect(((open["case"] as? [String: Any])?["status"] as? String) == "reported")
                #expect(open["result"] == nil && open["rating"] == nil)

                // The grid takes it through: accepted, dispatched, handled, verified, rated by the
                // hotline's return call, closed.
                let village = try await api.signIn("village1")
                let department = try #require(((made["suggestedDepartment"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
                #expect(try await api.act("accept", on: caseID, token: village).status == .ok)
                #expect(try await api.act("dispatch", on: caseID, token: village, ["departmentID": department]).status == .ok)
                let handler = try await api.signIn("handler.village1")
                #expect(try await api.act("start", on: caseID, token: handler).status == .ok)
                #expect(try await api.act("feedBack", on: caseID, token: handler, ["note": "已更换灯泡3个，路灯恢复"]).status == .ok)
                let worker = try await api.signIn("gridworker1")
                #expect(try await api.act("verifyPass", on: caseID, token: worker, ["note": "现场核查正常"]).status == .ok)
                #expect(try await api.act("rate", on: caseID, token: hotline, ["rating": "satisfied", "note": "回访：很满意，修得快"]).status == .ok)
                let closed = try await api.act("close", on: caseID, token: village)
                #expect(closed.status_ == "closed", "\(closed.json)")

                let result = try await api.send(.get, "/api/v1/hotline/tickets?ticket=\(Self.ticket)", token: hotline)
                #expect(result.status == .ok, "\(result.json)")
                let shown = try #require(result["case"] as? [String: Any])
                #expect(shown["status"] as? String == "closed")
                #expect(WebhookAPITests.date(shown["closedAt"]) != nil)
                #expect((result["result"] as? [String: Any])?["text"] as? String == "已更换灯泡3个，路灯恢复")
                let rating = try #require(result["rating"] as? [String: Any])
                #expect(rating["rating"] as? String == "satisfied")
                #expect(rating["words"] as? String == "回访：很满意，修得快")

                // The steps the hotline is told of reach its receiver, signed — the dispatch and the
                // close, its cue to read the result back; the first attempt is refused by the
                // receiver and retried after its back-off.
                var at = Date()
                while try await delivery.deliverDue(now: at) > 0 { at = at.addingTimeInterval(3600) }
                let received = await receiver.received
                for request in received {
                    #expect(request.headers["x-onegrid-signature"] == "sha256=" + WebhookAPITests.hmac(request.body))
                }
                // Sent at once and so in any order; each step once, whatever was retried.
                var steps: [Int: String] = [:]
                for request in received {
                    guard let payload = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                        (payload["caseID"] as? NSNumber)?.int64Value == caseID, let sequence = (payload["sequence"] as? NSNumber)?.intValue
                    else { continue }
                    steps[sequence] = payload["status"] as? String
                }
                let statuses = steps.keys.sorted().compactMap { steps[$0] }
                #expect(statuses == ["assigned", "closed"], "\(statuses)")
                #expect(received.count == statuses.count + 1)
                #expect(received.dropFirst().contains { $0.body == received.first?.body }, "the refused delivery was sent again")
            }
        }
    }

    @Test func ticketsThatAreNotTheGridsBusinessAreAnsweredWithTheirReason() async throws {
        try await WebhookAPITests.run { api, point, _ in
            let hotline = try await api.signIn("hotline")
            let first: [String: Any] = [
                "ticket": "T-1", "title": "路灯不亮", "categoryCode": "service.streetlight", "location": ["lat": point.lat, "lng": point.lng],
            ]
            let earlier = try await api.send(.post, "/api/v1/hotline/tickets", token: hotline, body: first)
            #expect(earlier.status == .created, "\(earlier.json)")

            let diversions: [(ticket: String, diversion: [String: Any], reason: String, says: String)] = [
                ("T-2", ["reason": "emergency", "line": "119"], "emergency", "119"),
                ("T-3", ["reason": "legalRoute", "legalRoute": "litigation"], "legalRoute", "诉讼"),
                ("T-4", ["reason": "repeatWithoutNewReason", "earlierTicket": "T-1"], "repeatWithoutNewReason", "待受理"),
                ("T-5", ["reason": "outsideGovernmentDuty", "note": "商业纠纷"], "outsideGovernmentDuty", "市场或社会"),
            ]
            for item in diversions {
                // Twice: a diverted ticket is answered alike when sent again, also as a case.
                for body: [String: Any] in [["ticket": item.ticket, "diversion": item.diversion], first.merging(["ticket": item.ticket]) { _, new in new }] {
                    let answer = try await api.send(.post, "/api/v1/hotline/tickets", token: hotline, body: body)
                    let error = answer["error"] as? [String: Any]
                    #expect(answer.status == .unprocessableContent && answer.errorCode == "diverted", "\(answer.json)")
                    #expect(answer.errorField == "diversion" && error?["reason"] as? String == item.reason, "\(answer.json)")
                    #expect(answer.errorMessage.contains(item.says), "\(answer.errorMessage)")
                }
                let read = try await api.send(.get, "/api/v1/hotline/tickets?ticket=\(item.ticket)", token: hotline)
                let diversion = try #require(read["diversion"] as? [String: Any], "\(read.json)")
                #expect(diversion["reason"] as? String == item.reason && read["case"] == nil)
            }
            let english = try await api.send(
                .get, "/api/v1/hotline/tickets?ticket=T-2", token: hotline, headers: [.acceptLanguage: "en"])
            #expect(((english["diversion"] as? [String: Any])?["text"] as? String)?.contains("call 119") == true, "\(english.json)")
            let repeatRead = try await api.send(.get, "/api/v1/hotline/tickets?ticket=T-4", token: hotline)
            let earlierID = ((earlier["case"] as? [String: Any])?["id"] as? NSNumber)?.int64Value
            #expect(((repeatRead["diversion"] as? [String: Any])?["earlierCaseID"] as? NSNumber)?.int64Value == earlierID)

            // Refusals that name their field.
            let refusals: [(body: [String: Any], field: String, status: HTTPResponse.Status)] = [
                (["ticket": "T-6", "diversion": ["reason": "emergency"]], "diversion.line", .unprocessableContent),
                (["ticket": "T-6", "diversion": ["reason": "legalRoute", "line": "110", "legalRoute": "arbitration"]], "diversion.line", .unprocessableContent),
                (["ticket": "T-6", "diversion": ["reason": "repeatWithoutNewReason", "earlierTicket": "T-404"]], "diversion.earlierTicket", .notFound),
                (["ticket": "T-6", "diversion": ["reason": "tooBusy"]], "diversion.reason", .unprocessableContent),
                (["ticket": "has space", "diversion": ["reason": "outsideGovernmentDuty"]], "ticket", .unprocessableContent),
                (["ticket": "T-1", "diversion": ["reason": "outsideGovernmentDuty"]], "ticket", .conflict),
                (["ticket": "T-6", "categoryCode": "service.streetlight"], "title", .unprocessableContent),
            ]
            for refusal in refusals {
                let answer = try await api.send(.post, "/api/v1/hotline/tickets", token: hotline, body: refusal.body)
                #expect(answer.status == refusal.status && answer.errorField == refusal.field, "\(refusal.body): \(answer.json)")
            }
            let unknown = try await api.send(.get, "/api/v1/hotline/tickets?ticket=T-6", token: hotline)
            #expect(unknown.status == .notFound && unknown.errorField == "ticket")

            // Only the hotline's posts use the contract.
            let village = try await api.signIn("village1")
            #expect(try await api.send(.post, "/api/v1/hotline/tickets", token: village, body: first).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/hotline/tickets?ticket=T-1", token: village).status == .forbidden)
        }
    }
}
