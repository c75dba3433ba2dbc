public import Hummingbird
import HummingbirdAuth
import Logging
import OneGridStore
import ServiceLifecycle

/// Builds the whole server from its configuration: opens and migrates the database, loads the
/// hierarchy, wires the routes. Tests build exactly this and drive it through its router.
public func buildApplication(_ config: AppConfig) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "onegrid")
    logger.logLevel = config.logLevel
    let database = try await OneGridDatabase.open(config.database, logger: logger)
    try await Migrator().migrate(database)
    let services = try await OneGridServices(database: database, config: config, logger: logger)
    return Application(
        router: buildRouter(services),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "OneGrid"),
        services: [
            DatabaseService(database: database),
            DeadlineSweeper(services: services, interval: .seconds(config.sweepInterval)),
            DeadlineSettingsReloader(services: services, interval: .seconds(60)),
            WebhookDeliveryService(store: services.webhooks, clock: services.clock, pollInterval: config.webhookInterval.map { .seconds($0) }, logger: logger),
        ],
        logger: logger)
}

func buildRouter(_ services: OneGridServices) -> Router<OneGridRequestContext> {
    let router = Router(context: OneGridRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: TokenAuthenticatorMiddleware(authenticator: services.authenticator))
    router.on(APIRoute.health) { _, _ in "ok" }
    router.on(APIRoute.openAPI) { _, _ in OpenAPIDocument.response() }
    SessionController(services: services).register(on: router)
    DirectoryController(services: services).register(on: router)
    CaseController(services: services).register(on: router)
    CalendarController(services: services).register(on: router)
    DeadlineSettingsController(services: services).register(on: router)
    FiguresController(services: services).register(on: router)
    InboxController(services: services).register(on: router)
    WebhookController(services: services).register(on: router)
    return router
}

/// Closes the database when the server stops, after the last request is answered.
struct DatabaseService: Service {
    let database: OneGridDatabase

    func run() async throws {
        try? await gracefulShutdown()
        try await database.shutdown()
    }
}
