import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Outgoing webhooks, for administrators: register a receiver, list them, and see how one's
/// deliveries went. Secrets go in and never come out.
struct WebhookController {
    let services: OneGridServices

    /// Deliveries shown per webhook: the recent ones, which is what someone debugging a receiver
    /// looks at.
    static let deliveryLimit = 100

    func register(on api: APIRouter) {
        api.on(.webhookCreate, use: create)
        api.on(.webhooks, use: list)
        api.on(.webhookDeliveries, use: deliveries)
    }

    struct CreateRequest: Decodable {
        var url: String
        var secret: String
        var events: [String]
    }

    /// A webhook as the API shows it: everything but the secret.
    struct WebhookJSON: ResponseEncodable {
        var id: Int64
        var url: String
        var events: [String]
        var createdAt: Date

        init(_ webhook: Webhook) {
            id = webhook.id
            url = webhook.url
            events = webhook.events.names
            createdAt = webhook.createdAt
        }
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> EditedResponse<WebhookJSON> {
        var request = request
        let body = try await request.decodeJSON(CreateRequest.self, context: context)
        let webhook = try await services.administrationWebhooks.register(
            url: body.url, secret: body.secret, events: body.events, by: context.principal)
        return EditedResponse(status: .created, response: WebhookJSON(webhook))
    }

    struct WebhookList: ResponseEncodable {
        var webhooks: [WebhookJSON]
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> WebhookList {
        return WebhookList(webhooks: try await services.webhooks.list().map(WebhookJSON.init))
    }

    struct DeliveryJSON: Encodable {
        var id: Int64
        var kind: CaseAction
        var payload: WebhookPayload
        var attempts: Int
        var nextAttemptAt: Date?
        var deliveredAt: Date?
        var lastError: String?
        var createdAt: Date
    }

    struct DeliveryList: ResponseEncodable {
        var webhookID: Int64
        var deliveries: [DeliveryJSON]
    }

    /// The webhook's recent deliveries, newest first: a pending one has a `nextAttemptAt`, a
    /// delivered one a `deliveredAt`, one given up neither.
    @Sendable func deliveries(_ request: Request, context: SignedInContext) async throws -> DeliveryList {
        let id = try context.pathID("webhook")
        guard try await services.webhooks.webhook(id: id) != nil else {
            throw APIError(.notFound, code: .notFound, "webhook \(id) not found", field: "id")
        }
        let deliveries = try await services.webhooks.deliveries(webhookID: id, limit: Self.deliveryLimit).map { delivery in
            DeliveryJSON(
                id: delivery.id, kind: delivery.kind,
                payload: try WebhookPayload.decoder.decode(WebhookPayload.self, from: Data(delivery.payload.utf8)),
                attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt, deliveredAt: delivery.deliveredAt,
                lastError: delivery.lastError, createdAt: delivery.createdAt)
        }
        return DeliveryList(webhookID: id, deliveries: deliveries)
    }

}
