/// The registered webhooks, with the form that registers one.
struct AdminWebhooksPage {
    struct Row {
        var href: String
        var url: String
        var events: String
        var createdAt: String
    }

    var action = SiteURL.adminWebhooks.path
    var rows: [Row]
    var url: AdminField
    var secret: AdminField
    /// "All events", then each kind a webhook may receive.
    var events: [AdminOption]
    var eventsError: String?
    var message: String?
}

/// One webhook and how its recent deliveries went.
struct AdminWebhookPage {
    struct Delivery {
        var createdAt: String
        var kind: String
        var caseID: String
        var attempts: Int
        var state: String
        var failed: Bool
        var lastError: String
    }

    var webhooksURL = SiteURL.adminWebhooks.path
    var url: String
    var events: String
    var deliveries: [Delivery]
    var message: String?
}
