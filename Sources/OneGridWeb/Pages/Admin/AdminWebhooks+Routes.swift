import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The administrator's pages of outgoing webhooks: the list, registering one, and one's recent
/// deliveries. Secrets go in and are never shown.
struct AdminWebhookPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.adminWebhooks, use: showWebhooks)
        pages.on(.adminWebhooks, method: .post, use: createWebhook)
        pages.on(.adminWebhook(.key), use: showWebhook)
    }

    @Sendable func showWebhooks(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await webhooksPage(request, context: context, form: nil, refused: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func createWebhook(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            let webhook = try await site.services.administrationWebhooks.register(
                url: form["url"] ?? "", secret: form["secret"] ?? "", events: form.all("events"), by: context.principal)
            let t = site.renderer.translation(context.page.language)
            return site.redirect(to: .adminWebhook(.value(webhook.id)), context: context, message: t.text("admin.webhooks.created"))
        } catch let error as DomainError where error.code == .invalid {
            return try await webhooksPage(request, context: context, form: form, refused: error, message: nil)
        }
    }

    @Sendable func showWebhook(_ request: Request, context: SignedInPageContext) async throws -> Response {
        guard let (webhook, deliveries) = try await site.services.administrationWebhooks.deliveries(webhookID: try context.pathID()) else {
            throw PageError.notFound
        }
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let page = AdminWebhookPage(
            url: webhook.url, events: eventNames(webhook.events, t),
            deliveries: deliveries.map { delivery in
                let state =
                    if let delivered = delivery.deliveredAt {
                        t.text("admin.webhooks.delivered", ["at": formats.dateTime(delivered)])
                    } else if let next = delivery.nextAttemptAt {
                        t.text("admin.webhooks.pending", ["at": formats.dateTime(next)])
                    } else {
                        t.text("admin.webhooks.givenUp")
                    }
                let payload = try? WebhookPayload.decoder.decode(WebhookPayload.self, from: Data(delivery.payload.utf8))
                return AdminWebhookPage.Delivery(
                    createdAt: formats.dateTime(delivery.createdAt), kind: t.text("action.\(delivery.kind.rawValue)"),
                    caseID: payload.map { String($0.caseID) } ?? "", attempts: delivery.attempts, state: state,
                    failed: delivery.deliveredAt == nil && delivery.nextAttemptAt == nil, lastError: delivery.lastError ?? "")
            },
            message: site.changeNotice(request, context: context)?.message)
        let layout = Layout(title: webhook.url, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-webhook", page, layout: layout)
    }

    private func webhooksPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refused: DomainError?, message: String?
    ) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let chosen = Set(form?.all("events") ?? ["*"])
        func error(_ field: String) -> String? { refused?.field == field ? t.text("admin.webhooks.refusal.\(field)") : nil }
        let page = AdminWebhooksPage(
            rows: try await site.services.webhooks.list().map { webhook in
                AdminWebhooksPage.Row(
                    href: SiteURL.adminWebhook(.value(webhook.id)).path, url: webhook.url, events: eventNames(webhook.events, t),
                    createdAt: formats.dateTime(webhook.createdAt))
            },
            url: AdminField(value: form?["url"] ?? "", error: error("url")),
            secret: AdminField(value: "", error: error("secret")),
            events: [AdminOption(value: "*", label: t.text("admin.webhooks.allEvents"), selected: chosen.contains("*"))]
                + WebhookEvents.kinds.map { AdminOption(value: $0.rawValue, label: t.text("action.\($0.rawValue)"), selected: chosen.contains($0.rawValue)) },
            eventsError: error("events"), message: message)
        let layout = Layout(title: t.text("admin.webhooks.heading"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-webhooks", page, layout: layout, status: refused == nil ? .ok : .unprocessableContent)
    }

    private func eventNames(_ events: WebhookEvents, _ t: Translation) -> String {
        switch events {
        case .all: t.text("admin.webhooks.allEvents")
        case .only(let kinds): kinds.map { t.text("action.\($0.rawValue)") }.sorted().joined(separator: "、")
        }
    }
}
