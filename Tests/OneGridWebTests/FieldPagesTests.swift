import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OneGridApplication
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The grid worker's phone pages (`/field`) and the phone-side scripts they share with the
/// citizen's pages.
@Suite struct FieldPagesTests {
    /// The first bytes of a JPEG: what the phone's shrunk photo starts with.
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0xFF, 0xD9]

    @Test func thePhoneScriptsAreServedFromTheirFolderAsScripts() async throws {
        try await TestApp.pages { browser, _, _ in
            for name in ["photo.js", "place.js"] {
                let asset = try await browser.get("/assets/field/\(name)")
                #expect(asset.status == .ok, "\(name)")
                #expect(asset.headers[.contentType]?.hasPrefix("text/javascript") == true, "\(name)")
                #expect(asset.headers[.cacheControl]?.contains("immutable") == true, "\(name)")
            }
            #expect(try await browser.get("/assets/field/none.js").status == .notFound)
            #expect(try await browser.get("/assets/onegrid.css").status == .ok, "the top folder's assets stay where they were")
        }
    }

    @Test func aGridWorkerLandsOnTheFieldHomeWithTheGridsCasesByClock() async throws {
        try await TestApp.pages { browser, api, city in
            let worker = try await api.signIn("gridworker1")
            let village = try await api.signIn("village1")
            let handler = try await api.signIn("handler.village1")
            let reported = try #require(try await api.report(token: worker, at: city.gridPoints[0].point, title: "井盖缺失").id)
            let fedBack = try #require(try await api.report(token: worker, at: city.gridPoints[0].point, title: "路灯坏了待核查").id)
            let workerID = try #require(((try await api.send(.get, "/api/v1/me", token: worker))["user"] as? [String: Any])?["id"] as? NSNumber)
            _ = try await api.act("accept", on: fedBack, token: village)
            _ = try await api.act("dualDispatch", on: fedBack, token: village, ["watcherUserID": workerID.int64Value])
            _ = try await api.act("start", on: fedBack, token: handler)
            _ = try await api.act("feedBack", on: fedBack, token: handler, ["note": "已修好"])

            let landed = try await browser.signIn("gridworker1")
            #expect(landed.location == "/field")
            let home = try await browser.get("/field")
            #expect(home.status == .ok)
            #expect(home.html.contains("/field/cases/\(fedBack)/verify"), "the fed-back case waits for the worker's check")
            #expect(home.html.contains("/cases/\(reported)"))
            #expect(home.html.contains("clock-green") && home.html.contains("正常"), "the clock's colour with its word")
            #expect(home.html.contains(#"rel="manifest""#))
            #expect(try await browser.get("/field/cases/\(fedBack)/verify").html.contains(#"name="result" value="pass""#))
            // A dispatcher's post is not a grid worker's: the phone pages are not theirs.
            _ = try await browser.post("/signout", [], token: home.formToken)
            try await browser.signIn("village1")
            #expect(try await browser.get("/field").status == .forbidden)
        }
    }

    /// The daily screening round on the phone: due in the clock colours, refused by its field with
    /// what was typed kept, recorded with its risk found, and the risk followed to the dispute case
    /// the village centre opened from it. It needs signal and says so.
    @Test func theDailyScreeningRoundIsRecordedAndItsRiskFollowedToItsDispute() async throws {
        try await TestApp.pages { browser, api, _ in
            try await browser.signIn("gridworker1")
            #expect(try await browser.get("/field").html.contains(#"href="/field/screening""#))
            var page = try await browser.get("/field/screening")
            #expect(page.status == .ok)
            #expect(page.html.contains("clock-red") && page.html.contains("排查已超期"), "a grid never screened is overdue, in colour and words")
            #expect(page.html.contains("需要网络信号") && page.html.contains("data-needs-signal"))

            let refused = try await browser.post("/field/screening", [("checked", " "), ("findings", "两户因排水沟争执")], token: page.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"aria-describedby="checked-error""#), "the refusal stands beside the field it names")
            #expect(refused.html.contains(">两户因排水沟争执</textarea>"), "what was typed is kept")

            let posted = try await browser.post("/field/screening", [("checked", "走访8户，查看出租房"), ("findings", "两户因排水沟争执\n")], token: page.formToken)
            #expect(posted.status == .seeOther)
            page = try await browser.get(try #require(posted.location))
            #expect(page.html.contains("clock-green") && page.html.contains("今日已排查"))
            #expect(page.html.contains("发现 1 条风险") && page.html.contains("待村（社区）登记为纠纷"))

            let rounds = try await api.send(.get, "/api/v1/screening-rounds", token: try await api.signIn("gridworker1"))
            let roundID = try #require((rounds["rounds"] as? [[String: Any]])?.first?["id"] as? Int)
            let opened = try await api.send(
                .post, "/api/v1/screening-rounds/\(roundID)/disputes", token: try await api.signIn("village1"),
                body: ["finding": 1, "categoryCode": "dispute.neighbour", "dispute": DisputeAPITests.form])
            #expect(opened.status == .created, "\(opened.json)")
            let round = try await api.send(.get, "/api/v1/screening-rounds/\(roundID)", token: try await api.signIn("gridworker1"))
            let caseID = try #require((round["findings"] as? [[String: Any]])?.first?["caseID"] as? Int)
            page = try await browser.get("/field/screening")
            #expect(page.html.contains(#"href="/cases/\#(caseID)""#) && page.html.contains("已转为纠纷案件 #\(caseID)"))
            #expect(!page.html.contains("待村（社区）登记为纠纷"))
        }
    }

    @Test func aReportFromTheOutboxIsOneCaseWithItsPhotoHoweverOftenItIsSent() async throws {
        try await TestApp.pages { browser, api, city in
            try await browser.signIn("gridworker1")
            let form = try await browser.get("/field/report")
            #expect(form.html.contains(#"capture="environment""#))
            let categories = try await api.send(.get, "/api/v1/categories", token: try await api.signIn("gridworker1"))
            let streetlight = try #require((categories["categories"] as? [[String: Any]])?.first { $0["code"] as? String == "service.streetlight" }?["id"] as? NSNumber)
            let point = city.gridPoints[0].point
            let fields = [
                ("title", "路口井盖缺失"), ("category", streetlight.stringValue), ("lat", String(point.lat)), ("lng", String(point.lng)),
                ("key", "field-test-1"),
            ]
            let files = [(field: "photo", name: "a.jpg", bytes: Self.jpeg), (field: "voice", name: "voice.webm", bytes: [0x1A, 0x45, 0xDF, 0xA3] + Array("webm".utf8))]
            let first = try await browser.post("/field/report", fields, files: files, token: form.formToken)
            let again = try await browser.post("/field/report", fields, files: files, token: form.formToken)
            #expect(first.status == .created && again.status == .ok, "\(first.html)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(first.html.utf8)) as? [String: Any])
            let replay = try #require(try JSONSerialization.jsonObject(with: Data(again.html.utf8)) as? [String: Any])
            #expect(answer["id"] as? NSNumber == replay["id"] as? NSNumber && replay["replayed"] as? Bool == true)
            let id = try #require((answer["id"] as? NSNumber)?.int64Value)
            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: try await api.signIn("gridworker1"))
            let evidence = ((timeline["events"] as? [[String: Any]])?.first?["details"] as? [String: Any])?["evidence"] as? String ?? ""
            #expect(evidence.contains(" jpeg \(Self.jpeg.count) a.jpg") && evidence.contains(" webm "), "\(evidence)")

            // A refusal answers in the API's shape, naming the field, so the outbox keeps the reason.
            let refused = try await browser.post("/field/report", [("title", "无类别"), ("key", "field-test-2")], files: [], token: form.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#""field":"categoryCode""#), "\(refused.html)")
        }
    }

    @Test func aVerificationFromTheOutboxIsOneStep() async throws {
        try await TestApp.pages { browser, api, city in
            let worker = try await api.signIn("gridworker1")
            let village = try await api.signIn("village1")
            let handler = try await api.signIn("handler.village1")
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point).id)
            for (action, token) in [("accept", village), ("dispatch", village), ("start", handler)] { _ = try await api.act(action, on: id, token: token) }
            _ = try await api.act("feedBack", on: id, token: handler, ["note": "已修好"])
            try await browser.signIn("gridworker1")
            let page = try await browser.get("/field/cases/\(id)/verify")
            let fields = [("result", "pass"), ("note", "现场核查，路灯正常"), ("key", "field-verify-1")]
            let photo = [(field: "photo", name: "check.jpg", bytes: Self.jpeg)]
            let first = try await browser.post("/field/cases/\(id)/verify", fields, files: photo, token: page.formToken)
            let again = try await browser.post("/field/cases/\(id)/verify", fields, files: photo, token: page.formToken)
            #expect(first.status == .ok && again.status == .ok, "\(again.html)")
            #expect(again.html.contains(#""replayed":true"#))
            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: worker)
            #expect((timeline["events"] as? [[String: Any]])?.filter { $0["action"] as? String == "verifyPass" }.count == 1)
            #expect(try await api.send(.get, "/api/v1/cases/\(id)", token: worker).status_ == "verified")
        }
    }

    @Test func theAppIsInstallableAndItsWorkerCoversTheHomePage() async throws {
        try await TestApp.pages { browser, _, _ in
            let worker = try await browser.get("/field/sw.js")
            #expect(worker.status == .ok, "open: a browser fetches it without a session")
            #expect(worker.headers[HTTPField.Name("Service-Worker-Allowed")!] == "/field")
            #expect(worker.html.hasPrefix("self.ONEGRID_SHELL = ["))
            #expect(worker.html.contains("/assets/field/field.js?v="))
            let manifest = try await browser.get("/field/manifest.webmanifest")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(manifest.html.utf8)) as? [String: Any])
            #expect(json["start_url"] as? String == "/field" && json["display"] as? String == "standalone")
            #expect((json["icons"] as? [[String: Any]])?.count == 2)
            // Signed out, the session check the outbox makes is a redirect, never a page to keep.
            #expect(try await browser.get("/field/session").status == .seeOther)
        }
    }
}
