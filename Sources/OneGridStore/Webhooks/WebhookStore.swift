public import Foundation
public import OneGridDomain
import SQLKit

/// Which event kinds a webhook receives.
public enum WebhookEvents: Sendable, Hashable {
    /// Every kind that sets off deliveries, including kinds added later ("*").
    case all
    case only(Set<CaseAction>)

    /// The kinds a webhook may subscribe to: the steps people are told of.
    public static let kinds: [CaseAction] = CaseAction.allCases.filter { NoticeKind($0) != nil }

    /// As the API and the `events` column write them: `["*"]`, or the kinds' names sorted.
    public var names: [String] {
        switch self {
        case .all: ["*"]
        case .only(let kinds): kinds.map(\.rawValue).sorted()
        }
    }

    /// Reads `["*"]` or a list of subscribable kinds; anything else is refused naming `events`.
    public init(names: [String]) throws {
        if names == ["*"] {
            self = .all
            return
        }
        let allowed = Self.kinds.map(\.rawValue).joined(separator: ", ")
        guard !names.isEmpty else {
            throw DomainError.invalid(field: "events", "events must list at least one of \(allowed), or be [\"*\"]")
        }
        var kinds: Set<CaseAction> = []
        for name in names {
            guard let kind = CaseAction(rawValue: name), Self.kinds.contains(kind) else {
                throw DomainError.invalid(field: "events", "'\(name)' is not an event a webhook can receive: use \(allowed), or [\"*\"] alone")
            }
            kinds.insert(kind)
        }
        self = .only(kinds)
    }
}

/// A receiver of outgoing webhooks. The secret signs every delivery; the API never shows it.
public struct Webhook: Sendable, Hashable {
    public var id: Int64
    public var url: String
    public var secret: String
    public var events: WebhookEvents
    public var createdAt: Date
}

/// One event on its way to one webhook.
public struct WebhookDelivery: Sendable, Hashable {
    public var id: Int64
    public var webhookID: Int64
    public var kind: CaseAction
    /// The JSON body, exactly the bytes sent and signed (see `WebhookPayload`).
    public var payload: String
    /// Attempts made so far, the successful one included.
    public var attempts: Int
    /// When the next attempt is due; nil once delivered or given up.
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?
    public var lastError: String?
    public var createdAt: Date
}

/// A delivery claimed for sending, with where to send it and the key to sign it with.
public struct ClaimedDelivery: Sendable, Hashable {
    public var delivery: WebhookDelivery
    public var url: String
    public var secret: String
}

/// The body of a delivery: the timeline event and where it left the case.
public struct WebhookPayload: Codable, Sendable, Hashable {
    /// The event's hash: the same event delivered twice carries the same id, so a receiver can
    /// drop repeats (delivery is at least once).
    public var id: String
    public var kind: CaseAction
    public var caseID: Int64
    public var sequence: Int
    public var at: Date
    public var status: CaseStatus
    public var handlingLevel: AdminLevel
    public var departmentID: Int64?
    public var note: String?

    /// Sorted keys and ISO 8601 times, as the API writes JSON.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Outgoing webhooks and their delivery queue. Deliveries are enqueued by the outbox inside the
/// transaction of the event they announce (`SQLWebhookStore.enqueue`), and sent later by a
/// background loop that claims them, so no request ever waits for a receiver.
public protocol WebhookStore: Sendable {
    /// Validates and saves a webhook: an http(s) URL, a secret of at least 16 characters, and
    /// subscribable event kinds or `["*"]`.
    func register(url: String, secret: String, events: [String], at now: Date) async throws -> Webhook
    /// Oldest first.
    func list() async throws -> [Webhook]
    func webhook(id: Int64) async throws -> Webhook?
    /// One webhook's deliveries, newest first.
    func deliveries(webhookID: Int64, limit: Int) async throws -> [WebhookDelivery]
    /// Takes up to `limit` due deliveries for this caller alone: their next attempt moves `lease`
    /// later, so no other claimer sees them until the lease runs out (a sender that died then
    /// leaves them to be retried).
    func claimDue(now: Date, limit: Int, lease: TimeInterval) async throws -> [ClaimedDelivery]
    /// Counts the successful attempt and stops further ones.
    func markDelivered(id: Int64, at now: Date) async throws
    /// Records a failed attempt; a nil `nextAttemptAt` gives up on the delivery.
    func markFailed(id: Int64, error: String, attempts: Int, nextAttemptAt: Date?) async throws
    /// Deliveries still to be sent (due or waiting to be tried again), for the operators' metrics.
    func backlog() async throws -> Int
}

public struct SQLWebhookStore: WebhookStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// Long enough for a URL with a signed query; a longer one is not a webhook endpoint.
    static let maxURLLength = 2048
    static let minSecretLength = 16

    struct WebhookRow: Codable {
        var id: Int64
        var url: String
        var secret: String
        var events: String
        var createdAt: Int64

        func webhook() throws -> Webhook {
            Webhook(
                id: id, url: url, secret: secret,
                events: events == "*" ? .all : .only(Set(try events.split(separator: ",").map { try stored(CaseAction.self, String($0)) })),
                createdAt: Date(millisecondsSince1970: createdAt))
        }
    }

    struct DeliveryRow: Codable {
        var id: Int64
        var webhookId: Int64
        var kind: String
        var payload: String
        var attempts: Int
        var nextAttemptAt: Int64?
        var deliveredAt: Int64?
        var lastError: String?
        var createdAt: Int64

        func delivery() throws -> WebhookDelivery {
            WebhookDelivery(
                id: id, webhookID: webhookId, kind: try stored(CaseAction.self, kind), payload: payload, attempts: attempts,
                nextAttemptAt: nextAttemptAt.map(Date.init(millisecondsSince1970:)),
                deliveredAt: deliveredAt.map(Date.init(millisecondsSince1970:)), lastError: lastError,
                createdAt: Date(millisecondsSince1970: createdAt))
        }
    }

    // MARK: Webhooks

    public func register(url: String, secret: String, events: [String], at now: Date) async throws -> Webhook {
        guard url.count <= Self.maxURLLength, let parsed = URL(string: url),
            let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parsed.host, !host.isEmpty
        else {
            throw DomainError.invalid(field: "url", "url must be an absolute http or https URL of at most \(Self.maxURLLength) characters")
        }
        guard secret.count >= Self.minSecretLength else {
            throw DomainError.invalid(field: "secret", "secret must be at least \(Self.minSecretLength) characters: it is the HMAC key")
        }
        let subscribed = try WebhookEvents(names: events)
        let stored = subscribed.names.joined(separator: ",")
        let id = try await database.transaction { db in
            try await db.insert(into: "webhooks").columns("url", "secret", "events", "created_at")
                .values(SQLBind(url), SQLBind(secret), SQLBind(stored), SQLBind(now.millisecondsSince1970))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
        }
        guard let id else { throw StoreError.corrupt("inserting a webhook returned no id") }
        return Webhook(id: id, url: url, secret: secret, events: subscribed, createdAt: Date(millisecondsSince1970: now.millisecondsSince1970))
    }

    public func list() async throws -> [Webhook] {
        try await database.reader.select().columns("*").from("webhooks").orderBy("id")
            .all(decoding: WebhookRow.self, with: .snake).map { try $0.webhook() }
    }

    public func webhook(id: Int64) async throws -> Webhook? {
        try await database.reader.select().columns("*").from("webhooks").where("id", .equal, id)
            .first(decoding: WebhookRow.self, with: .snake)?.webhook()
    }

    // MARK: The queue

    /// Queues the event for every webhook subscribed to its kind, in one statement on the
    /// caller's transaction: the deliveries exist exactly when the event does.
    static func enqueue(_ event: StoredEvent, file: CaseFile, on db: any SQLDatabase) async throws {
        let timeline = event.event
        let payload = WebhookPayload(
            id: event.hash, kind: timeline.action, caseID: timeline.caseID, sequence: timeline.sequence, at: timeline.at,
            status: timeline.toStatus, handlingLevel: file.handlingLevel, departmentID: file.departmentID, note: timeline.note)
        // Encoding strings, integers and a date cannot fail.
        let body = String(decoding: try! WebhookPayload.encoder.encode(payload), as: UTF8.self)
        let kind = timeline.action.rawValue
        let now = timeline.atMillis
        // Commas on both sides make "dispatch" match only the whole name, not "dualDispatch".
        let subscribed = SQLQueryString("(events = '*' OR ',' || events || ',' LIKE \(bind: "%," + kind + ",%"))")
        try await db.insert(into: "webhook_deliveries")
            .columns("webhook_id", "kind", "payload", "attempts", "next_attempt_at", "created_at")
            .select { select in
                select.column(SQLIdentifier("id"))
                    .column(SQLBind(kind)).column(SQLBind(body)).column(SQLLiteral.numeric("0"))
                    .column(SQLBind(now)).column(SQLBind(now))
                    .from("webhooks").where(subscribed)
            }
            .run()
    }

    public func deliveries(webhookID: Int64, limit: Int) async throws -> [WebhookDelivery] {
        try await database.reader.select().columns("*").from("webhook_deliveries").where("webhook_id", .equal, webhookID)
            .orderBy("id", .descending).limit(limit).all(decoding: DeliveryRow.self, with: .snake).map { try $0.delivery() }
    }

    public func claimDue(now: Date, limit: Int, lease: TimeInterval) async throws -> [ClaimedDelivery] {
        let nowMillis = now.millisecondsSince1970
        let until = now.addingTimeInterval(lease).millisecondsSince1970
        // Most polls find nothing due: asking a reader first keeps them from taking the writer
        // (SQLite has one) every second for nothing.
        let anyDue = try await database.reader.select().column("id").from("webhook_deliveries")
            .where("next_attempt_at", .lessThanOrEqual, nowMillis).where("delivered_at", .is, SQLLiteral.null)
            .limit(1).first()
        guard anyDue != nil else { return [] }
        return try await database.transaction { db in
            let due = db.select().column("id").from("webhook_deliveries")
                .where("next_attempt_at", .lessThanOrEqual, nowMillis).where("delivered_at", .is, SQLLiteral.null)
                .orderBy("next_attempt_at").limit(limit)
            // The due condition is repeated on the UPDATE itself: a second claimer that picked
            // the same rows waits for the first one's row locks (PostgreSQL), then finds the rows
            // no longer due and skips them. SQLite runs one writer at a time anyway.
            let claimed = try await db.update("webhook_deliveries").set("next_attempt_at", to: until)
                .where(SQLIdentifier("id"), .in, SQLGroupExpression(due.select))
                .where("next_attempt_at", .lessThanOrEqual, nowMillis).where("delivered_at", .is, SQLLiteral.null)
                .returning("*").all(decoding: DeliveryRow.self, with: .snake)
            guard !claimed.isEmpty else { return [] }
            let webhooks = try await db.select().columns("*").from("webhooks")
                .where("id", .in, Array(Set(claimed.map(\.webhookId))))
                .all(decoding: WebhookRow.self, with: .snake)
            let byID = Dictionary(uniqueKeysWithValues: webhooks.map { ($0.id, $0) })
            return try claimed.sorted { $0.id < $1.id }.map { row in
                guard let webhook = byID[row.webhookId] else {
                    throw StoreError.corrupt("delivery \(row.id) names webhook \(row.webhookId), which does not exist")
                }
                return ClaimedDelivery(delivery: try row.delivery(), url: webhook.url, secret: webhook.secret)
            }
        }
    }

    public func markDelivered(id: Int64, at now: Date) async throws {
        try await database.transaction { db in
            try await db.update("webhook_deliveries")
                .set("delivered_at", to: now.millisecondsSince1970)
                .set("attempts", to: SQLBinaryExpression(SQLIdentifier("attempts"), .add, SQLLiteral.numeric("1")))
                .set("next_attempt_at", to: SQLLiteral.null)
                .where("id", .equal, id).where("delivered_at", .is, SQLLiteral.null)
                .run()
        }
    }

    public func backlog() async throws -> Int {
        // A delivery sent or given up has no next attempt: the index on it counts only the rest.
        try await database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("webhook_deliveries")
            .where("next_attempt_at", .isNot, SQLLiteral.null).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    public func markFailed(id: Int64, error: String, attempts: Int, nextAttemptAt: Date?) async throws {
        try await database.transaction { db in
            try await db.update("webhook_deliveries")
                .set("attempts", to: attempts)
                .set("last_error", to: error)
                .set("next_attempt_at", to: SQLBind(nextAttemptAt?.millisecondsSince1970))
                .where("id", .equal, id).where("delivered_at", .is, SQLLiteral.null)
                .run()
        }
    }
}
