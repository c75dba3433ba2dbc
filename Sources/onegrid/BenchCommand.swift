import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import OneGridWeb
import SQLKit
import SQLiteKit

/// `onegrid bench`: measures intake through the HTTP API and through the store alone, on SQLite
/// and PostgreSQL, beside two baselines taken in the same run (a trivial endpoint under the same
/// load tool, raw SQLite one-row transactions), then the filtered case list on a big demo city,
/// and writes every figure with the machine and the command line to a markdown file. Targets are
/// judged from the figures of this run only; a run with errors is reported, never counted.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark intake and the case list; write the figures to docs/performance.md.",
        discussion: """
            Needs `wrk` on the PATH (scripts/benchmark installs it, builds release and brings up a \
            throwaway PostgreSQL). Run a release build: a debug build's figures say little.
            """)

    @Option(
        help: ArgumentHelp(
            "A postgres:// URL whose role may CREATE DATABASE; each run uses a fresh database dropped at the end (default: $ONEGRID_BENCH_POSTGRES_URL; without one PostgreSQL is skipped).",
            valueName: "url"))
    var postgres: String?
    @Option(help: "Seconds of each measured HTTP load run.") var seconds = 10
    @Option(help: "Seconds of the unmeasured warm-up before each HTTP load run.") var warmup = 2
    @Option(help: "Concurrent HTTP connections (wrk -c) and concurrent store submitters.") var connections = 64
    @Option(help: "wrk threads.") var threads = 2
    @Option(help: "Cases the store alone writes through the group-commit writer.") var storeCases = 20_000
    @Option(help: "Rows of the raw SQLite baseline and cases of the one-case-per-transaction store run.")
    var rawRows = 3_000
    @Option(help: "Demo cases the case list is measured at (0 skips the list).") var listCases = 1_000_000
    @Option(help: "Open cases the deadline sweep is measured over (0 skips the sweep).") var sweepCases = 1_000_000
    @Option(
        help: ArgumentHelp(
            "An SQLite demo city for the list: reused when the file exists, else built there and kept (default: a temporary file, removed after).",
            valueName: "path"))
    var listDatabase: String?
    @Option(help: "Connections of the list run the list target is judged at (dispatchers browsing at once).")
    var listConnections = 8
    @Option(help: "Where temporary databases go (default: the system's temporary directory).") var workDir: String?
    @Option(help: "The markdown file to write.") var output = "docs/performance.md"

    func validate() throws {
        guard seconds >= 1, warmup >= 0 else { throw ValidationError("--seconds must be 1 or more, --warmup 0 or more") }
        guard connections >= 1, threads >= 1, connections >= threads else {
            throw ValidationError("--connections and --threads must be 1 or more, connections at least threads")
        }
        guard storeCases >= 1, rawRows >= 1, listCases >= 0, listConnections >= 1 else {
            throw ValidationError("--store-cases, --raw-rows and --list-connections must be 1 or more, --list-cases 0 or more")
        }
    }

    func run() async throws {
        let bench = Bench(options: self)
        try await bench.run()
    }

    var postgresURL: String? {
        let url = postgres ?? ProcessInfo.processInfo.environment["ONEGRID_BENCH_POSTGRES_URL"]
        return url.flatMap { $0.isEmpty ? nil : $0 }
    }
}

// MARK: - The run

/// One benchmark run: measures each part in turn, keeps going past a part that fails (the report
/// says so), writes the report, and fails at the end if any part did.
final class Bench: @unchecked Sendable {
    let options: BenchCommand
    let workDir: String
    var report = Report()
    let logger: Logger = {
        var logger = Logger(label: "onegrid.bench")
        logger.logLevel = .error
        return logger
    }()

    init(options: BenchCommand) {
        self.options = options
        self.workDir = options.workDir ?? FileManager.default.temporaryDirectory.path
    }

    func run() async throws {
        let started = Date()
        guard let wrk = Shell.which("wrk") else {
            throw ValidationError("wrk is not on the PATH: install it (apt-get install -y wrk) or run scripts/benchmark")
        }
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        report.command = Report.commandLine()
        report.invocation = ProcessInfo.processInfo.environment["ONEGRID_BENCH_INVOCATION"]
        report.options = options
        report.machine = await Machine.describe(workDir: workDir, wrk: wrk)
        report.postgresURL = options.postgresURL.map(Report.masked)
        #if DEBUG
        say("warning: this is a debug build; its figures are not the product's. Build with -c release.")
        #endif

        await part("raw SQLite baselines") { try await self.rawSQLite() }
        await part("store alone on SQLite") { try await self.storeAlone(on: nil) }
        if let url = options.postgresURL {
            await part("store alone on PostgreSQL") { try await self.storeAlone(on: url) }
        }
        await part("HTTP on SQLite") { try await self.http(on: nil) }
        if let url = options.postgresURL {
            await part("HTTP intake on PostgreSQL") { try await self.http(on: url) }
        }
        if options.listCases > 0 {
            await part("case list") { try await self.list() }
        }
        if options.sweepCases > 0 {
            await part("deadline sweep on SQLite") { try await self.sweep(on: nil) }
            if let url = options.postgresURL {
                await part("deadline sweep on PostgreSQL") { try await self.sweep(on: url) }
            }
        }

        report.machine.loadAfter = Machine.loadAverage()
        report.totalSeconds = Date().timeIntervalSince(started)
        let markdown = report.markdown()
        let outputURL = URL(fileURLWithPath: options.output)
        try FileManager.default.createDirectory(at: outputURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try markdown.write(to: outputURL, atomically: true, encoding: .utf8)
        say("\n" + report.verdictSummary())
        say("Wrote \(options.output) (\(String(format: "%.0f", report.totalSeconds)) s in all).")
        if !report.failures.isEmpty { throw ExitCode(1) }
    }

    private func part(_ name: String, _ body: () async throws -> Void) async {
        say("\n== \(name) ==")
        do {
            try await body()
        } catch {
            let text = error is BenchError ? String(describing: error) : String(reflecting: error)
            say("FAILED: \(name): \(text)")
            report.failures.append((name, text))
        }
    }

    func temporaryFile(_ what: String) -> String {
        let id = UUID().uuidString.prefix(8).lowercased()
        return (workDir as NSString).appendingPathComponent("onegrid-bench-\(id)-\(what).sqlite")
    }

    static func removeSQLite(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    // MARK: Raw SQLite

    /// Plain inserts through SQLiteNIO on a file with OneGridDatabase's pragmas: one row per
    /// transaction (every commit a durable WAL fsync), and 512 rows per transaction for scale.
    func rawSQLite() async throws {
        let path = temporaryFile("raw")
        defer { Self.removeSQLite(path) }
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000", "PRAGMA cache_size=-65536"] {
                try await connection.query(pragma, []) { _ in }
            }
            report.machine.sqliteVersion =
                try await connection.sql().raw("SELECT sqlite_version() AS v").first(decodingColumn: "v", as: String.self) ?? "?"
            try await connection.query(
                """
                CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL,
                category_id INTEGER NOT NULL, grid_id INTEGER NOT NULL, reporter_phone TEXT, created_at INTEGER NOT NULL)
                """, []) { _ in }
            let insert = "INSERT INTO reports (title, description, category_id, grid_id, reporter_phone, created_at) VALUES (?, ?, ?, ?, ?, ?)"
            func binds(_ i: Int) -> [SQLiteData] {
                let sample = IntakeSamples.texts[i % IntakeSamples.texts.count]
                return [
                    .text(sample.title), .text(sample.description), .integer(i % 40 + 1), .integer(i % 735 + 1),
                    .text(IntakeSamples.reporters[i % IntakeSamples.reporters.count].phone),
                    .integer(Int(Date().timeIntervalSince1970 * 1000)),
                ]
            }
            let rows = options.rawRows
            say("raw SQLite: \(rows) rows, one per transaction …")
            var latencies: [Double] = []
            latencies.reserveCapacity(rows)
            let clock = ContinuousClock()
            var cpuBefore = CPU.sample(server: nil)
            let started = clock.now
            for i in 0..<rows {
                let t0 = clock.now
                try await connection.query("BEGIN IMMEDIATE", []) { _ in }
                try await connection.query(insert, binds(i)) { _ in }
                try await connection.query("COMMIT", []) { _ in }
                latencies.append((clock.now - t0).milliseconds)
            }
            let single = StoreRun(
                database: "SQLite", mode: "raw SQLite, 1 row per transaction", count: rows,
                seconds: (clock.now - started).seconds, latencies: latencies, unit: "rows", cpu: CPU.sample(server: nil).since(cpuBefore))
            report.rawSingle = single
            say("  \(single.line)")

            let batch = 512
            let batches = max(1, options.storeCases / batch)
            say("raw SQLite: \(batches * batch) rows, \(batch) per transaction …")
            latencies = []
            cpuBefore = CPU.sample(server: nil)
            let batchStarted = clock.now
            for b in 0..<batches {
                let t0 = clock.now
                try await connection.query("BEGIN IMMEDIATE", []) { _ in }
                for i in 0..<batch { try await connection.query(insert, binds(b * batch + i)) { _ in } }
                try await connection.query("COMMIT", []) { _ in }
                latencies.append((clock.now - t0).milliseconds)
            }
            let batched = StoreRun(
                database: "SQLite", mode: "raw SQLite, \(batch) rows per transaction", count: batches * batch,
                seconds: (clock.now - batchStarted).seconds, latencies: latencies, unit: "rows", latencyOf: "transaction",
                cpu: CPU.sample(server: nil).since(cpuBefore))
            report.rawBatched = batched
            say("  \(batched.line)")
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    // MARK: Store alone

    /// The store without HTTP: drafts built the way intake builds them, written through the same
    /// group-commit writer the server uses (64 submitters at once), then one case per transaction.
    func storeAlone(on postgresURL: String?) async throws {
        let label = postgresURL == nil ? "SQLite" : "PostgreSQL"
        try await withDatabase(postgresURL: postgresURL, what: "store") { location in
            try await OneGridDatabase.using(location, logger: self.logger) { db in
                if db.kind == .postgres { self.report.postgresSettings = try await Self.postgresSettings(db) }
                _ = try await DemoCity.build(into: db, size: .tiny, cases: 0)
                let simulator = try await IntakeSimulator.load(from: db, username: "hotline")
                let store = SQLCaseStore(database: db)
                // Warm up: the first writes create pages and fill caches.
                _ = try await store.create((0..<16).map { try simulator.draft($0) })

                let writer = IntakeWriter(store: store)
                let workers = self.options.connections
                say("\(label): \(self.options.storeCases) cases through the group-commit writer, \(workers) submitters …")
                let group = try await Concurrent.run(total: self.options.storeCases, workers: workers) { i in
                    _ = try await writer.submit(try simulator.draft(i))
                }
                let groupRun = StoreRun(
                    database: label, mode: "group commit (IntakeWriter), \(workers) submitters", count: self.options.storeCases,
                    seconds: group.seconds, latencies: group.latencies, unit: "cases", cpu: group.cpu)
                say("  \(groupRun.line)")

                say("\(label): \(self.options.rawRows) cases, one per transaction (SQLCaseStore.create([draft])), \(workers) submitters …")
                let single = try await Concurrent.run(total: self.options.rawRows, workers: workers) { i in
                    _ = try await store.create([try simulator.draft(i)])
                }
                let singleRun = StoreRun(
                    database: label, mode: "1 case per transaction, \(workers) submitters", count: self.options.rawRows,
                    seconds: single.seconds, latencies: single.latencies, unit: "cases", cpu: single.cpu)
                say("  \(singleRun.line)")

                let stored = try await Self.count("cases", in: db)
                let expected = 16 + self.options.storeCases + self.options.rawRows
                guard stored == expected else {
                    throw BenchError("the store holds \(stored) cases, \(expected) were written")
                }
                if postgresURL == nil {
                    self.report.storeSQLite = [groupRun, singleRun]
                } else {
                    self.report.storePostgres = [groupRun, singleRun]
                }
            }
        }
    }

    // MARK: HTTP

    /// The real server (`onegrid serve`, a child process) on a tiny demo city; wrk drives it. On
    /// SQLite the trivial endpoint is measured first, under the same wrk settings, as the baseline.
    func http(on postgresURL: String?) async throws {
        let label = postgresURL == nil ? "SQLite" : "PostgreSQL"
        try await withDatabase(postgresURL: postgresURL, what: "http") { location in
            let db = try await OneGridDatabase.open(location, logger: self.logger)
            let simulator: IntakeSimulator
            do {
                _ = try await DemoCity.build(into: db, size: .tiny, cases: 0)
                simulator = try await IntakeSimulator.load(from: db, username: "hotline")
                try await db.shutdown()
            } catch {
                try? await db.shutdown()
                throw error
            }

            let server = try await ServerProcess.start(database: location)
            do {
                if postgresURL == nil {
                    say("trivial endpoint GET /health …")
                    let trivial = try await self.load(
                        server.url("/health"), server: server, script: WrkScripts.plain(), label: "GET /health",
                        connections: self.options.connections, threads: self.options.threads)
                    self.report.trivial = trivial
                }
                let token = try await server.signIn("hotline")
                // One report first: it must be accepted, or the load run would only count refusals.
                let bodies = simulator.requestBodies()
                let probe = try await HTTP.send("POST", server.url("/api/v1/cases"), token: token, rawJSON: bodies[0])
                guard probe.status == 201 else {
                    throw BenchError("a single intake answered \(probe.status): \(String(decoding: probe.body, as: UTF8.self).prefix(500)) \(server.logTail())")
                }
                say("intake POST /api/v1/cases on \(label) …")
                let script = WrkScripts.requests(
                    bodies.map { body in
                        WrkScripts.Request(
                            method: "POST", path: "/api/v1/cases",
                            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: body)
                    })
                let intake = try await self.load(
                    server.url("/api/v1/cases"), server: server, script: script, label: "POST /api/v1/cases",
                    connections: self.options.connections, threads: self.options.threads)
                try await server.stop()

                // Every answered 2xx must be a stored case: count them after the server stopped.
                let check = try await OneGridDatabase.open(location, logger: self.logger)
                let stored = try await Self.count("cases", in: check)
                try await check.shutdown()
                let http = HTTPIntake(database: label, run: intake, storedCases: stored)
                if postgresURL == nil { self.report.intakeSQLite = http } else { self.report.intakePostgres = http }
                say("  stored \(stored) cases (warm-up and measured run together)")
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }

    /// A warm-up run (not kept), then the measured run.
    func load(
        _ url: String, server: ServerProcess, script: String, label: String, connections: Int, threads: Int,
        seconds: Int? = nil, warmup: Int? = nil
    ) async throws -> WrkRun {
        let warmup = warmup ?? options.warmup
        if warmup > 0 {
            _ = try await Wrk.run(url: url, script: script, seconds: warmup, connections: connections, threads: threads, label: label)
        }
        let before = CPU.sample(server: server.process.processIdentifier)
        var run = try await Wrk.run(
            url: url, script: script, seconds: seconds ?? options.seconds, connections: connections, threads: threads, label: label)
        run.cpu = CPU.sample(server: server.process.processIdentifier).since(before)
        say("  \(run.line)")
        return run
    }

    // MARK: List

    func list() async throws {
        let target = options.listCases
        let path = options.listDatabase ?? temporaryFile("list-\(target)")
        let keep = options.listDatabase != nil
        defer { if !keep { Self.removeSQLite(path) } }
        var figures = ListFigures(requestedCases: target, databasePath: keep ? path : nil)

        if FileManager.default.fileExists(atPath: path) {
            let cases = try await OneGridDatabase.using(path, logger: logger) { try await Self.count("cases", in: $0) }
            say("reusing \(path): \(cases) cases")
            figures.cases = cases
            figures.reused = true
            figures.earlierBuild = try? JSONDecoder().decode(
                ListFigures.Build.self, from: Data(contentsOf: URL(fileURLWithPath: path + ".build.json")))
        } else {
            say("building the full demo city with \(target) cases into \(path) …")
            let db = try await OneGridDatabase.open(path, logger: logger)
            let started = Date()
            let bar = ProgressBar(started: started)
            do {
                let summary = try await DemoCity.build(into: db, size: .full, cases: target) { done, total in
                    bar.show(done: done, total: total)
                }
                say("")
                figures.cases = summary.cases
                figures.buildSeconds = Date().timeIntervalSince(started)
                try await db.shutdown()
            } catch {
                try? await db.shutdown()
                // A half-built city must not be reused by the next run.
                Self.removeSQLite(path)
                throw error
            }
            say("built in \(String(format: "%.1f", figures.buildSeconds ?? 0)) s")
            if keep, let seconds = figures.buildSeconds {
                // Kept beside the file, so a run that reuses it can say what building it took.
                let build = ListFigures.Build(cases: figures.cases, seconds: seconds, date: Date().formatted(.iso8601))
                try? JSONEncoder().encode(build).write(to: URL(fileURLWithPath: path + ".build.json"))
            }
        }

        // Who browses: the city's dispatcher (sees everything) and the first town's dispatcher.
        let db = try await OneGridDatabase.open(path, logger: logger)
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
        let directory = try await SQLHierarchyStore(database: db).loadDirectory()
        try await db.shutdown()
        guard let town else { throw BenchError("the demo city has no town dispatcher") }
        let serviceCode =
            directory.category(code: "service")?.code
            ?? directory.categories.values.filter { $0.parentID == nil && $0.platform == .convenienceServices }
            .map(\.code).sorted().first ?? "service"

        let server = try await ServerProcess.start(database: path)
        // A freshly built city hands the server a backlog at start (the deadline sweep of a year of
        // demo cases); the list is measured in the steady state after it.
        say("waiting for the server's start-up work to finish …")
        figures.settle = await server.settle()
        say("  \(figures.settle.map { $0.settled ? "settled after \(f($0.seconds, 0)) s" : "still busy after \(f($0.seconds, 0)) s; measuring anyway" } ?? "")")
        do {
            let city = try await server.signIn("city")
            let townToken = try await server.signIn(town.username, postID: town.postId)
            let from = Self.day(Date().addingTimeInterval(-90 * 86_400))
            var queries: [(label: String, path: String, token: String)] = [
                ("city: open statuses", "/api/v1/cases?status=accepted,assigned,inProgress&limit=20", city),
                ("city: one town, overdue", "/api/v1/cases?area=\(town.areaId)&overdue=true", city),
                ("city: category subtree since a date", "/api/v1/cases?category=\(serviceCode)&from=\(from)", city),
                ("city: text search 路灯", "/api/v1/cases?q=%E8%B7%AF%E7%81%AF", city),
                ("city: channel and platform", "/api/v1/cases?channel=hotline&platform=convenienceServices", city),
                ("town dispatcher: its queue", "/api/v1/cases?status=reported,accepted,assigned&limit=20", townToken),
                ("town dispatcher: everything, newest first", "/api/v1/cases", townToken),
            ]
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

    static func day(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle().year().month().day()
        style.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return date.formatted(style)
    }

    // MARK: Databases

    /// Runs `body` on a fresh SQLite file (removed after) or a fresh PostgreSQL database
    /// (`onegrid_bench_<random>`, dropped after).
    func withDatabase(postgresURL: String?, what: String, _ body: @escaping (String) async throws -> Void) async throws {
        guard let postgresURL else {
            let path = temporaryFile(what)
            defer { Self.removeSQLite(path) }
            try await body(path)
            return
        }
        let name = "onegrid_bench_" + UUID().uuidString.prefix(8).lowercased()
        guard var components = URLComponents(string: postgresURL) else { throw BenchError("not a URL: \(Report.masked(postgresURL))") }
        components.path = "/" + name
        guard let freshURL = components.string else { throw BenchError("cannot name a database in \(Report.masked(postgresURL))") }
        let admin = try await OneGridDatabase.open(postgresURL, logger: logger)
        do {
            try await admin.reader.raw("CREATE DATABASE \(ident: name)").run()
        } catch {
            try? await admin.shutdown()
            throw error
        }
        var failure: (any Error)?
        do {
            try await body(freshURL)
        } catch {
            failure = error
        }
        do {
            try await admin.reader.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
        } catch {
            say("warning: could not drop \(name): \(error)")
        }
        try? await admin.shutdown()
        if let failure { throw failure }
    }

    static func count(_ table: String, in db: OneGridDatabase) async throws -> Int {
        try await db.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    static func postgresSettings(_ db: OneGridDatabase) async throws -> [(String, String)] {
        var settings: [(String, String)] = []
        let version = try await db.reader.raw("SELECT version() AS v").first(decodingColumn: "v", as: String.self) ?? "?"
        settings.append(("version", version))
        for name in ["fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers", "max_wal_size", "max_connections"] {
            let value = try await db.reader.raw("SELECT current_setting(\(bind: name)) AS v").first(decodingColumn: "v", as: String.self) ?? "?"
            settings.append((name, value))
        }
        return settings
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Intake as the server does it

/// Realistic intake content: what a hotline agent types for a street-light report.
enum IntakeSamples {
    static let texts: [(title: String, description: String, address: String)] = [
        ("村口路灯不亮", "晚上村口一排路灯都不亮，行人和电动车经过很不安全，请尽快派人维修。", "村口东侧主路"),
        ("小区路灯闪烁", "小区3号楼前的路灯一直闪烁，已经持续一周，影响居民夜间出行。", "3号楼前"),
        ("路灯杆倾斜", "学校门口的路灯杆被车撞后明显倾斜，担心倒下伤人，请派人查看加固。", "学校门口"),
        ("路灯白天常亮", "集市路段的路灯白天也一直亮着，浪费电，请检查控制开关。", "集市路段"),
    ]
    static let reporters: [(name: String, phone: String)] = [
        ("张三", "13812345678"), ("李四", "13987654321"), ("王芳", "15011112222"), ("赵强", "18633334444"),
    ]
    static let categoryCode = "service.streetlight"
}

/// Builds drafts the way `CaseController.draft(from:by:key:)` does — validate, locate, route,
/// set the deadline — for a signed-in post, and the JSON bodies a client posts for the same.
struct IntakeSimulator: Sendable {
    let directory: Directory
    let principal: Principal
    let calendar = WorkCalendar()
    /// A point inside each grid, grids in code order.
    let points: [GeoPoint]

    static func load(from db: OneGridDatabase, username: String) async throws -> IntakeSimulator {
        let directory = try await SQLHierarchyStore(database: db).loadDirectory()
        let people = SQLPeopleStore(database: db)
        guard let (user, _) = try await people.credentials(username: username),
            let post = try await people.posts(ofUser: user.id).first
        else { throw BenchError("the demo city has no user \(username)") }
        let grids = directory.areas.values.filter { $0.level == .grid }.sorted { $0.code < $1.code }
        let points = grids.compactMap { pointInside($0.id, directory) }
        guard !points.isEmpty else { throw BenchError("no grid of the demo city has a point the locator finds") }
        return IntakeSimulator(directory: directory, principal: Principal(user: user, post: post), points: points)
    }

    /// A point inside a grid, by the locator's own rule (as the web tests pick theirs).
    static func pointInside(_ gridID: Int64, _ directory: Directory) -> GeoPoint? {
        guard let box = directory.boundaries[gridID] else { return nil }
        for i in 1..<10 {
            for j in 1..<10 {
                let candidate = GeoPoint(
                    lat: box.minLat + (box.maxLat - box.minLat) * Double(i) / 10,
                    lng: box.minLng + (box.maxLng - box.minLng) * Double(j) / 10)
                if directory.locator.grid(containing: candidate) == gridID { return candidate }
            }
        }
        return nil
    }

    func draft(_ i: Int) throws -> CaseDraft {
        let text = IntakeSamples.texts[i % IntakeSamples.texts.count]
        let reporter = IntakeSamples.reporters[i % IntakeSamples.reporters.count]
        let point = points[i % points.count]
        let post = principal.post
        let title = text.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw DomainError.invalid(field: "title", "title must be 1–200 characters") }
        let description = text.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let category = directory.category(code: IntakeSamples.categoryCode) else {
            throw DomainError.notFound("category \(IntakeSamples.categoryCode)", field: "categoryCode")
        }
        let areas = try directory.locate(point: point, gridID: nil)
        if post.role != .citizen, areas[post.areaLevel] != post.areaID {
            throw DomainError.invalid(field: "location", "the place lies outside the area of this post")
        }
        try PersonalData.validatePhone(reporter.phone, field: "reporter.phone")
        let now = Date()
        let routing = CaseRouting.route(areas: areas, category: category, department: directory.department(kind:areaID:))
        return CaseDraft(
            category: category, channel: .hotline, title: title, description: description, address: text.address,
            location: point, routing: routing, reporter: Reporter(name: reporter.name, phone: reporter.phone),
            createdBy: principal, createdAt: now, dueAt: calendar.due(from: now, limit: category.handlingLimit),
            idempotencyKey: nil)
    }

    /// The same content as JSON request bodies, rotating over grids, texts and reporters.
    func requestBodies() -> [String] {
        let count = max(points.count, IntakeSamples.texts.count) * IntakeSamples.reporters.count
        return (0..<count).map { i in
            let text = IntakeSamples.texts[i % IntakeSamples.texts.count]
            let reporter = IntakeSamples.reporters[i % IntakeSamples.reporters.count]
            let point = points[i % points.count]
            let body: [String: Any] = [
                "title": text.title, "description": text.description, "categoryCode": IntakeSamples.categoryCode,
                "address": text.address, "location": ["lat": point.lat, "lng": point.lng],
                "reporter": ["name": reporter.name, "phone": reporter.phone],
            ]
            let data = try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// Runs `total` jobs over `workers` concurrent tasks; each job's time is kept.
enum Concurrent {
    struct Result {
        var seconds: Double
        var latencies: [Double]
        var cpu: CPU.Use
    }

    static func run(total: Int, workers: Int, _ job: @escaping @Sendable (Int) async throws -> Void) async throws -> Result {
        let clock = ContinuousClock()
        let before = CPU.sample(server: nil)
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<min(workers, total) {
                group.addTask {
                    var mine: [Double] = []
                    for i in stride(from: worker, to: total, by: workers) {
                        let t0 = clock.now
                        try await job(i)
                        mine.append((clock.now - t0).milliseconds)
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await mine in group { all += mine }
            return all
        }
        let seconds = (clock.now - started).seconds
        return Result(seconds: seconds, latencies: latencies, cpu: CPU.sample(server: nil).since(before))
    }
}

// MARK: - The server

/// `onegrid serve` — this very binary — on a free port, in a child process: the server exactly as
/// deployed, stopped with SIGTERM so it shuts down gracefully and closes its database.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let process: Process
    let logPath: String

    private init(port: Int, process: Process, logPath: String) {
        self.port = port
        self.process = process
        self.logPath = logPath
    }

    static func start(database: String) async throws -> ServerProcess {
        let port = try freePort()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-bench-server-\(port).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw BenchError("cannot write \(logPath)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--database", database, "--host", "127.0.0.1", "--port", String(port), "--log-level", "error"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let server = ServerProcess(port: port, process: process, logPath: logPath)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            if let reply = try? await HTTP.send("GET", server.url("/health")), reply.status == 200 { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        let tail = server.logTail()
        try? await server.stop()
        throw BenchError("the server did not answer GET /health on port \(port): \(tail)")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func signIn(_ username: String, postID: Int64? = nil) async throws -> String {
        var body: [String: Any] = ["username": username, "password": DemoCity.password]
        if let postID { body["postID"] = postID }
        let reply = try await HTTP.send("POST", url("/api/v1/session"), json: body)
        guard reply.status == 201, let json = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let token = json["token"] as? String
        else {
            throw BenchError("sign-in as \(username) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
        }
        return token
    }

    /// SIGTERM, then waits (on a thread of its own) for the graceful shutdown; SIGKILL after 30 s.
    func stop() async throws {
        guard process.isRunning else { return }
        process.terminate()
        let process = self.process
        let exited: Bool = await withCheckedContinuation { continuation in
            Thread {
                let deadline = Date().addingTimeInterval(30)
                while process.isRunning, Date() < deadline { usleep(20_000) }
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    continuation.resume(returning: false)
                } else {
                    continuation.resume(returning: true)
                }
            }.start()
        }
        let tail = logTail()
        try? FileManager.default.removeItem(atPath: logPath)
        if !exited { throw BenchError("the server did not stop within 30 s of SIGTERM; killed. \(tail)") }
        if process.terminationStatus != 0 { say("note: the server exited with status \(process.terminationStatus): \(tail)") }
    }

    struct Settle {
        var seconds: Double
        var settled: Bool
    }

    /// Waits until the server idles (under 0.05 cores over 3 s), at most `limit` seconds.
    func settle(limit: Double = 600) async -> Settle {
        let started = Date()
        var window: [CPU.Sample] = [CPU.sample(server: process.processIdentifier)]
        while Date().timeIntervalSince(started) < limit {
            try? await Task.sleep(for: .seconds(1))
            window.append(CPU.sample(server: process.processIdentifier))
            if window.count > 4 { window.removeFirst() }
            if window.count == 4, let use = window.last?.since(window[0]).server, use < 0.05 {
                return Settle(seconds: Date().timeIntervalSince(started), settled: true)
            }
        }
        return Settle(seconds: Date().timeIntervalSince(started), settled: false)
    }

    func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(800))
    }

    /// A port the kernel hands out now; bound and released at once.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BenchError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw BenchError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Progress on stdout, written at once (print's buffer would hold it when piped into a log).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A few plain requests for setup and checks (the load itself is wrk's).
enum HTTP {
    static func send(
        _ method: String, _ url: String, token: String? = nil, json: Any? = nil, rawJSON: String? = nil
    ) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        if let rawJSON {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(rawJSON.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

// MARK: - wrk

enum WrkScripts {
    struct Request {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String?
    }

    /// Reports the run as one JSON line. Latencies are wrk's, in microseconds; every error
    /// class is reported (status counts answers of 400 and above).
    static let done = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            'BENCH_JSON {"requests":%d,"duration":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
            '"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}\\n',
            summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
            latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
            latency.max, latency.mean))
        end
        """

    /// wrk's own fixed request: the URL given on its command line.
    static func plain() -> String { done }

    /// Requests prepared once per thread (in `init`, after wrk set the Host header) and sent in rotation.
    static func requests(_ requests: [Request]) -> String {
        var lua = "local prepared = {}\nlocal counter = 0\ninit = function(args)\n"
        for request in requests {
            let headers = request.headers.sorted { $0.key < $1.key }.map { "[\(luaString($0.key))] = \(luaString($0.value))" }
                .joined(separator: ", ")
            lua += "  prepared[#prepared + 1] = wrk.format(\(luaString(request.method)), \(luaString(request.path)), {\(headers)}, "
            lua += (request.body.map(luaString) ?? "nil") + ")\n"
        }
        lua += "end\nrequest = function()\n  counter = counter + 1\n  return prepared[(counter % #prepared) + 1]\nend\n"
        return lua + done
    }

    static func luaString(_ text: String) -> String {
        var out = "\""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20...0x7e: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\\(byte)"
            }
        }
        return out + "\""
    }
}

struct WrkRun: Decodable, Sendable {
    var label: String = ""
    var connections: Int = 0
    var threads: Int = 0
    var requests: Int
    /// Microseconds.
    var duration: Int
    var bytes: Int
    var connect: Int
    var read: Int
    var write: Int
    var status: Int
    var timeout: Int
    /// Microseconds.
    var p50: Double
    var p90: Double
    var p95: Double
    var p99: Double
    var max: Double
    var mean: Double
    /// Where the CPU went during the run.
    var cpu: CPU.Use?

    enum CodingKeys: String, CodingKey {
        case requests, duration, bytes, connect, read, write, status, timeout, p50, p90, p95, p99, max, mean
    }

    var errors: Int { connect + read + write + status + timeout }
    var isValid: Bool { errors == 0 && requests > 0 }
    var seconds: Double { Double(duration) / 1_000_000 }
    /// Successful answers per second.
    var perSecond: Double { Double(requests - status) / Swift.max(seconds, 0.001) }
    var line: String {
        "\(label): \(f(perSecond, 0))/s, p50 \(f(p50 / 1000)) ms, p95 \(f(p95 / 1000)) ms, p99 \(f(p99 / 1000)) ms, "
            + "\(requests) requests, \(errors) errors" + (cpu.map { ", \($0.text(per: requests - status, unit: "request"))" } ?? "")
    }
    var errorText: String {
        guard errors > 0 else { return "0" }
        return "**\(errors)** (status \(status), connect \(connect), read \(read), write \(write), timeout \(timeout))"
    }
}

enum Wrk {
    static func run(url: String, script: String, seconds: Int, connections: Int, threads: Int, label: String) async throws -> WrkRun {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-bench-\(UUID().uuidString.prefix(8)).lua").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await Shell.run(
            "wrk", ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "5s", "-s", path, url])
        guard let line = result.output.split(separator: "\n").first(where: { $0.hasPrefix("BENCH_JSON ") }) else {
            throw BenchError("wrk gave no summary (status \(result.status)): \(result.output.suffix(500)) \(result.error.suffix(500))")
        }
        var run = try JSONDecoder().decode(WrkRun.self, from: Data(line.dropFirst("BENCH_JSON ".count).utf8))
        run.label = label
        run.connections = connections
        run.threads = threads
        return run
    }
}

/// Subprocesses, waited for on a thread of their own so the cooperative pool (which the
/// in-process server runs on) is never blocked.
enum Shell {
    final class Box: @unchecked Sendable {
        var data = Data()
    }

    static func run(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [program] + arguments
                let output = Pipe()
                let error = Pipe()
                process.standardOutput = output
                process.standardError = error
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                // stderr is drained beside stdout, so neither pipe can fill and stall the child.
                let errorBox = Box()
                let readerDone = DispatchSemaphore(value: 0)
                Thread {
                    errorBox.data = error.fileHandleForReading.readDataToEndOfFile()
                    readerDone.signal()
                }.start()
                let out = output.fileHandleForReading.readDataToEndOfFile()
                readerDone.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errorBox.data, as: UTF8.self)))
            }
            thread.start()
        }
    }

    static func which(_ program: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

// MARK: - The machine

struct Machine {
    var cpuModel = "?"
    var logicalCPUs = 0
    var nproc = "?"
    var cgroupCPU: String?
    var memory = "?"
    var os = "?"
    var kernel = "?"
    var swift = "?"
    var build = "?"
    var date = ""
    var filesystem = "?"
    var wrk = "?"
    var sqliteVersion = "?"
    var loadBefore = ""
    var loadAfter = ""

    static func describe(workDir: String, wrk: String) async -> Machine {
        var machine = Machine()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        machine.cpuModel = field(cpuinfo, "model name", separator: ":") ?? "?"
        machine.logicalCPUs = cpuinfo.split(separator: "\n").filter { $0.hasPrefix("processor") }.count
        machine.nproc = (try? await Shell.run("nproc", []))?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        if let quota = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8) {
            machine.cgroupCPU = quota.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        if let total = field(meminfo, "MemTotal", separator: ":"), let kB = Double(total.split(separator: " ").first ?? "") {
            machine.memory = String(format: "%.1f GiB", kB / 1_048_576)
        }
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        machine.os = field(release, "PRETTY_NAME", separator: "=")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? "?"
        machine.kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let swift = Shell.which("swift") ?? (FileManager.default.isExecutableFile(atPath: "/opt/swift/usr/bin/swift") ? "/opt/swift/usr/bin/swift" : nil),
            let result = try? await Shell.run(swift, ["--version"]), result.status == 0
        {
            machine.swift = (result.output + result.error).split(separator: "\n").first.map(String.init) ?? "?"
        } else {
            #if compiler(>=6.3)
            machine.swift = "Swift 6.3 or later (compile time)"
            #else
            machine.swift = "Swift before 6.3 (compile time)"
            #endif
        }
        #if DEBUG
        machine.build = "debug (figures not representative)"
        #else
        machine.build = "release"
        #endif
        machine.date = Date().formatted(.iso8601)
        machine.filesystem = filesystem(of: workDir)
        if let version = try? await Shell.run(wrk, ["--version"]) {
            let first = (version.output + version.error).split(separator: "\n").first.map(String.init) ?? "?"
            machine.wrk = first.components(separatedBy: " Copyright").first ?? first
        }
        machine.loadBefore = loadAverage()
        return machine
    }

    static func field(_ text: String, _ name: String, separator: Character) -> String? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: separator, maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The mount holding `path`: device and type, since fsync on tmpfs would be free.
    static func filesystem(of path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        var best: (point: String, device: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 3 else { continue }
            let point = String(parts[1])
            let inside = point == "/" || absolute == point || absolute.hasPrefix(point + "/")
            if inside, point.count >= (best?.point.count ?? -1) { best = (point, String(parts[0]), String(parts[2])) }
        }
        guard let best else { return "?" }
        return "\(best.type) (\(best.device) on \(best.point)), work files in \(absolute)"
    }
}

// MARK: - CPU accounting

/// CPU time from /proc: the whole machine (everyone on it, other users included), this process,
/// its reaped children (wrk), and the server process. Differences of two samples say where the
/// CPU went during a run, in cores (CPU seconds per wall second).
enum CPU {
    struct Sample {
        var wall: Double
        var machineBusy: Double
        var own: Double
        var children: Double
        var server: Double?

        func since(_ before: Sample) -> Use {
            let wall = Swift.max(self.wall - before.wall, 0.000_001)
            return Use(
                wall: wall, machineBusy: (machineBusy - before.machineBusy) / wall, own: (own - before.own) / wall,
                wrk: (children - before.children) / wall, server: server.flatMap { now in before.server.map { (now - $0) / wall } })
        }
    }

    /// Average cores busy over a run.
    struct Use {
        var wall: Double
        var machineBusy: Double
        /// This process (the store runs happen here).
        var own: Double
        /// Children reaped during the run: wrk.
        var wrk: Double
        var server: Double?

        /// What one unit of work cost the process that did it, in CPU microseconds.
        func microseconds(per count: Int) -> Double {
            (server ?? own) * wall / Double(Swift.max(count, 1)) * 1_000_000
        }

        func text(per count: Int, unit: String) -> String {
            if let server {
                return "CPU: server \(f(server)) cores (\(f(microseconds(per: count), 0)) µs/\(unit)), wrk \(f(wrk)), machine \(f(machineBusy))"
            }
            return "CPU: \(f(own)) cores (\(f(microseconds(per: count), 0)) µs/\(unit)), machine \(f(machineBusy))"
        }
    }

    static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func sample(server: Int32?) -> Sample {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let own = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let children = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        return Sample(
            wall: Date().timeIntervalSince1970, machineBusy: machineBusy(), own: own, children: children,
            server: server.flatMap(processCPU))
    }

    private static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }

    /// Busy CPU seconds of the whole machine since boot: everything but idle and iowait.
    private static func machineBusy() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return 0 }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 5 else { return 0 }
        // user nice system idle iowait irq softirq steal (guest time is inside user already)
        let busy = fields.prefix(8).enumerated().filter { $0.offset != 3 && $0.offset != 4 }.map(\.element).reduce(0, +)
        return busy / ticks
    }

    /// utime + stime of a process, all its threads.
    private static func processCPU(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based) → 11 and 12 here.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticks
    }
}

// MARK: - Figures and the report

struct StoreRun {
    var database: String
    var mode: String
    var count: Int
    var seconds: Double
    var p50: Double
    var p95: Double
    var p99: Double
    var unit: String
    var latencyOf: String
    var cpu: CPU.Use?

    init(
        database: String, mode: String, count: Int, seconds: Double, latencies: [Double], unit: String, latencyOf: String? = nil,
        cpu: CPU.Use? = nil
    ) {
        self.cpu = cpu
        self.database = database
        self.mode = mode
        self.count = count
        self.seconds = seconds
        let sorted = latencies.sorted()
        p50 = Self.percentile(sorted, 50)
        p95 = Self.percentile(sorted, 95)
        p99 = Self.percentile(sorted, 99)
        self.unit = unit
        self.latencyOf = latencyOf ?? (unit == "rows" ? "transaction" : "submit")
    }

    var perSecond: Double { Double(count) / Swift.max(seconds, 0.000_001) }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
    }

    var line: String {
        "\(mode): \(f(perSecond, 0)) \(unit)/s (\(count) in \(f(seconds)) s), \(latencyOf) p50 \(f(p50)) ms, p99 \(f(p99)) ms"
            + (cpu.map { ", \($0.text(per: count, unit: unit == "rows" ? "row" : "case"))" } ?? "")
    }
}

struct HTTPIntake {
    var database: String
    var run: WrkRun
    var storedCases: Int
}

struct ListQuery {
    var label: String
    var path: String
    var returned: Int
    var bytes: Int
    var run: WrkRun?
}

struct ListFigures {
    var requestedCases: Int
    var databasePath: String?
    var cases = 0
    var reused = false
    var buildSeconds: Double?
    var earlierBuild: Build?

    struct Build: Codable {
        var cases: Int
        var seconds: Double
        var date: String
    }
    var queries: [ListQuery] = []
    var settle: ServerProcess.Settle?
    var single: WrkRun?
    var judged: WrkRun?
    var saturated: WrkRun?
}

struct Report {
    var command = ""
    var invocation: String?
    var options: BenchCommand?
    var machine = Machine()
    var postgresURL: String?
    var postgresSettings: [(String, String)] = []
    var rawSingle: StoreRun?
    var rawBatched: StoreRun?
    var storeSQLite: [StoreRun] = []
    var storePostgres: [StoreRun] = []
    var trivial: WrkRun?
    var intakeSQLite: HTTPIntake?
    var intakePostgres: HTTPIntake?
    var list: ListFigures?
    var sweeps: [SweepFigure] = []
    var failures: [(part: String, error: String)] = []
    var totalSeconds: Double = 0

    // Targets, judged from this run's figures only.
    struct Verdict {
        var target: String
        var measured: String
        var met: Bool?

        var text: String {
            switch met {
            case true?: "met"
            case false?: "**not met**"
            case nil: "not measured"
            }
        }
    }

    var verdicts: [Verdict] {
        var verdicts: [Verdict] = []
        if let trivial, let intake = intakeSQLite?.run, trivial.isValid, intake.isValid {
            let bar = 0.1 * trivial.perSecond
            verdicts.append(
                Verdict(
                    target: "Durable intake over HTTP on SQLite ≥ 0.1 × the trivial endpoint",
                    measured: "\(n(intake.perSecond)) cases/s vs 0.1 × \(n(trivial.perSecond)) = \(n(bar)) req/s (ratio \(f(intake.perSecond / trivial.perSecond, 3)))",
                    met: intake.perSecond >= bar))
        } else {
            verdicts.append(Verdict(target: "Durable intake over HTTP on SQLite ≥ 0.1 × the trivial endpoint", measured: invalidNote(trivial, intakeSQLite?.run), met: nil))
        }
        if let raw = rawSingle, let group = storeSQLite.first {
            verdicts.append(
                Verdict(
                    target: "Store alone (group commit, SQLite) ≥ raw SQLite one row per transaction",
                    measured: "\(n(group.perSecond)) cases/s vs \(n(raw.perSecond)) rows/s (\(f(group.perSecond / raw.perSecond, 1))×)",
                    met: group.perSecond >= raw.perSecond))
        } else {
            verdicts.append(Verdict(target: "Store alone (group commit, SQLite) ≥ raw SQLite one row per transaction", measured: "a part failed", met: nil))
        }
        if let intake = intakeSQLite?.run, intake.isValid {
            verdicts.append(
                Verdict(
                    target: "Intake p99 < 50 ms at that load (SQLite, \(intake.connections) connections)",
                    measured: String(format: "p99 %.2f ms", intake.p99 / 1000), met: intake.p99 < 50_000))
        } else {
            verdicts.append(Verdict(target: "Intake p99 < 50 ms at that load", measured: invalidNote(intakeSQLite?.run), met: nil))
        }
        if let list, let judged = list.judged, judged.isValid {
            verdicts.append(
                Verdict(
                    target: "Filtered case list p95 < 20 ms at \(n(Double(list.cases))) demo cases (\(judged.connections) connections)",
                    measured: "p95 \(f(judged.p95 / 1000)) ms (\(n(judged.perSecond)) req/s)"
                        + (list.single.map { "; one connection alone: p95 \(f($0.p95 / 1000)) ms" } ?? ""),
                    met: judged.p95 < 20_000 && list.cases >= 1_000_000))
        } else {
            verdicts.append(Verdict(target: "Filtered case list p95 < 20 ms at 1,000,000 demo cases", measured: invalidNote(list?.judged), met: nil))
        }
        return verdicts + sweepVerdicts
    }

    private func invalidNote(_ runs: WrkRun?...) -> String {
        for run in runs {
            guard let run else { return "a part failed or was skipped" }
            if !run.isValid { return "run had \(run.errors) errors: no valid figure" }
        }
        return "—"
    }

    func verdictSummary() -> String {
        (["Targets:"] + verdicts.map { "  [\($0.text.replacingOccurrences(of: "*", with: ""))] \($0.target): \($0.measured)" }
            + failures.map { "  FAILED part: \($0.part): \($0.error)" }).joined(separator: "\n")
    }

    func markdown() -> String {
        var md = """
            <!-- Generated by `onegrid bench` (Sources/onegrid/BenchCommand.swift). Do not edit by hand: run scripts/benchmark. -->
            # Performance

            This file is generated: every figure below was measured in one run of `onegrid bench`, and each \
            verdict is computed from the figures of that same run. Run `scripts/benchmark` to measure again.


            """
        md += "## Command\n\n"
        if let invocation { md += "Invoked as `\(invocation)`, which ran:\n\n" }
        md += "```\n\(command)\n```\n\n"
        if let options {
            md += "Settings: \(options.seconds) s measured per HTTP run after \(options.warmup) s of warm-up; wrk -t\(options.threads) -c\(options.connections); "
            md += "\(options.storeCases) store cases through group commit; \(options.rawRows) raw rows and one-per-transaction store cases.\n"
            md += "PostgreSQL: \(postgresURL ?? "not given (skipped)").\n\n"
        }

        md += "## Machine\n\n| | |\n|---|---|\n"
        md += "| CPU | \(machine.cpuModel) |\n"
        md += "| CPUs | \(machine.logicalCPUs) in /proc/cpuinfo, `nproc` \(machine.nproc)\(machine.cgroupCPU.map { ", cgroup cpu.max `\($0)`" } ?? "") |\n"
        md += "| Memory | \(machine.memory) |\n"
        md += "| OS | \(machine.os), kernel \(machine.kernel) |\n"
        md += "| Swift | \(machine.swift) |\n"
        md += "| Build | \(machine.build) |\n"
        md += "| SQLite | \(machine.sqliteVersion), journal_mode=WAL, synchronous=FULL (every commit is fsynced) |\n"
        md += "| Filesystem | \(machine.filesystem) |\n"
        md += "| Load tool | \(machine.wrk) |\n"
        md += "| Date | \(machine.date) |\n"
        md += "| Load average (1/5/15 min) | before \(machine.loadBefore), after \(machine.loadAfter) |\n"
        if !postgresSettings.isEmpty {
            md += "| PostgreSQL | " + postgresSettings.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + " |\n"
        }
        md += "\nThe server, the load tool and (when used) PostgreSQL share these CPUs: wrk's threads take part of what the server could use, "
        md += "equally in every HTTP run, so ratios between runs are fairer than absolute figures.\n\n"

        md += "## Targets\n\n| Target | Measured in this run | Verdict |\n|---|---|---|\n"
        for verdict in verdicts { md += "| \(verdict.target) | \(verdict.measured) | \(verdict.text) |\n" }
        if !failures.isEmpty {
            md += "\nParts that failed in this run (their figures are missing):\n\n"
            for failure in failures {
                let text = failure.error.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "`", with: "'")
                md += "- \(failure.part): `\(text.count > 600 ? text.prefix(600) + " …" : text)`\n"
            }
        }
        md += "\n"

        md += "## Baselines\n\n"
        md += "| Baseline | Throughput | p50 | p95 | p99 | Count | Errors |\n|---|---:|---:|---:|---:|---:|---:|\n"
        if let trivial { md += wrkRow("Trivial Hummingbird endpoint `GET /health` (wrk -t\(trivial.threads) -c\(trivial.connections))", trivial, unit: "req/s") }
        for raw in [rawSingle, rawBatched].compactMap({ $0 }) {
            md += "| \(raw.mode) (latency per \(raw.latencyOf)) | \(n(raw.perSecond)) rows/s | \(ms(raw.p50)) | \(ms(raw.p95)) | \(ms(raw.p99)) | \(raw.count) | 0 |\n"
        }
        md += "\n`GET /health` answers \"ok\" through the same router and middleware as the API, without touching the database. "
        md += "The raw SQLite rows go through SQLiteNIO on a file with the server's pragmas, each in its own `BEGIN IMMEDIATE … COMMIT`.\n\n"

        md += "## Intake over HTTP\n\n"
        md += "`POST /api/v1/cases` as the hotline agent (bearer token), realistic JSON bodies (street-light reports at points inside the grids of the tiny demo city, reporter name and phone), "
        md += "through the real server (`onegrid serve` of this build, in a child process): authentication, validation, locating, routing, the deadline, the group-commit writer, a durable commit, the JSON answer.\n\n"
        md += "| Database | Cases/s | p50 | p90 | p95 | p99 | max | Requests | Errors | Cases stored | vs trivial |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for intake in [intakeSQLite, intakePostgres].compactMap({ $0 }) {
            let r = intake.run
            let ratio = trivial.map { String(format: "%.3f", r.perSecond / $0.perSecond) } ?? "—"
            md += "| \(intake.database) | \(r.isValid ? n(r.perSecond) : "invalid") | \(ms(r.p50 / 1000)) | \(ms(r.p90 / 1000)) | \(ms(r.p95 / 1000)) | \(ms(r.p99 / 1000)) | \(ms(r.max / 1000)) | \(r.requests) | \(r.errorText) | \(intake.storedCases) | \(ratio) |\n"
        }
        md += "\nCases stored counts the warm-up and one probe report too; it is at least the successful requests, and a few more when requests in flight at the end were written but not counted by wrk.\n\n"

        md += "## Store alone\n\n"
        md += "The same drafts intake builds (validated, located, routed, with their deadline) written without HTTP: through `IntakeWriter`, the group commit the server uses, "
        md += "and through `SQLCaseStore.create` with one case per transaction. Latency is per submitted case.\n\n"
        md += "| Database | Mode | Cases/s | p50 | p95 | p99 | Cases | Seconds |\n|---|---|---:|---:|---:|---:|---:|---:|\n"
        for run in storeSQLite + storePostgres {
            md += "| \(run.database) | \(run.mode) | \(n(run.perSecond)) | \(ms(run.p50)) | \(ms(run.p95)) | \(ms(run.p99)) | \(run.count) | \(String(format: "%.2f", run.seconds)) |\n"
        }
        md += "\n"

        if let list {
            md += "## Case list at \(n(Double(list.cases))) demo cases\n\n"
            if list.cases < list.requestedCases {
                md += "**Measured at \(n(Double(list.cases))) cases, fewer than the \(n(Double(list.requestedCases))) asked for.**\n\n"
            }
            if let seconds = list.buildSeconds {
                md += "The full demo city (3 counties, 735 grids) with its cases was built for this run in \(f(seconds, 0)) s "
                    + "(\(n(Double(list.cases) / Swift.max(seconds, 0.001))) cases/s through the demo's bulk writer). "
            } else if list.reused {
                md += "The demo city was reused from \(list.databasePath.map { "`\($0)`" } ?? "an earlier build")"
                if let build = list.earlierBuild {
                    md += ", built by an earlier run on \(build.date) in \(f(build.seconds, 0)) s "
                        + "(\(n(Double(build.cases) / Swift.max(build.seconds, 0.001))) cases/s through the demo's bulk writer)"
                }
                md += ". "
            }
            if let settle = list.settle {
                md += settle.settled
                    ? "The server was started on it and left until idle (\(f(settle.seconds, 0)) s: start-up work such as the first deadline sweep) before measuring. "
                    : "**The server was still busy with start-up work after \(f(settle.seconds, 0)) s; the list was measured beside it.** "
            }
            md += "`GET /api/v1/cases` with bearer tokens of the city's dispatcher (sees every case) and of a town's dispatcher, the queries below in rotation.\n\n"
            md += "| Run | Req/s | p50 | p90 | p95 | p99 | max | Requests | Errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            for run in [list.single, list.judged, list.saturated].compactMap({ $0 }) {
                md += "| \(run.label) | \(run.isValid ? n(run.perSecond) : "invalid") | \(ms(run.p50 / 1000)) | \(ms(run.p90 / 1000)) | \(ms(run.p95 / 1000)) | \(ms(run.p99 / 1000)) | \(ms(run.max / 1000)) | \(run.requests) | \(run.errorText) |\n"
            }
            md += "\nThe target is judged at \(list.judged?.connections ?? 0) connections: dispatchers browsing at once. Under wrk's closed loop at \(options?.connections ?? 0) connections on these CPUs "
            md += "the latency is mostly queueing (connections ÷ throughput), shown for completeness.\n\n"
            md += "Each query alone, 1 connection:\n\n| Query | Path | Cases returned | p50 | p95 | p99 | Req/s |\n|---|---|---:|---:|---:|---:|---:|\n"
            for query in list.queries {
                let r = query.run
                md += "| \(query.label) | `\(query.path)` | \(query.returned) | \(r.map { ms($0.p50 / 1000) } ?? "—") | \(r.map { ms($0.p95 / 1000) } ?? "—") | \(r.map { ms($0.p99 / 1000) } ?? "—") | \(r.map { $0.isValid ? n($0.perSecond) : "invalid" } ?? "—") |\n"
            }
            md += "\n"
        }
        md += cpuSection()
        md += String(format: "The whole run took %.0f s.\n", totalSeconds)
        return md
    }

    /// Every run's CPU: how many cores the process doing the work kept busy, what one unit cost
    /// it, and what else ran (wrk; "others" is everything else on the machine, other users included).
    private func cpuSection() -> String {
        var rows: [(name: String, rate: String, use: CPU.Use, count: Int, unit: String)] = []
        for raw in [rawSingle, rawBatched].compactMap({ $0 }) {
            if let cpu = raw.cpu { rows.append((raw.mode, "\(n(raw.perSecond)) rows/s", cpu, raw.count, "row")) }
        }
        for run in storeSQLite + storePostgres {
            if let cpu = run.cpu { rows.append(("store, \(run.database): \(run.mode)", "\(n(run.perSecond)) cases/s", cpu, run.count, "case")) }
        }
        var http: [(String, WrkRun)] = []
        if let trivial { http.append(("HTTP: GET /health", trivial)) }
        if let intake = intakeSQLite { http.append(("HTTP: intake on SQLite", intake.run)) }
        if let intake = intakePostgres { http.append(("HTTP: intake on PostgreSQL", intake.run)) }
        for run in [list?.single, list?.judged, list?.saturated].compactMap({ $0 }) { http.append(("HTTP: \(run.label)", run)) }
        for (name, run) in http {
            if let cpu = run.cpu { rows.append((name, "\(n(run.perSecond)) req/s", cpu, run.requests - run.status, "request")) }
        }
        guard !rows.isEmpty else { return "" }
        var md = sweepMarkdown + "## Where the CPU went\n\n"
        md += "Average cores busy during each measured run, from /proc (\(machine.logicalCPUs) CPUs in all): the process doing the work "
        md += "(the server for HTTP runs, this process for the store and raw runs), its CPU time per unit of work, wrk, and everything else on the machine "
        md += "(\"others\": PostgreSQL when used, and other users of this machine).\n\n"
        md += "| Run | Throughput | Worker cores | CPU per unit | wrk cores | Others | Machine busy |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for row in rows {
            let worker = row.use.server ?? row.use.own
            let others = Swift.max(0, row.use.machineBusy - worker - row.use.wrk - (row.use.server != nil ? row.use.own : 0))
            md += "| \(row.name) | \(row.rate) | \(f(worker)) | \(f(row.use.microseconds(per: row.count), 0)) µs/\(row.unit) | "
            md += "\(row.use.server != nil ? f(row.use.wrk) : "—") | \(f(others)) | \(f(row.use.machineBusy)) |\n"
        }
        return md + "\n"
    }

    private func wrkRow(_ name: String, _ run: WrkRun, unit: String) -> String {
        "| \(name) | \(run.isValid ? n(run.perSecond) : "invalid") \(unit) | \(ms(run.p50 / 1000)) | \(ms(run.p95 / 1000)) | \(ms(run.p99 / 1000)) | \(run.requests) | \(run.errorText) |\n"
    }

    private func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }

    static func commandLine() -> String {
        CommandLine.arguments.map { argument in
            let masked = masked(argument)
            let safe = masked.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@,+%".contains($0) }
            return safe && !masked.isEmpty ? masked : "'" + masked.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// A URL's password replaced by `***`.
    static func masked(_ text: String) -> String {
        guard text.contains("://"), var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}

/// A number with `digits` decimals.
private func f(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}

/// A count with thousands separators.
private func n(_ value: Double) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.maximumFractionDigits = 0
    return formatter.string(from: NSNumber(value: value.rounded())) ?? String(format: "%.0f", value)
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    var milliseconds: Double { seconds * 1000 }
}
