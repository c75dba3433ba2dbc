public import AsyncHTTPClient
public import OneGridApplication
import Crypto
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import OneGridDomain
public import OneGridStore
public import ServiceLifecycle

/// Sends the queued webhook deliveries: claims the due ones, POSTs each signed payload, and
/// records the outcome, retrying failures with exponential back-off. It runs beside the server,
/// never inside a request: the outbox queued each delivery in its event's transaction, so the
/// request that caused it has long been answered, and a receiver that is down or slow delays
/// nothing but its own deliveries. Several servers may run it on one database: claims are
/// exclusive (see `WebhookStore.claimDue`).
public struct WebhookDeliveryService: Service {
    let store: any WebhookStore
    let clock: ServerClock
    let client: HTTPClient
    /// Nil: this process sends nothing by itself; `deliverDue` is called by hand (tests).
    let pollInterval: Duration?
    let logger: Logger

    /// Deliveries sent at once per round. They are sent concurrently, so one round lasts about one
    /// timeout at worst, well inside the lease.
    static let batchSize = 32
    static let timeout: TimeAmount = .seconds(10)
    /// How long a claim keeps other senders off a delivery: longer than a round can take, short
    /// enough that a sender that died mid-round delays its deliveries only a little.
    static let lease: TimeInterval = 60
    /// Receivers answer with at most this much; more is cut off unread.
    static let maxResponseBytes = 64 * 1024

    public init(
        store: any WebhookStore, clock: ServerClock, client: HTTPClient = .shared, pollInterval: Duration? = .seconds(1),
        logger: Logger
    ) {
        self.store = store
        self.clock = clock
        self.client = client
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        guard let pollInterval else {
            // Stays up with the others: a service that returns early stops the whole server.
            try? await gracefulShutdown()
            return
        }
        // A graceful shutdown cuts the wait short rather than a round in progress, so no delivery
        // is abandoned half sent and stopping never waits out a poll interval.
        await BackgroundLoop(interval: pollInterval, failure: "claiming webhook deliveries failed", logger: logger).run {
            try await deliverDue(now: clock.now)
        }
    }

    /// One round: sends every delivery due at `now` (up to a batch) and records the outcomes.
    /// - Returns: how many deliveries were attempted.
    /// - Throws: when the due deliveries cannot be claimed (the database is down); an outcome
    ///   that cannot be recorded is logged, and the delivery is tried again when its lease ends.
    @discardableResult
    public func deliverDue(now: Date) async throws -> Int {
        let claimed = try await store.claimDue(now: now, limit: Self.batchSize, lease: Self.lease)
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed {
                group.addTask { await deliver(delivery, now: now) }
            }
        }
        return claimed.count
    }

    private func deliver(_ claimed: ClaimedDelivery, now: Date) async {
        let delivery = claimed.delivery
        let failure = await send(claimed)
        do {
            if let failure {
                let attempts = delivery.attempts + 1
                let retryAt = Self.retryDelay(afterAttempt: attempts).map { now.addingTimeInterval($0) }
                try await store.markFailed(id: delivery.id, error: failure, attempts: attempts, nextAttemptAt: retryAt)
                logger.warning(
                    retryAt == nil ? "webhook delivery given up" : "webhook delivery failed; will retry",
                    metadata: ["delivery": "\(delivery.id)", "attempts": "\(attempts)", "error": "\(failure)"])
            } else {
                try await store.markDelivered(id: delivery.id, at: now)
            }
        } catch {
            // The claim's lease runs out and the delivery is tried again: at least once, never lost.
            logger.error("recording a webhook delivery failed", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
    }

    /// POSTs one delivery. - Returns: nil on a 2xx answer, else what went wrong.
    private func send(_ claimed: ClaimedDelivery) async -> String? {
        let body = Array(claimed.delivery.payload.utf8)
        var request = HTTPClientRequest(url: claimed.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-OneGrid-Event", value: claimed.delivery.kind.rawValue)
        request.headers.add(name: "X-OneGrid-Delivery", value: String(claimed.delivery.id))
        request.headers.add(name: "X-OneGrid-Signature", value: Self.signature(body: body, secret: claimed.secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: Self.timeout, logger: logger)
            // Read what the receiver said, so the connection can serve the next delivery.
            _ = try? await response.body.collect(upTo: Self.maxResponseBytes)
            guard (200..<300).contains(response.status.code) else {
                return "HTTP \(response.status.code) \(response.status.reasonPhrase)"
            }
            return nil
        } catch {
            return String(String(describing: error).prefix(500))
        }
    }

    /// `sha256=` and the hex HMAC-SHA256 of the exact body bytes, keyed by the webhook's secret: a
    /// receiver recomputes it to know the delivery came from here, unaltered.
    static func signature(body: some Sequence<UInt8>, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(body), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.hexEncoded
    }

    /// The wait after the `attempt`-th failed attempt, as every outgoing delivery waits.
    static func retryDelay(afterAttempt attempt: Int) -> TimeInterval? {
        DeliveryBackoff.retryDelay(afterAttempt: attempt)
    }
}
