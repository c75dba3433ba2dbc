public import Foundation
public import Logging
public import OneGridApplication

/// What `onegrid serve` is told on its command line.
public struct AppConfig: Sendable {
    /// An SQLite file path or a `postgres://` URL.
    public var database: String
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// How long a log-in session lasts.
    public var sessionLifetime: TimeInterval
    /// Shifts the server's clock, so a demo shows deadlines passing without waiting.
    public var clockOffset: TimeInterval
    /// Seconds between deadline sweeps.
    public var sweepInterval: Int
    /// Seconds between looks for due webhook deliveries and citizens' notices; nil sends none by
    /// itself (tests send them by hand, at times of their choosing).
    public var webhookInterval: Int?
    /// Demo users listed on the sign-in page; empty unless the server runs the demo city.
    public var demoAccounts: [DemoAccount]
    /// The folder attachments are kept in; nil keeps them beside the SQLite file
    /// (`onegrid.sqlite` → `onegrid-files/`), or in `onegrid-files/` here for PostgreSQL.
    public var attachments: String?
    /// The largest attachment accepted, in bytes.
    public var attachmentLimit: Int = AttachmentStore.defaultLimit
    /// Signed checkpoints of every hash chain's head: the key file (made on first use), the
    /// folder the checkpoints are written to and the seconds between them. Nil signs none (tests).
    public var checkpoints: (key: String, folder: String, interval: Int)?
    /// What one source may send to the citizen's portal.
    public var citizenLimits = CitizenPortal.Limits()
    /// An SMS or WeChat gateway told of citizens' notices: its URL and the secret it checks the
    /// signature with. Nil: citizens are told on their follow page and in their inbox only.
    public var citizenWebhook: (url: String, secret: String)?
    /// Caps on open connections and time limits on slow ones.
    public var connections = ConnectionLimits()
    /// Called once the server listens: what `onegrid serve` announces then is true.
    public var onServerRunning: @Sendable () async -> Void = {}

    /// Where attachments are kept.
    var attachmentStore: AttachmentStore {
        let folder = attachments.map { URL(fileURLWithPath: $0) }
            ?? (database.hasPrefix("postgres") ? URL(fileURLWithPath: "onegrid-files") : AttachmentStore.beside(database: database))
        return AttachmentStore(directory: folder, limit: attachmentLimit)
    }

    public init(
        database: String = "onegrid.sqlite", host: String = "127.0.0.1", port: Int = 8080,
        logLevel: Logger.Level = .info, sessionLifetime: TimeInterval = 12 * 3600, clockOffset: TimeInterval = 0,
        sweepInterval: Int = 30, webhookInterval: Int? = 1, demoAccounts: [DemoAccount] = []
    ) {
        self.demoAccounts = demoAccounts
        self.database = database
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.sessionLifetime = sessionLifetime
        self.clockOffset = clockOffset
        self.sweepInterval = sweepInterval
        self.webhookInterval = webhookInterval
    }
}
