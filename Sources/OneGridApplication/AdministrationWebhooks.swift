import Foundation
import Logging
public import OneGridStore

/// The administrator's work on outgoing webhooks: registering a receiver and reading how its
/// deliveries went. The store checks the address, the secret and the events, naming the field.
public struct AdministrationWebhooks: Sendable {
    let services: OneGridServices

    /// Deliveries shown per webhook: the recent ones someone debugging a receiver looks at.
    public static let deliveryLimit = 100

    public func register(url: String, secret: String, events: [String], by principal: Principal) async throws -> Webhook {
        let url = url.trimmingCharacters(in: .whitespaces)
        // The secret stays out of the log: it signs every delivery.
        let webhook = try await services.recording("webhook.register", subject: "webhook \(url)", ["events": events.joined(separator: ",")], by: principal) {
            try await services.webhooks.register(url: url, secret: secret, events: events, at: services.clock.now)
        }
        services.logger.notice("webhook registered", metadata: ["user": "\(principal.user.username)", "webhook": "\(webhook.id)"])
        return webhook
    }

    /// A webhook and its recent deliveries, newest first; nil when there is no such webhook.
    public func deliveries(webhookID: Int64) async throws -> (Webhook, [WebhookDelivery])? {
        guard let webhook = try await services.webhooks.webhook(id: webhookID) else { return nil }
        return (webhook, try await services.webhooks.deliveries(webhookID: webhookID, limit: Self.deliveryLimit))
    }
}
