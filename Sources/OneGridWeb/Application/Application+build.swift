public import Hummingbird
import HummingbirdAuth
import Logging
import OneGridApplication
import OneGridStore
import ServiceLifecycle

/// Builds the whole server from its configuration: opens and migrates the database, loads the
/// hierarchy, wires the routes. Tests build exactly this and drive it through its router.
public func buildApplication(_ config: AppConfig) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "onegrid")
    logger.logLevel = config.logLevel
    // The metrics backend first: whatever records (the database's readers, the middleware)
    // makes its counters from the backend it finds when it is made.
    _ = ServerMetrics.registry
    // Read before the database opens, so a broken bundle fails the start and leaves nothing open.
    let resources = try PageResources.bundled.get()
    let database = try await OneGridDatabase.open(config.database, logger: logger)
    let services: OneGridServices
    let checkpointWriter: CheckpointWriter?
    do {
        try await Migrator().migrate(database)
        services = try await OneGridServices(
            database: database, clock: ServerClock(offset: config.clockOffset), sessionLifetime: config.sessionLifetime,
            citizenLimits: config.citizenLimits, logger: logger)
        // Read (or made) before serving: a key that cannot be read stops the start, not a later round.
        checkpointWriter = try config.checkpoints.map { options in
            CheckpointWriter(
                checkpoints: try AuditCheckpoints(database: database, keyPath: options.key, folder: options.folder),
                interval: .seconds(options.interval), logger: logger)
        }
    } catch {
        // A start that fails closes what it opened, so the process can say why and end.
        try? await database.shutdown()
        throw error
    }
    let pages = PageRenderer(services: services, resources: resources, demoAccounts: config.demoAccounts)
    let citizenSenders = config.citizenWebhook.map { [CitizenWebhookSender(url: $0.url, secret: $0.secret)] } ?? []
    return Application(
        router: buildRouter(services, pages: pages, attachments: config.attachmentStore),
        server: .guardedHTTP1(ConnectionCounter(limits: config.connections)),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "OneGrid"),
        services: [
            DatabaseService(database: database),
            DeadlineSweeper(services: services, interval: .seconds(config.sweepInterval)),
            RiskWatcher(services: services, interval: .seconds(config.sweepInterval)),
            DeadlineSettingsReloader(services: services, interval: .seconds(60)),
            // A few seconds: an administrator checking a change on another server waits no longer.
            DirectoryReloader(services: services, interval: .seconds(3)),
            NotificationListener(news: "case changes", shared: database.isShared, logger: logger) {
                try await services.changes.listen(logger: $0)
            },
            CaseChangeAnnouncer(feed: services.changes, logger: logger),
            OperationsGauges(services: services),
            NotificationListener(news: "revoked tokens", shared: database.isShared, logger: logger) {
                try await services.authenticator.run(logger: $0)
            },
            WebhookDeliveryService(
                store: services.webhooks, clock: services.clock, pollInterval: config.webhookInterval.map { .seconds($0) }, logger: logger),
            CitizenNoticeService(
                notifier: CitizenNotifier(services: services, senders: citizenSenders), services: services,
                pollInterval: config.webhookInterval.map { .seconds($0) }, logger: logger),
        ] + (checkpointWriter.map { [$0] } ?? []),
        onServerRunning: { _ in await config.onServerRunning() },
        logger: logger)
}

/// One router, one group per audience, each with its own authentication, error format and
/// access rules:
/// - operations (`/health/live`, `/health/ready`, `/metrics`): no authentication, touches no
///   token store;
/// - the JSON API (`/api/v1`): bearer tokens, JSON errors, roles per route (`APIRoute.access`);
/// - pages (`/`): session cookie, form tokens, HTML error pages, roles per page (`SiteURL.access`);
/// - Open311 (`/open311/v2`): `api_key` parameters, GeoReport's XML or JSON errors, a key's
///   jurisdiction and rate (`Open311Controller`).
func buildRouter(_ services: OneGridServices, pages: PageRenderer, attachments: AttachmentStore) -> Router<OneGridRequestContext> {
    let router = Router(context: OneGridRequestContext.self)
    // Outermost, so it counts each request with the status it finally answered.
    router.add(middleware: MetricsMiddleware())
    // Each request's method and path under its id, at debug level (`--log-level debug`): never
    // its headers, which carry tokens and session cookies.
    router.add(middleware: LogRequestsMiddleware(.debug))
    // Then, so that an unknown path under /api/ is answered in JSON too, and any other
    // unknown path with the pages' 404 page.
    let log = RepeatedLog()
    router.add(middleware: APIErrorMiddleware(audiencePrefix: "/api/", log: log))
    router.add(middleware: PageErrorMiddleware(otherAudiences: ["/api/", "/health", "/metrics", "/open311/"], renderer: pages, log: log))
    router.add(middleware: Open311ErrorMiddleware(log: log))
    HealthController(database: services.database).register(on: router)
    ServerMetrics.register(on: router)

    let api = APIRouter(group: router.group().add(middleware: TokenAuthenticatorMiddleware(authenticator: services.authenticator)))
    api.on(.openAPI) { (_, _: OneGridRequestContext) in OpenAPIDocument.response() }
    SessionController(services: services).register(on: api)
    DirectoryController(services: services).register(on: api)
    CaseController(services: services).register(on: api)
    CalendarController(services: services).register(on: api)
    DeadlineSettingsController(services: services).register(on: api)
    FiguresController(services: services).register(on: api)
    LiveController(services: services).register(on: api)
    InboxController(services: services).register(on: api)
    NoticeController(services: services).register(on: api)
    WebhookController(services: services).register(on: api)
    Open311KeyController(services: services).register(on: api)
    Open311Controller(services: services).register(on: router)
    PetitionController(services: services).register(on: api)
    DisputeController(services: services).register(on: api)
    ScreeningController(services: services).register(on: api)
    MediationAdministrationController(services: services).register(on: api)
    HotlineController(services: services).register(on: api)
    FeedController(services: services).register(on: api)
    BaseDataController(services: services).register(on: api)
    AssessmentController(services: services).register(on: api)
    RiskController(services: services).register(on: api)
    PageSite(renderer: pages, attachments: attachments).register(on: router)
    return router
}

/// Closes the database when the server stops, after the last request is answered.
struct DatabaseService: Service {
    let database: OneGridDatabase

    func run() async throws {
        try? await gracefulShutdown()
        // Outside this task: when the group is cancelled rather than shut down gracefully, closing
        // must still run to its end, or connections are left open.
        try await Task { try await database.shutdown() }.value
    }
}
