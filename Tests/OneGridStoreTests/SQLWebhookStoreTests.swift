import Foundation
import OneGridDomain
import OneGridStore
import Testing

/// Outgoing webhooks: what is queued for whom, exclusive claims, and the retry bookkeeping.
@Suite struct SQLWebhookStoreTests {
    static let secret = "s3cret-s3cret-s3cret"

    /// A case reported and accepted in the tiny city: accepting sets off no delivery.
    static func acceptedCase(_ city: TinyCity) async throws -> Int64 {
        let id = try await city.report().id
        try await city.act(.accept, on: id, as: "village1")
        return id
    }

    @Test(arguments: TestDatabases.kinds)
    func eventsAreQueuedOnlyForTheWebhooksSubscribedToTheirKind(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let store = SQLWebhookStore(database: city.database)
            let dispatch = try await store.register(url: "https://a.example/hook", secret: Self.secret, events: ["dispatch"], at: TinyCity.now)
            let urge = try await store.register(url: "https://b.example/hook", secret: Self.secret, events: ["urge", "escalate"], at: TinyCity.now)
            let every = try await store.register(url: "http://c.example:8080/hook?x=1", secret: Self.secret, events: ["*"], at: TinyCity.now)
            // "dispatch" must match the whole name, not a part of "dualDispatch".
            let dual = try await store.register(url: "https://d.example/hook", secret: Self.secret, events: ["dualDispatch"], at: TinyCity.now)

            let id = try await Self.acceptedCase(city)
            #expect(try await city.count("webhook_deliveries") == 0, "accept is not an event webhooks receive")
            let dispatched = try await city.act(.dispatch, on: id, as: "village1", at: TinyCity.now.addingTimeInterval(60))
            try await city.act(.urge, on: id, as: "village1", at: TinyCity.now.addingTimeInterval(120))

            #expect(try await store.deliveries(webhookID: dispatch.id, limit: 10).map(\.kind) == [.dispatch])
            #expect(try await store.deliveries(webhookID: urge.id, limit: 10).map(\.kind) == [.urge])
            #expect(try await store.deliveries(webhookID: every.id, limit: 10).map(\.kind) == [.urge, .dispatch], "newest first")
            #expect(try await store.deliveries(webhookID: dual.id, limit: 10).isEmpty)

            let delivery = try #require(try await store.deliveries(webhookID: dispatch.id, limit: 10).first)
            #expect(delivery.attempts == 0)
            #expect(delivery.nextAttemptAt == TinyCity.now.addingTimeInterval(60), "due at once")
            #expect(delivery.deliveredAt == nil && delivery.lastError == nil)
            let payload = try WebhookPayload.decoder.decode(WebhookPayload.self, from: Data(delivery.payload.utf8))
            let event = try #require(try await city.cases.timeline(caseID: id).first { $0.event.action == .dispatch })
            #expect(payload.id == event.hash)
            #expect(payload.kind == .dispatch)
            #expect(payload.caseID == id)
            #expect(payload.sequence == event.event.sequence)
            #expect(payload.at == event.event.at)
            #expect(payload.status == .assigned)
            #expect(payload.handlingLevel == .village)
            #expect(payload.departmentID == dispatched.file.departmentID && payload.departmentID != nil)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func registrationValidatesAndListsWhatWasStored(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let store = SQLWebhookStore(database: city.database)
            let refusals: [(url: String, secret: String, events: [String], field: String)] = [
                ("ftp://files.example/hook", Self.secret, ["*"], "url"),
                ("not a url", Self.secret, ["*"], "url"),
                ("https://", Self.secret, ["*"], "url"),
                ("https://a.example/hook", "too-short", ["*"], "secret"),
                ("https://a.example/hook", Self.secret, [], "events"),
                ("https://a.example/hook", Self.secret, ["accept"], "events"),
                ("https://a.example/hook", Self.secret, ["*", "urge"], "events"),
            ]
            for refusal in refusals {
                let error = await #expect(throws: DomainError.self, "\(refusal)") {
                    try await store.register(url: refusal.url, secret: refusal.secret, events: refusal.events, at: TinyCity.now)
                }
                #expect(error?.code == .invalid && error?.field == refusal.field, "\(refusal): \(String(describing: error))")
            }
            #expect(try await store.list().isEmpty)

            let made = try await store.register(
                url: "https://a.example/hook", secret: Self.secret, events: ["urge", "dispatch", "urge"], at: TinyCity.now)
            #expect(made.events == .only([.dispatch, .urge]))
            #expect(made.events.names == ["dispatch", "urge"])
            let all = try await store.register(url: "http://b.example/", secret: Self.secret, events: ["*"], at: TinyCity.now)
            #expect(try await store.list() == [made, all])
            #expect(try await store.webhook(id: all.id)?.events == .all)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func twoClaimersAtOnceNeverGetTheSameDelivery(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let store = SQLWebhookStore(database: city.database)
            for number in 1...12 {
                _ = try await store.register(url: "https://\(number).example/hook", secret: Self.secret, events: ["*"], at: TinyCity.now)
            }
            try await city.act(.dispatch, on: try await Self.acceptedCase(city), as: "village1")
            let now = TinyCity.now

            // Each asks for all twelve: whatever one gets, the other must not. A race is not run
            // the same way twice, so it is run several times: each round starts when the last
            // round's leases have run out and all twelve are due again.
            for round in 0..<8 {
                let at = now.addingTimeInterval(Double(round) * 60)
                async let first = store.claimDue(now: at, limit: 12, lease: 60)
                async let second = SQLWebhookStore(database: city.database).claimDue(now: at, limit: 12, lease: 60)
                let (a, b) = try await (first, second)
                let aIDs = Set(a.map(\.delivery.id))
                let bIDs = Set(b.map(\.delivery.id))
                #expect(aIDs.isDisjoint(with: bIDs), "round \(round): claimed twice: \(aIDs.intersection(bIDs))")
                #expect(a.count + b.count == 12 && aIDs.union(bIDs).count == 12, "round \(round)")
                let claimed = a + b
                #expect(Set(claimed.map(\.url)).count == 12, "each claim carries its own webhook's URL")
                #expect(claimed.allSatisfy { $0.secret == Self.secret })
            }

            // Claimed means leased: nobody sees them until the lease runs out, then they are due
            // again, so a sender that died mid-send loses nothing.
            let last = now.addingTimeInterval(7 * 60)
            #expect(try await store.claimDue(now: last.addingTimeInterval(59), limit: 12, lease: 60).isEmpty)
            #expect(try await store.claimDue(now: last.addingTimeInterval(60), limit: 12, lease: 60).count == 12)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func failuresWaitTheirBackOffAndDeliveryOrGivingUpEndsRetries(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let store = SQLWebhookStore(database: city.database)
            let retried = try await store.register(url: "https://a.example/hook", secret: Self.secret, events: ["dispatch"], at: TinyCity.now)
            let abandoned = try await store.register(url: "https://b.example/hook", secret: Self.secret, events: ["dispatch"], at: TinyCity.now)
            try await city.act(.dispatch, on: try await Self.acceptedCase(city), as: "village1")
            let t0 = TinyCity.now

            let claimed = try await store.claimDue(now: t0, limit: 10, lease: 60)
            #expect(claimed.count == 2)
            let first = try #require(claimed.first { $0.delivery.webhookID == retried.id }).delivery
            let other = try #require(claimed.first { $0.delivery.webhookID == abandoned.id }).delivery
            try await store.markFailed(id: first.id, error: "HTTP 500 Internal Server Error", attempts: 1, nextAttemptAt: t0.addingTimeInterval(10))
            try await store.markFailed(id: other.id, error: "HTTP 410 Gone", attempts: 8, nextAttemptAt: nil)

            var stored = try #require(try await store.deliveries(webhookID: retried.id, limit: 1).first)
            #expect(stored.attempts == 1)
            #expect(stored.lastError == "HTTP 500 Internal Server Error")
            #expect(stored.nextAttemptAt == t0.addingTimeInterval(10))
            #expect(stored.deliveredAt == nil)

            #expect(try await store.claimDue(now: t0.addingTimeInterval(9), limit: 10, lease: 60).isEmpty, "not before its back-off")
            let again = try await store.claimDue(now: t0.addingTimeInterval(10), limit: 10, lease: 60)
            #expect(again.map(\.delivery.id) == [first.id], "the one given up on is not tried again")
            #expect(again.first?.delivery.attempts == 1)

            try await store.markDelivered(id: first.id, at: t0.addingTimeInterval(11))
            stored = try #require(try await store.deliveries(webhookID: retried.id, limit: 1).first)
            #expect(stored.attempts == 2, "the successful attempt counts")
            #expect(stored.deliveredAt == t0.addingTimeInterval(11))
            #expect(stored.nextAttemptAt == nil)
            // A late failure report (a sender whose lease ran out) does not undo the delivery.
            try await store.markFailed(id: first.id, error: "timeout", attempts: 3, nextAttemptAt: t0.addingTimeInterval(20))
            #expect(try await store.deliveries(webhookID: retried.id, limit: 1).first == stored)

            let gaveUp = try #require(try await store.deliveries(webhookID: abandoned.id, limit: 1).first)
            #expect(gaveUp.attempts == 8 && gaveUp.lastError == "HTTP 410 Gone")
            #expect(gaveUp.nextAttemptAt == nil && gaveUp.deliveredAt == nil)
            #expect(try await store.claimDue(now: t0.addingTimeInterval(86_400), limit: 10, lease: 60).isEmpty)
        }
    }
}
