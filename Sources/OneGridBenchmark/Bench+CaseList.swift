import Foundation
import Logging
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridScratch
import OneGridStore
import SQLKit

extension Bench {
    /// The filtered case list on the full demo city: built for this run and thrown away, or kept
    /// at (and reused from) `--list-database`.
    func list() async throws {
        if let kept = options.listDatabase {
            try await list(at: kept, keep: true)
        } else {
            try await withDatabase(postgresURL: nil, what: "list-\(options.listCases)") { try await list(at: $0, keep: false) }
        }
    }

    private func list(at path: String, keep: Bool) async throws {
        let target = options.listCases
        var figures = ListFigures(requestedCases: target, databasePath: keep ? path : nil)

        let built = try await demoCity(at: path, cases: target, keep: keep)
        figures.cases = built.cases
        figures.reused = built.reused
        figures.buildSeconds = built.buildSeconds
        figures.earlierBuild = built.earlierBuild

        let dispatchers = try await OneGridDatabase.using(path, logger: logger) { try await Dispatchers.signIn(on: $0, logger: self.logger) }
        let server = try await ServerProcess.start(options.server, database: path)
        // A freshly built city hands the server a backlog at start (the deadline sweep of a year of
        // demo cases); the list is measured in the steady state after it.
        say("waiting for the server's start-up work to finish …")
        figures.settle = await server.settle()
        say("  \(figures.settle.map { $0.settled ? "settled after \(f($0.seconds, 0)) s" : "still busy after \(f($0.seconds, 0)) s; measuring anyway" } ?? "")")
        do {
            var queries = dispatchers.queries
            let city = dispatchers.city
            // A second page: the cursor of the first page of the first query.
            let first = try await HTTP.send("GET", server.url(queries[0].path), token: city)
            if let cursor = (try? JSONSerialization.jsonObject(with: first.body) as? [String: Any])?["nextCursor"] as? String {
                queries.append(("city: open statuses, second page", queries[0].path + "&cursor=\(cursor)", city))
            }
            // Each query answers 200 before it is timed; the count shows what it returns.
            for query in queries {
                let reply = try await HTTP.send("GET", server.url(query.path), token: query.token)
                guard reply.status == 200 else {
                    throw BenchError("GET \(query.path) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
                }
                let json = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
                let count = (json?["cases"] as? [Any])?.count ?? 0
                figures.queries.append(ListQuery(label: query.label, path: query.path, returned: count, bytes: reply.body.count))
            }
            let script = WrkScripts.requests(
                queries.map { WrkScripts.Request(method: "GET", path: $0.path, headers: ["Authorization": "Bearer \($0.token)"], body: nil) })
            let url = server.url("/api/v1/cases")
            say("case list: the \(queries.count) queries in rotation, 1 connection …")
            figures.single = try await load(url, server: server, script: script, label: "list mix, 1 connection", connections: 1, threads: 1)
            say("case list: \(options.listConnections) connections …")
            figures.judged = try await load(
                url, server: server, script: script, label: "list mix, \(options.listConnections) connections",
                connections: options.listConnections, threads: min(options.threads, options.listConnections))
            if options.connections != options.listConnections {
                say("case list: \(options.connections) connections …")
                figures.saturated = try await load(
                    url, server: server, script: script, label: "list mix, \(options.connections) connections",
                    connections: options.connections, threads: options.threads)
            }
            // Each query alone, one connection: which filter costs what.
            let each = max(2, options.seconds / 3)
            for (index, query) in queries.enumerated() {
                let alone = WrkScripts.requests([
                    WrkScripts.Request(method: "GET", path: query.path, headers: ["Authorization": "Bearer \(query.token)"], body: nil)
                ])
                figures.queries[index].run = try await load(
                    url, server: server, script: alone, label: query.label, connections: 1, threads: 1, seconds: each, warmup: 1)
            }
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
        report.list = figures
    }

    /// The full demo city with `target` cases at `path`: the file there when it exists (what
    /// building it took read from beside it), else built there now, its build noted beside it
    /// when `keep`.
    func demoCity(at path: String, cases target: Int, keep: Bool) async throws -> DemoBuild {
        var built = DemoBuild()
        if FileManager.default.fileExists(atPath: path) {
            built.cases = try await OneGridDatabase.using(path, logger: logger) { try await Self.count("cases", in: $0) }
            say("reusing \(path): \(built.cases) cases")
            built.reused = true
            built.earlierBuild = try? JSONDecoder().decode(
                ListFigures.Build.self, from: Data(contentsOf: URL(fileURLWithPath: path + ".build.json")))
            return built
        }
        say("building the full demo city with \(target) cases into \(path) …")
        let db = try await OneGridDatabase.open(path, logger: logger)
        let started = Date()
        let bar = ProgressBar(started: started)
        do {
            let summary = try await DemoCity.build(into: db, size: .full, cases: target) { done, total in
                bar.show(done: done, total: total)
            }
            say("")
            built.cases = summary.cases
            built.buildSeconds = Date().timeIntervalSince(started)
            try await db.shutdown()
        } catch {
            try? await db.shutdown()
            // A half-built city must not be reused by the next run.
            ScratchDatabase.removeSQLite(path)
            throw error
        }
        say("built in \(String(format: "%.1f", built.buildSeconds ?? 0)) s")
        if keep, let seconds = built.buildSeconds {
            // Kept beside the file, so a run that reuses it can say what building it took.
            let build = ListFigures.Build(cases: built.cases, seconds: seconds, date: Date().formatted(.iso8601))
            try? JSONEncoder().encode(build).write(to: URL(fileURLWithPath: path + ".build.json"))
        }
        return built
    }

    static func day(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle().year().month().day()
        style.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return date.formatted(style)
    }
}

/// A demo city as a run found or built it.
struct DemoBuild {
    var cases = 0
    var reused = false
    var buildSeconds: Double?
    var earlierBuild: ListFigures.Build?
}

/// The dispatchers who browse: the city's (sees every case) and the first town's, signed in
/// before the server starts; their sessions are stored, so the server accepts their tokens.
struct Dispatchers {
    var city: String
    var town: String
    var townArea: Int64
    var serviceCode: String

    static func signIn(on db: OneGridDatabase, logger: Logger) async throws -> Dispatchers {
        struct TownDispatcher: Decodable {
            var username: String
            var postId: Int64
            var areaId: Int64
        }
        let town = try await db.reader.raw(
            """
            SELECT u.username AS username, p.id AS post_id, p.area_id AS area_id FROM posts p JOIN users u ON u.id = p.user_id
            WHERE p.role = 'dispatcher' AND p.area_level = 'town' ORDER BY p.area_id, p.id LIMIT 1
            """
        ).first(decoding: TownDispatcher.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
        guard let town else { throw BenchError("the demo city has no town dispatcher") }
        let services = try await OneGridServices(database: db, logger: logger)
        let city = try await services.sessions.signIn(username: "city", password: DemoCity.password, postID: nil)
        let townDispatcher = try await services.sessions.signIn(username: town.username, password: DemoCity.password, postID: town.postId)
        let directory = services.directory
        let serviceCode =
            directory.category(code: "service")?.code
            ?? directory.categories.values.filter { $0.parentID == nil && $0.platform == .convenienceServices }
            .map(\.code).sorted().first ?? "service"
        return Dispatchers(city: city.token, town: townDispatcher.token, townArea: town.areaId, serviceCode: serviceCode)
    }

    /// What they open, in rotation: their queues, filters, a text search, newest and most urgent first.
    var queries: [(label: String, path: String, token: String)] {
        let from = Bench.day(Date().addingTimeInterval(-90 * 86_400))
        return [
            ("city: open statuses", "/api/v1/cases?status=accepted,assigned,inProgress&limit=20", city),
            ("city: one town, overdue", "/api/v1/cases?area=\(townArea)&overdue=true", city),
            ("city: category subtree since a date", "/api/v1/cases?category=\(serviceCode)&from=\(from)", city),
            ("city: text search 路灯", "/api/v1/cases?q=%E8%B7%AF%E7%81%AF", city),
            ("city: channel and platform", "/api/v1/cases?channel=hotline&platform=convenienceServices", city),
            ("city: most urgent first", "/api/v1/cases?order=urgent&limit=20", city),
            ("town dispatcher: its queue", "/api/v1/cases?status=reported,accepted,assigned&limit=20", town),
            ("town dispatcher: its queue, most urgent first", "/api/v1/cases?status=reported,accepted,assigned&order=urgent&limit=20", town),
            ("town dispatcher: everything, newest first", "/api/v1/cases", town),
        ]
    }
}
