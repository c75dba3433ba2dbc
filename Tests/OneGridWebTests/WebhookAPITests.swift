import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import OneGridWeb
import Testing

/// Outgoing webhooks end to end: an administrator registers a receiver, a dispatch queues a
/// delivery, and the delivery service sends it signed, retries a failure after its back-off,
/// and never makes a request wait for the receiver.
@Suite struct WebhookAPITests {
    static let secret = "whsec-0123456789abcdef"

    @Test func aDispatchIsDeliveredSignedRetriedAndNeverHoldsUpTheAction() async throws {
        try await Receiver.serve { receiver, url in
            try await Self.run { api, point, delivery in
                let admin = try await api.signIn("admin")
                let made = try await api.send(
                    .post, "/api/v1/webhooks", token: admin, body: ["url": url, "secret": Self.secret, "events": ["escalate", "dispatch"]])
                #expect(made.status == .created, "\(made.json)")
                let hookID = try #require(made.id)
                #expect(made["events"] as? [String] == ["dispatch", "escalate"])
                #expect(made["secret"] == nil)
                let listed = try await api.send(.get, "/api/v1/webhooks", token: admin)
                let hooks = try #require(listed["webhooks"] as? [[String: Any]])
                #expect(hooks.map { ($0["id"] as? NSNumber)?.int64Value } == [hookID])
                #expect(hooks.allSatisfy { $0["secret"] == nil && $0["url"] as? String == url })

                let village = try await api.signIn("village1")
                let caseID = try await Self.dispatchedCase(api, at: point, village: village)

                // First attempt: the receiver answers 500.
                let firstTry = Date()
                #expect(try await delivery.deliverDue(now: firstTry) == 1)
                let first = try #require(await receiver.received.first)
                #expect(first.headers["content-type"] == "application/json")
                #expect(first.headers["x-onegrid-event"] == "dispatch")
                #expect(first.headers["x-onegrid-signature"] == "sha256=" + Self.hmac(first.body), "HMAC-SHA256 over the exact body")
                let payload = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: Any])
                #expect(payload["kind"] as? String == "dispatch")
                #expect((payload["caseID"] as? NSNumber)?.int64Value == caseID)
                #expect(payload["status"] as? String == "assigned")
                let timeline = try await api.send(.get, "/api/v1/cases/\(caseID)/timeline", token: village)
                let dispatchEvent = (timeline["events"] as? [[String: Any]])?.first { $0["action"] as? String == "dispatch" }
                #expect(payload["id"] as? String == dispatchEvent?["hash"] as? String, "the event's hash identifies it")

                var deliveries = try await Self.deliveries(api, hookID, token: admin)
                #expect(deliveries.count == 1)
                #expect((deliveries[0]["id"] as? NSNumber)?.stringValue == first.headers["x-onegrid-delivery"])
                #expect((deliveries[0]["attempts"] as? NSNumber)?.intValue == 1)
                #expect((deliveries[0]["lastError"] as? String)?.contains("500") == true, "\(deliveries[0])")
                #expect(deliveries[0]["deliveredAt"] == nil)
                let retryAt = try #require(Self.date(deliveries[0]["nextAttemptAt"]))
                #expect(abs(retryAt.timeIntervalSince(firstTry.addingTimeInterval(10))) < 1, "10 s back-off after the first failure")

                // Not before the back-off; then again, with the same body and delivery id.
                #expect(try await delivery.deliverDue(now: firstTry.addingTimeInterval(9)) == 0)
                #expect(try await delivery.deliverDue(now: firstTry.addingTimeInterval(10)) == 1)
                let received = await receiver.received
                #expect(received.count == 2)
                #expect(received.last?.body == first.body)
                #expect(received.last?.headers["x-onegrid-delivery"] == first.headers["x-onegrid-delivery"])
                deliveries = try await Self.deliveries(api, hookID, token: admin)
                #expect((deliveries[0]["attempts"] as? NSNumber)?.intValue == 2)
                #expect(Self.date(deliveries[0]["deliveredAt"]) != nil)
                #expect(deliveries[0]["nextAttemptAt"] == nil)

                // A receiver that hangs on one delivery holds up nothing else: while it sits on
                // the next dispatch's delivery, another case is dispatched and answered.
                await receiver.hold()
                _ = try await Self.dispatchedCase(api, at: point, village: village)
                let inFlight = Task { try await delivery.deliverDue(now: Date()) }
                #expect(await Self.eventually { await receiver.received.count == 3 }, "the held delivery reached the receiver")
                // Should the action wait for the receiver after all, this lets it go after 60 s
                // rather than hanging the test, and the check below fails. The receiver still
                // holding is the proof, not a time: a machine running every suite at once can
                // take seconds over a dispatch that waits for nothing.
                let watchdog = Task {
                    try await Task.sleep(for: .seconds(60))
                    await receiver.release()
                }
                _ = try await Self.dispatchedCase(api, at: point, village: village)
                let stillHeld = await receiver.isHolding
                watchdog.cancel()
                #expect(stillHeld, "the dispatch was answered only after the receiver let go")
                await receiver.release()
                #expect(try await inFlight.value == 1)
                #expect(try await delivery.deliverDue(now: Date()) == 1, "the delivery of the dispatch made meanwhile")
                #expect(await receiver.received.count == 4)
                deliveries = try await Self.deliveries(api, hookID, token: admin)
                #expect(deliveries.count == 3)
                #expect(deliveries.allSatisfy { Self.date($0["deliveredAt"]) != nil }, "\(deliveries)")
            }
        }
    }

    /// The server built by `buildApplication` sends deliveries by itself, without being asked.
    @Test func theServerSendsDeliveriesByItself() async throws {
        try await Receiver.serve { receiver, url in
            try await TestApp.run { api, city in
                let admin = try await api.signIn("admin")
                let made = try await api.send(.post, "/api/v1/webhooks", token: admin, body: ["url": url, "secret": Self.secret, "events": ["*"]])
                let hookID = try #require(made.id)
                _ = try await Self.dispatchedCase(api, at: city.gridPoints[0].point, village: try await api.signIn("village1"))
                #expect(await Self.eventually { await receiver.received.count == 1 }, "nothing arrived within 5 s")
                #expect(await receiver.received.first?.headers["x-onegrid-event"] == "dispatch")
                #expect(await Self.eventually {
                    (try? await Self.deliveries(api, hookID, token: admin).first?["attempts"] as? NSNumber)?.intValue == 1
                }, "the failed attempt is recorded")
            }
        }
    }

    @Test func onlyAnAdministratorManagesWebhooksAndBadInputNamesItsField() async throws {
        try await TestApp.run { api, _ in
            let village = try await api.signIn("village1")
            let valid: [String: Any] = ["url": "https://hooks.example/onegrid", "secret": Self.secret, "events": ["*"]]
            #expect(try await api.send(.post, "/api/v1/webhooks", token: village, body: valid).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/webhooks", token: village).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/webhooks/1/deliveries", token: village).status == .forbidden)

            let admin = try await api.signIn("admin")
            let refusals: [(body: [String: Any], field: String)] = [
                (valid.merging(["url": "ftp://hooks.example/onegrid"]) { _, new in new }, "url"),
                (valid.merging(["url": "hooks.example/onegrid"]) { _, new in new }, "url"),
                (valid.merging(["secret": "short"]) { _, new in new }, "secret"),
                (valid.merging(["events": ["accept"]]) { _, new in new }, "events"),
                (valid.filter { $0.key != "events" }, "events"),
            ]
            for refusal in refusals {
                let reply = try await api.send(.post, "/api/v1/webhooks", token: admin, body: refusal.body)
                #expect(reply.status == .unprocessableContent && reply.errorField == refusal.field, "\(refusal.body): \(reply.json)")
            }
            #expect((try await api.send(.get, "/api/v1/webhooks", token: admin)["webhooks"] as? [Any])?.isEmpty == true)
            let unknown = try await api.send(.get, "/api/v1/webhooks/999/deliveries", token: admin)
            #expect(unknown.status == .notFound && unknown.errorField == "id")
        }
    }

    // MARK: Helpers

    /// The server as `onegrid serve` builds it, but sending no webhooks by itself, and beside it a
    /// delivery service of the test's own over the same database file, driven by hand. The test
    /// is given a point in the first grid, where `gridworker1` reports.
    static func run(_ test: @escaping @Sendable (API, GeoPoint, WebhookDeliveryService) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-webhooks-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let seed = try await OneGridDatabase.open(path)
        _ = try await DemoCity.build(into: seed, size: .tiny, cases: 0)
        let directory = try await SQLHierarchyStore(database: seed).loadDirectory()
        try await seed.shutdown()
        let firstGrid = try #require(directory.areas.values.filter { $0.level == .grid }.min { $0.code < $1.code })
        let point = TestApp.pointInside(firstGrid.id, directory)

        let app = try await buildApplication(AppConfig(database: path, logLevel: .warning, webhookInterval: nil))
        let database = try await OneGridDatabase.open(path)
        var logger = Logger(label: "webhooks")
        logger.logLevel = .error
        let delivery = WebhookDeliveryService(store: SQLWebhookStore(database: database), clock: ServerClock(), pollInterval: nil, logger: logger)
        do {
            try await app.test(.router) { client in try await test(API(client: client), point, delivery) }
        } catch {
            try? await database.shutdown()
            throw error
        }
        try await database.shutdown()
    }

    /// Reports a street light at `point` and has the village centre accept it and dispatch it to
    /// the suggested department.
    static func dispatchedCase(_ api: API, at point: GeoPoint, village: String) async throws -> Int64 {
        let worker = try await api.signIn("gridworker1")
        let reported = try await api.report(token: worker, at: point)
        let id = try #require(reported.id, "\(reported.json)")
        let department = try #require(((reported["suggestedDepartment"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        #expect(try await api.act("accept", on: id, token: village).status == .ok)
        let dispatched = try await api.act("dispatch", on: id, token: village, ["departmentID": department])
        #expect(dispatched.status == .ok && dispatched.status_ == "assigned", "\(dispatched.json)")
        return id
    }

    static func deliveries(_ api: API, _ hookID: Int64, token: String) async throws -> [[String: Any]] {
        let reply = try await api.send(.get, "/api/v1/webhooks/\(hookID)/deliveries", token: token)
        #expect(reply.status == .ok, "\(reply.json)")
        return reply["deliveries"] as? [[String: Any]] ?? []
    }

    /// The signature a receiver computes: hex HMAC-SHA256 of the body, keyed by the shared secret.
    static func hmac(_ body: Data) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap { try? Date($0, strategy: .iso8601) }
    }

    /// Polls for up to 5 s.
    static func eventually(_ condition: @Sendable () async -> Bool) async -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }
}

/// A webhook receiver on 127.0.0.1: records every request, answers the first with 500 and the
/// rest with 200, and can be told to sit on requests until released.
actor Receiver {
    struct Received: Sendable {
        /// Lower-case names.
        var headers: [String: String]
        var body: Data
    }

    private(set) var received: [Received] = []
    private(set) var isHolding = false
    private var held: [CheckedContinuation<Void, Never>] = []

    func hold() { isHolding = true }

    func release() {
        isHolding = false
        for request in held { request.resume() }
        held.removeAll()
    }

    /// Records a request; returns the status to answer once any hold is released.
    fileprivate func receive(_ request: Received) async -> HTTPResponse.Status {
        received.append(request)
        let status: HTTPResponse.Status = received.count == 1 ? .internalServerError : .ok
        if isHolding { await withCheckedContinuation { held.append($0) } }
        return status
    }

    static func serve(_ body: @Sendable (Receiver, _ url: String) async throws -> Void) async throws {
        let receiver = Receiver()
        let router = Router()
        router.post("hook") { request, context -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: context.maxUploadSize)
            let headers = Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }) { first, _ in first }
            return Response(status: await receiver.receive(Received(headers: headers, body: Data(bytes.readableBytesView))))
        }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "receiver")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next()
        try await body(receiver, "http://127.0.0.1:\(try #require(port))/hook")
    }
}
