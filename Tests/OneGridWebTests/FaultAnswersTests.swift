import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import OneGridApplication
import OneGridDemo
import OneGridScratch
import OneGridStore
import SQLKit
@testable import OneGridWeb
import Testing

/// Faults have their own answers, from real faults: a PostgreSQL server that is not there (a
/// port nothing listens on) and an SQLite database that is full (its page count capped, which
/// fails writes with SQLITE_FULL as a full disk does). The database out of reach is 503 with
/// Retry-After on the API and the pages, never 500; full storage is 507 and reads go on; the
/// health routes tell the process from the database and never look at a token.
@Suite struct FaultAnswersTests {
    /// A PostgreSQL URL nothing answers at, with a password that must never be shown.
    static func unreachableURL() throws -> String {
        // A port just bound and let go, so nothing listens there.
        let socket = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = socket.localAddress?.port ?? 1
        try socket.close().wait()
        return "postgres://onegrid:Secret-Pass@127.0.0.1:\(port)/onegrid"
    }

    /// A router with the server's error middlewares and health routes, whose API route and page
    /// read from `down` and whose write goes to `full`.
    static func router(down: OneGridDatabase, full: OneGridDatabase, pages: PageRenderer) -> Router<OneGridRequestContext> {
        let router = Router(context: OneGridRequestContext.self)
        let log = RepeatedLog()
        router.add(middleware: APIErrorMiddleware(audiencePrefix: "/api/", log: log))
        router.add(middleware: PageErrorMiddleware(otherAudiences: ["/api/", "/health"], renderer: pages, log: log))
        HealthController(database: down).register(on: router)
        router.get("/api/v1/cases") { _, _ in
            try await down.ping()
            return "unreachable"
        }
        router.get("/queue") { _, _ in
            try await down.ping()
            return "unreachable"
        }
        router.post("/api/v1/cases") { _, _ in
            try await full.transaction { db in
                try await db.raw("INSERT INTO onegrid_migrations (name, applied_at) VALUES (\(bind: UUID().uuidString + String(repeating: "x", count: 4000)), 0)").run()
            }
            return "written"
        }
        router.get("/api/v1/cases/1") { _, _ in
            try await full.ping()
            return "read"
        }
        return router
    }

    @Test func theDatabaseOutOfReachIs503AndFullStorage507() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-faults-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let down = try await OneGridDatabase.open(try Self.unreachableURL())
        try await OneGridDatabase.using(path) { full in
            _ = try await DemoCity.build(into: full, size: .tiny, cases: 0)
            let services = try await OneGridServices(database: full)
            let pages = PageRenderer(services: services, resources: try PageResources.bundled.get(), demoAccounts: [])
            // From here on the file cannot grow by a page.
            try await full.transaction { db in
                let pages = try await db.raw("PRAGMA page_count").first(decodingColumn: "page_count", as: Int.self) ?? 0
                try await db.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages))").run()
            }
            let app = Application(router: Self.router(down: down, full: full, pages: pages))
            try await app.test(.router) { client in
                let api = API(client: client)
                let unreachable = try await api.send(.get, "/api/v1/cases")
                #expect(unreachable.status == .serviceUnavailable)
                #expect(unreachable.errorCode == "databaseUnavailable")
                #expect(unreachable.headers[.retryAfter] == "5")
                #expect(!unreachable.errorMessage.contains("Secret-Pass"))

                let page = try await client.executeRequest(uri: "/queue?lang=en", method: .get, headers: [:], body: nil)
                #expect(page.status == .serviceUnavailable)
                #expect(page.headers[.retryAfter] == "5")
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: page.body).contains("Database unavailable"))

                let write = try await api.send(.post, "/api/v1/cases", body: [:])
                #expect(write.status.code == 507)
                #expect(write.errorCode == "storageFull")
                let read = try await client.executeRequest(uri: "/api/v1/cases/1", method: .get, headers: [:], body: nil)
                #expect(read.status == .ok, "reads go on while writes cannot")
            }
        }
        try await down.shutdown()
    }

    @Test func readinessNamesTheCheckThatFailed() async throws {
        let down = try await OneGridDatabase.open(try Self.unreachableURL())
        let notReady = await HealthController(database: down).readiness()
        #expect(notReady.status == "unready")
        #expect(notReady.failed == "database")
        #expect(notReady.message == "the database cannot be reached")
        try await down.shutdown()

        try await ScratchDatabase.withOpened(.sqlite, prefix: "onegrid-ready", migrated: false) { database in
            let unmigrated = await HealthController(database: database).readiness()
            #expect(unmigrated.failed == "migrations", "\(unmigrated)")
            try await Migrator(migrations: Array(Migrator.all.prefix(3))).migrate(database)
            let behind = await HealthController(database: database).readiness()
            #expect(behind.failed == "migrations")
            #expect(behind.message?.contains("004_deadlines") == true, "\(behind)")
            try await Migrator().migrate(database)
            let ready = await HealthController(database: database).readiness()
            #expect(ready.status == "ready" && ready.failed == nil)
        }
    }

    /// Health routes sit before every authentication: a token that is no one's (which the API
    /// would look up) changes nothing.
    @Test func healthRoutesIgnoreTokens() async throws {
        try await TestApp.run { api, _ in
            for path in ["/health", "/health/live", "/health/ready"] {
                for headers: HTTPFields in [[:], [.authorization: "Bearer no-such-token"]] {
                    let reply = try await api.client.executeRequest(uri: path, method: .get, headers: headers, body: nil)
                    #expect(reply.status == .ok, "\(path) \(headers)")
                    let status = try JSONSerialization.jsonObject(with: Data(reply.body.readableBytesView)) as? [String: Any]
                    #expect(status?["status"] as? String == (path == "/health/ready" ? "ready" : "live"))
                }
            }
        }
    }
}
