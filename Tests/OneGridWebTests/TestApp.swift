import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridScratch
import OneGridStore
@testable import OneGridWeb
import Testing

/// The whole server, built as `onegrid serve` builds it, over a fresh SQLite file holding the
/// demo's tiny city, driven through its router.
struct TestApp {
    /// Facts of the tiny city the tests act on.
    struct City: Sendable {
        var directory: Directory
        /// A point inside each grid, grids in code order.
        var gridPoints: [(gridID: Int64, point: GeoPoint)]
        /// Two deadline sweepers, each a server of its own over the same database, as two
        /// `onegrid serve` processes would be; each sweeps as if it were the time given.
        var sweepers: [@Sendable (Date) async throws -> Int]
        /// A sweep as `onegrid sweep` runs it: its own connection and services, opened for the
        /// one sweep on the settings stored by then.
        var commandSweep: @Sendable (Date) async throws -> Int
        /// A round of the operations gauges, as the server's background service counts them.
        var countGauges: @Sendable () async throws -> Void = {}
        /// A round of the risk judgement, as the server's watcher runs it, at the time given.
        var judgeRisk: @Sendable (Date) async throws -> Void = { _ in }
        /// The watcher's issue of the weekly reports of the last whole week at the time given.
        var issueRiskReports: @Sendable (Date) async throws -> Int = { _ in 0 }
        /// The SQLite file the server runs on, for a command that opens it beside the server.
        var databasePath = ""

        func sweep(at now: Date) async throws -> Int { try await sweepers[0](now) }
    }

    static func run<Value: Sendable>(
        cases: Int = 0, clockOffset: TimeInterval = 0, trainClassifier: Bool = false,
        _ test: @escaping @Sendable (API, City) async throws -> Value
    ) async throws -> Value {
        try await ScratchDatabase.with(.sqlite, prefix: "onegrid-web") { path in
            let database = try await OneGridDatabase.open(path)
            _ = try await DemoCity.build(into: database, size: .tiny, cases: cases)
            if trainClassifier { _ = try await CategoryModelStore(database: database).train(newest: 10_000, now: Date()) }
            let directory = try await SQLHierarchyStore(database: database).loadDirectory()
            try await database.shutdown()
            let grids = directory.areas.values.filter { $0.level == .grid }.sorted { $0.code < $1.code }
            let config = AppConfig(database: path, logLevel: .warning, clockOffset: clockOffset)
            var sweeperDatabases: [OneGridDatabase] = []
            var city = City(
                directory: directory, gridPoints: grids.map { grid in (grid.id, Self.pointInside(grid.id, directory)) }, sweepers: [],
                commandSweep: { now in
                    try await OneGridDatabase.using(path) { database in
                        try await OneGridServices(database: database, logger: Logger(label: "sweep")).sweepDeadlines(at: now)
                    }
                })
            city.databasePath = path
            for _ in 0..<2 {
                let database = try await OneGridDatabase.open(path)
                sweeperDatabases.append(database)
                let services = try await OneGridServices(database: database, clock: ServerClock(offset: clockOffset), logger: Logger(label: "test"))
                let sweeper = DeadlineSweeper(services: services, interval: .seconds(3600))
                city.sweepers.append { now in try await sweeper.sweep(now: now) }
                let gauges = OperationsGauges(services: services)
                city.countGauges = { try await gauges.count() }
                city.judgeRisk = { now in _ = try await services.riskWatch.judge(at: now) }
                city.issueRiskReports = { now in try await services.riskWatch.issueReports(at: now) }
            }
            let app = try await buildApplication(config)
            let frozen = city
            do {
                let value = try await app.test(.router) { client in
                    try await test(API(client: client), frozen)
                }
                for database in sweeperDatabases { try await database.shutdown() }
                return value
            } catch {
                for database in sweeperDatabases { try? await database.shutdown() }
                throw error
            }
        }
    }

    /// A point inside a grid: the locator is asked, so the point is inside by the same rule intake uses.
    static func pointInside(_ gridID: Int64, _ directory: Directory) -> GeoPoint {
        let lineage = directory.lineage(of: gridID)
        precondition(lineage.last?.level == .grid)
        // Scan a fine lattice over the grid's neighbourhood until the locator answers this grid.
        for candidate in directory.gridCandidates(gridID) where directory.locator.grid(containing: candidate) == gridID {
            return candidate
        }
        preconditionFailure("no point found inside grid \(gridID)")
    }
}

extension Directory {
    /// Candidate points spread over a grid's boundary box, read back from the store's boundary.
    fileprivate func gridCandidates(_ gridID: Int64) -> [GeoPoint] {
        guard let box = boundaries[gridID] else { return [] }
        return (1..<10).flatMap { i in
            (1..<10).map { j in
                GeoPoint(lat: box.minLat + (box.maxLat - box.minLat) * Double(i) / 10, lng: box.minLng + (box.maxLng - box.minLng) * Double(j) / 10)
            }
        }
    }
}

/// A JSON client over the test router: signs in, sends, and decodes answers as dictionaries.
struct API: Sendable {
    let client: any TestClientProtocol

    struct Reply: @unchecked Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var json: [String: Any]
        /// The body as sent, for answers that are not JSON.
        var body: Data

        subscript(key: String) -> Any? { json[key] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
        var errorMessage: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }
        var id: Int64? { (json["id"] as? NSNumber)?.int64Value }
        var version: Int? { (json["version"] as? NSNumber)?.intValue }
        var status_: String? { json["status"] as? String }
    }

    func signIn(_ username: String, password: String = DemoCity.password) async throws -> String {
        let reply = try await send(.post, "/api/v1/session", body: ["username": username, "password": password])
        #expect(reply.status == .created, "sign in as \(username): \(reply.json)")
        return try #require(reply["token"] as? String)
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, body: Any? = nil, rawBody: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let rawBody { buffer = ByteBuffer(string: rawBody) }
        if let body { buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)) }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: buffer)
        let data = Data(response.body.readableBytesView)
        // Every answer a test receives must be one the OpenAPI document describes.
        for problem in OpenAPIConformance.served.problems(
            method: method.rawValue, path: path, status: Int(response.status.code), contentType: response.headers[.contentType], body: data)
        {
            Issue.record("\(problem)")
        }
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Reply(status: response.status, headers: response.headers, json: json, body: data)
    }

    /// Reports a case at a point as the signed-in post.
    func report(
        token: String, at point: GeoPoint, category: String = "service.streetlight", title: String = "村口路灯不亮",
        extra: [String: Any] = [:], headers: HTTPFields = [:]
    ) async throws -> Reply {
        var body: [String: Any] = [
            "title": title, "description": "晚上村口一排路灯都不亮，行人不便。", "categoryCode": category,
            "location": ["lat": point.lat, "lng": point.lng],
            "reporter": ["name": "张三", "phone": "13812345678", "idNumber": "11010519491231002X"],
        ]
        body.merge(extra) { _, new in new }
        return try await send(.post, "/api/v1/cases", token: token, body: body, headers: headers)
    }

    /// Takes one action on a case.
    func act(_ action: String, on caseID: Int64, token: String, _ input: [String: Any] = [:]) async throws -> Reply {
        var body = input
        body["action"] = action
        return try await send(.post, "/api/v1/cases/\(caseID)/actions", token: token, body: body)
    }
}
