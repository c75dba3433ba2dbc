import Foundation
import OneGridDemo
import OneGridDomain
import OneGridScratch
import OneGridStore

/// The speed targets of the centres' screens (issue 9) on a real `onegrid serve` over the full
/// demo city of `--pages-cases` cases, built as an operator builds it (`onegrid demo`): the
/// command room's figures, a case page, the queue, a step's live event, and page weight.
struct PagesFigures {
    enum Target { case figures, casePage, queue }

    struct Run {
        /// The target this run is judged against; nil for the runs shown beside it.
        var target: Target?
        var path: String
        var run: WrkRun
    }

    struct Live {
        var steps: Int
        var missed: Int
        /// Milliseconds from sending the step to its event on the stream.
        var event: StoreRun
        /// Milliseconds from sending the step to its answer.
        var answer: StoreRun
    }

    struct Weight {
        var page: String
        var path: String
        var htmlBytes: Int
        var assets: [(path: String, bytes: Int)]
        var total: Int { htmlBytes + assets.reduce(0) { $0 + $1.bytes } }
    }

    var database: String
    var cases = 0
    /// How the demo was built: in this run, or by an earlier run that kept it.
    var build: ListFigures.Build?
    var builtNow = false
    var settle: ServerProcess.Settle?
    var runs: [Run] = []
    var live: Live?
    var weights: [Weight] = []

    /// The issue's targets are set at this many cases; a smaller run is reported, not judged.
    static let targetSize = 10_000_000
    static let weightLimit = 200_000
    static let limits: [Target: Double] = [.figures: 100, .casePage: 20, .queue: 20]
}

extension Bench {
    func pages(on postgresURL: String?) async throws {
        guard Shell.which("curl") != nil else {
            throw BenchError("curl is not on the PATH: the pages are signed into and weighed with it (apt-get install -y curl)")
        }
        let database = postgresURL == nil ? "SQLite" : "PostgreSQL"
        var figures = PagesFigures(database: database)
        if let postgresURL, let kept = options.pagesDatabase, let name = options.pagesPostgresDatabase {
            // A kept copy: a 10,000,000-case city takes about an hour to copy.
            let record = URL(fileURLWithPath: "\(kept).\(name).build.json")
            let location: String
            if let build = try? JSONDecoder().decode(ListFigures.Build.self, from: Data(contentsOf: record)) {
                location = ScratchDatabase.location(of: name, on: postgresURL)
                say("reusing the database \(name), copied from \(kept) on \(build.date)")
                figures.build = build
            } else {
                guard FileManager.default.fileExists(atPath: kept) else {
                    throw BenchError("--pages-postgres-database copies the city of --pages-database, and \(kept) does not exist")
                }
                location = try await ScratchDatabase.emptyKeptDatabase(name, on: postgresURL)
                figures.build = try await copyDemo(from: kept, to: location)
                figures.builtNow = true
                try JSONEncoder().encode(figures.build).write(to: record)
            }
            figures = try await measurePages(at: location, figures)
        } else if let postgresURL {
            // A scratch database on the server for this run: the kept SQLite city copied into it
            // when there is one (the same city, four times faster than building it again there).
            figures = try await withDatabase(postgresURL: postgresURL, what: "pages") { location in
                let build =
                    if let kept = options.pagesDatabase, FileManager.default.fileExists(atPath: kept) {
                        try await copyDemo(from: kept, to: location)
                    } else {
                        try await buildDemo(at: location)
                    }
                return try await measurePages(at: location, PagesFigures(database: database, build: build, builtNow: true))
            }
        } else if let kept = options.pagesDatabase {
            if FileManager.default.fileExists(atPath: kept) {
                say("reusing \(kept)")
                figures.build = try? JSONDecoder().decode(
                    ListFigures.Build.self, from: Data(contentsOf: URL(fileURLWithPath: kept + ".build.json")))
            } else {
                figures.build = try await buildDemo(at: kept)
                figures.builtNow = true
                // Kept beside the file, so a run that reuses it can say what building it took.
                try? JSONEncoder().encode(figures.build).write(to: URL(fileURLWithPath: kept + ".build.json"))
            }
            figures = try await measurePages(at: kept, figures)
        } else {
            figures = try await withDatabase(postgresURL: nil, what: "pages-\(options.pagesCases)") { location in
                try await measurePages(at: location, PagesFigures(database: database, build: try await buildDemo(at: location), builtNow: true))
            }
        }
        report.pages.append(figures)
    }

    /// `onegrid demo --cases N`, timed; its progress shows on this terminal. A half-built SQLite
    /// file is removed, so the next run does not reuse it.
    private func buildDemo(at location: String) async throws -> ListFigures.Build {
        let cases = options.pagesCases
        say("onegrid demo --database \(Report.masked(location)) --cases \(cases) …")
        let started = Date()
        let status = try await Shell.runShowingOutput(options.server, ["demo", "--database", location, "--cases", String(cases)])
        guard status == 0 else {
            if !location.contains("://") { ScratchDatabase.removeSQLite(location) }
            throw BenchError("onegrid demo exited with status \(status)")
        }
        let seconds = Date().timeIntervalSince(started)
        say("built in \(f(seconds, 0)) s (\(n(Double(cases) / max(seconds, 0.001))) cases/s)")
        return ListFigures.Build(cases: cases, seconds: seconds, date: Date().formatted(.iso8601))
    }

    /// `onegrid copy-database` from the kept SQLite city, timed.
    private func copyDemo(from file: String, to location: String) async throws -> ListFigures.Build {
        say("onegrid copy-database --from \(file) --to \(Report.masked(location)) …")
        let started = Date()
        let status = try await Shell.runShowingOutput(options.server, ["copy-database", "--from", file, "--to", location])
        guard status == 0 else { throw BenchError("onegrid copy-database exited with status \(status)") }
        let seconds = Date().timeIntervalSince(started)
        say("copied in \(f(seconds, 0)) s")
        return ListFigures.Build(cases: options.pagesCases, seconds: seconds, date: Date().formatted(.iso8601), copiedFrom: file)
    }

    private func measurePages(at location: String, _ figures: PagesFigures) async throws -> PagesFigures {
        var figures = figures
        figures.cases = try await OneGridDatabase.using(location, logger: logger) { try await Self.count("cases", in: $0) }
        let server = try await ServerProcess.start(options.server, database: location)
        do {
            say("waiting for the server's start-up work to finish …")
            figures.settle = await server.settle()
            let site = PagesSite(server: server)
            try await figuresRuns(site, into: &figures)
            try await casePageRuns(site, into: &figures)
            try await queueRuns(site, into: &figures)
            figures.live = try await liveSteps(site)
            figures.weights = try await weighPages(site)
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
        return figures
    }

    /// The command room's figures: the city's as its leader reads them (judged), then a county's
    /// and a town's.
    private func figuresRuns(_ site: PagesSite, into figures: inout PagesFigures) async throws {
        let leader = try await site.token("leader")
        let townLeader = try await site.token("leader.town1")
        let city = try await site.json("/api/v1/figures/overview", token: leader)
        guard let county = ((city["children"] as? [[String: Any]])?.first?["area"] as? [String: Any])?["id"] as? Int else {
            throw BenchError("the city's overview names no county: \(city.keys.sorted())")
        }
        let runs: [(String, String, String, PagesFigures.Target?)] = [
            ("city leader: the city's figures", "/api/v1/figures/overview", leader, .figures),
            ("city leader: a county's figures", "/api/v1/figures/overview?area=\(county)", leader, nil),
            ("town leader: the town's figures", "/api/v1/figures/overview", townLeader, nil),
        ]
        for (label, path, token, target) in runs {
            figures.runs += try await judgedRuns(label, target, site, [PagesSite.bearer(path, token)])
        }
    }

    /// A case page and the same case through the API, for random cases the city's dispatcher sees.
    private func casePageRuns(_ site: PagesSite, into figures: inout PagesFigures) async throws {
        let token = try await site.token("city")
        let cookie = try await site.cookie("city")
        let newest = try await site.json("/api/v1/cases?limit=1", token: token)
        guard let last = ((newest["cases"] as? [[String: Any]])?.first?["id"] as? Int).map(Int64.init) else {
            throw BenchError("the demo city has no cases")
        }
        // Seeded: every run (and each database) asks for the same cases.
        var random = SeededGenerator(seed: 9)
        var ids: [Int64] = []
        for _ in 0..<300 {
            let id = Int64.random(in: 1...last, using: &random)
            if try await HTTP.send("GET", site.server.url("/api/v1/cases/\(id)"), token: token).status == 200 { ids.append(id) }
        }
        guard !ids.isEmpty else { throw BenchError("none of 300 random case ids up to \(last) answered 200") }
        site.casePath = "/cases/\(ids[0])"
        figures.runs += try await judgedRuns(
            "city dispatcher: case page, \(ids.count) random cases", .casePage, site, ids.map { PagesSite.page("/cases/\($0)", cookie) })
        figures.runs.append(
            try await viewersRun("city dispatcher: the case as JSON", nil, site, ids.map { PagesSite.bearer("/api/v1/cases/\($0)", token) }))
    }

    /// The queue page (judged) and the API's list with the same statuses, for the city's and a
    /// town's dispatcher.
    private func queueRuns(_ site: PagesSite, into figures: inout PagesFigures) async throws {
        let api = "/api/v1/cases?status=reported,accepted,handled&limit=50"
        for user in ["city", "town1"] {
            let cookie = try await site.cookie(user)
            let token = try await site.token(user)
            figures.runs += try await judgedRuns("\(user) dispatcher: queue page", .queue, site, [PagesSite.page("/queue", cookie)])
            figures.runs.append(try await viewersRun("\(user) dispatcher: queue as JSON", nil, site, [PagesSite.bearer(api, token)]))
        }
    }

    /// A judged request at `--viewers` connections, then at one: under load the p95 is mostly
    /// the wait for a core (8 viewers on 2 cores), alone it is the server's own time per request.
    private func judgedRuns(
        _ label: String, _ target: PagesFigures.Target?, _ site: PagesSite, _ requests: [WrkScripts.Request]
    ) async throws -> [PagesFigures.Run] {
        var runs = [try await viewersRun(label, target, site, requests)]
        if options.viewers > 1 { runs.append(try await viewersRun(label + ", one viewer", target, site, requests, viewers: 1)) }
        return runs
    }

    /// One wrk run at `viewers` connections (`--viewers` unless given), its first request checked
    /// to answer 200 first.
    private func viewersRun(
        _ label: String, _ target: PagesFigures.Target?, _ site: PagesSite, _ requests: [WrkScripts.Request], viewers: Int? = nil
    ) async throws -> PagesFigures.Run {
        let first = requests[0]
        let probe = try await site.get(first.path, headers: first.headers)
        guard probe.status == 200 else { throw BenchError("GET \(first.path) answered \(probe.status) before the \(label) run") }
        say("\(label) …")
        let run = try await load(
            site.server.url(first.path), server: site.server, script: WrkScripts.requests(requests), label: label,
            connections: viewers ?? options.viewers, threads: min(options.threads, viewers ?? options.viewers))
        return PagesFigures.Run(target: target, path: first.path, run: run)
    }

    /// Steps (urges, which the city's dispatcher may send to any open case) one after another,
    /// each timed from sending it to its case id arriving on a live stream subscribed before.
    private func liveSteps(_ site: PagesSite) async throws -> PagesFigures.Live {
        let token = try await site.token("city")
        var ids: [Int64] = []
        var cursor: String?
        repeat {
            let page = try await site.json(
                "/api/v1/cases?status=reported,accepted,assigned,inProgress&limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            ids += ((page["cases"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? Int).map(Int64.init) }
            cursor = page["nextCursor"] as? String
        } while ids.count < options.liveSteps && cursor != nil
        guard !ids.isEmpty else { throw BenchError("the demo city has no open case to step") }

        let tap = try EventTap(url: site.server.url("/api/v1/live/cases"), token: token)
        defer { tap.close() }
        guard await tap.waitConnected(within: .seconds(10)) else { throw BenchError("the live stream did not open within 10 s") }
        say("live: \(options.liveSteps) steps, each until its event arrives …")
        var events: [Double] = []
        var answers: [Double] = []
        var missed = 0
        let started = ContinuousClock.now
        for step in 0..<options.liveSteps {
            let id = ids[step % ids.count]
            tap.forget(id)
            let sent = ContinuousClock.now
            let reply = try await HTTP.send(
                "POST", site.server.url("/api/v1/cases/\(id)/actions"), token: token, json: ["action": "urge", "note": "benchmark"])
            guard reply.status == 200 else {
                throw BenchError("urging case \(id) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
            }
            answers.append((ContinuousClock.now - sent).milliseconds)
            if let arrived = await tap.arrival(of: id, within: .seconds(5)) {
                events.append((arrived - sent).milliseconds)
            } else {
                missed += 1
            }
        }
        let seconds = (ContinuousClock.now - started).seconds
        let live = PagesFigures.Live(
            steps: options.liveSteps, missed: missed,
            event: StoreRun(database: "", mode: "event", count: events.count, seconds: seconds, latencies: events, unit: "steps"),
            answer: StoreRun(database: "", mode: "answer", count: answers.count, seconds: seconds, latencies: answers, unit: "steps"))
        say("  event p50 \(f(live.event.p50)) ms, p99 \(f(live.event.p99)) ms; step answered p50 \(f(live.answer.p50)) ms; \(missed) missed")
        return live
    }

    /// Each main page's HTML and every asset it references (`src`, `<link href>`, and `url()` in
    /// its style sheets), uncompressed, as its role sees it.
    private func weighPages(_ site: PagesSite) async throws -> [PagesFigures.Weight] {
        let pages: [(String, String, String?)] = [
            ("sign-in", "/signin", nil), ("queue", "/queue", "city"), ("case page", site.casePath, "city"),
            ("command room", "/command-room", "leader"), ("intake", "/intake", "window1"), ("administration home", "/administration", "admin"),
        ]
        var weights: [PagesFigures.Weight] = []
        for (name, path, user) in pages {
            var headers: [String: String] = [:]
            if let user { headers["Cookie"] = try await site.cookie(user) }
            let page = try await site.get(path, headers: headers)
            guard page.status == 200 else { throw BenchError("GET \(path) as \(user ?? "a visitor") answered \(page.status)") }
            var weight = PagesFigures.Weight(page: name, path: path, htmlBytes: page.bytes, assets: [])
            var pending = PagesSite.assets(in: page.body, tags: true)
            var seen = Set<String>()
            while let asset = pending.popLast() {
                guard seen.insert(asset).inserted else { continue }
                let fetched = try await site.get(asset, headers: headers)
                guard fetched.status == 200 else { throw BenchError("\(path) references \(asset), which answered \(fetched.status)") }
                weight.assets.append((asset, fetched.bytes))
                if asset.hasSuffix(".css") { pending += PagesSite.assets(in: fetched.body, tags: false) }
            }
            say("  \(name): \(n(Double(weight.total))) bytes (\(weight.assets.count) assets)")
            weights.append(weight)
        }
        return weights
    }
}

/// The server as a browser and an API client see it: bearer tokens from `POST /api/v1/session`,
/// session cookies from the sign-in form, each got once per user.
final class PagesSite: @unchecked Sendable {
    let server: ServerProcess
    /// A case page, for weighing: one of the random cases of the case page run.
    var casePath = "/cases/1"
    private var tokens: [String: String] = [:]
    private var cookies: [String: String] = [:]

    init(server: ServerProcess) { self.server = server }

    static func bearer(_ path: String, _ token: String) -> WrkScripts.Request {
        WrkScripts.Request(method: "GET", path: path, headers: ["Authorization": "Bearer \(token)"], body: nil)
    }

    static func page(_ path: String, _ cookie: String) -> WrkScripts.Request {
        WrkScripts.Request(method: "GET", path: path, headers: ["Cookie": cookie], body: nil)
    }

    func token(_ username: String) async throws -> String {
        if let token = tokens[username] { return token }
        let reply = try await HTTP.send(
            "POST", server.url("/api/v1/session"), json: ["username": username, "password": DemoCity.password])
        guard reply.status == 200 || reply.status == 201,
            let token = (try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any])?["token"] as? String
        else { throw BenchError("signing in as \(username) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))") }
        tokens[username] = token
        return token
    }

    func json(_ path: String, token: String) async throws -> [String: Any] {
        let reply = try await HTTP.send("GET", server.url(path), token: token)
        guard reply.status == 200, let json = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any] else {
            throw BenchError("GET \(path) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
        }
        return json
    }

    /// Signs in through the form as a browser does: the sign-in page sets the form-token cookie
    /// and carries the token in its form, which is posted back; the answer sets the session cookie.
    func cookie(_ username: String) async throws -> String {
        if let cookie = cookies[username] { return cookie }
        let jar = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-bench-\(UUID().uuidString.prefix(8)).cookies").path
        defer { try? FileManager.default.removeItem(atPath: jar) }
        let form = try await Shell.run("curl", ["-sS", "-c", jar, "-b", jar, server.url("/signin")])
        guard let range = form.output.range(of: #"name="_csrf" value="[0-9a-f]{64}""#, options: .regularExpression) else {
            throw BenchError("the sign-in page carries no form token: \(form.output.prefix(300)) \(form.error)")
        }
        let formToken = String(form.output[range].dropLast().suffix(64))
        let posted = try await Shell.run(
            "curl",
            ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-c", jar, "-b", jar, "--data-urlencode", "username=\(username)",
             "--data-urlencode", "password=\(DemoCity.password)", "--data-urlencode", "_csrf=\(formToken)", server.url("/signin")])
        // Netscape cookie file: name and value are the last two of seven tab-separated fields.
        let lines = ((try? String(contentsOfFile: jar, encoding: .utf8)) ?? "").split(separator: "\n")
        let pairs = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false) }.filter { $0.count == 7 }.map { "\($0[5])=\($0[6])" }
        guard pairs.contains(where: { $0.hasPrefix("og_session=") }) else {
            throw BenchError("signing in as \(username) through /signin (answer \(posted.output)) set no session cookie")
        }
        let cookie = pairs.sorted().joined(separator: "; ")
        cookies[username] = cookie
        return cookie
    }

    /// A GET with curl: the status, the body as text, and its size in bytes as sent.
    func get(_ path: String, headers: [String: String]) async throws -> (status: Int, body: String, bytes: Int) {
        let marker = "\nONEGRID_BENCH_CURL "
        let result = try await Shell.run(
            "curl", ["-sS", "-w", marker + "%{http_code} %{size_download}"] + headers.flatMap { ["-H", "\($0.key): \($0.value)"] } + [server.url(path)])
        guard let cut = result.output.range(of: marker, options: .backwards) else {
            throw BenchError("curl GET \(path) failed: \(result.error.prefix(300))")
        }
        let numbers = result.output[cut.upperBound...].split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 2 else { throw BenchError("curl GET \(path): unreadable summary \(result.output[cut.upperBound...])") }
        return (numbers[0], String(result.output[..<cut.lowerBound]), numbers[1])
    }

    /// The local paths a page (`tags`: its `src` attributes and `<link href>`) or a style sheet
    /// (its `url()`s) loads; a link to another page is not part of this one's weight.
    static func assets(in text: String, tags: Bool) -> [String] {
        let patterns =
            tags ? [#"src="([^"]+)""#, #"<link[^>]*href="([^"]+)""#] : [#"url\(\s*['"]?([^'")]+)['"]?\s*\)"#]
        var found: [String] = []
        for pattern in patterns {
            let expression = try! NSRegularExpression(pattern: pattern)
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let path = text[range].replacingOccurrences(of: "&amp;", with: "&")
                if path.hasPrefix("/"), !path.hasPrefix("//") { found.append(path) }
            }
        }
        return found
    }
}

/// A subscriber to the live stream: curl holds the connection (-N: unbuffered) and a thread
/// reads what arrives, noting when each case id first came.
final class EventTap: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var arrivals: [Int64: ContinuousClock.Instant] = [:]
    private var connected = false

    init(url: String, token: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-sSN", "-H", "Authorization: Bearer \(token)", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        Thread { [self] in
            var pending = Data()
            while case let chunk = handle.availableData, !chunk.isEmpty {
                let now = ContinuousClock.now
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    read(String(decoding: pending[..<newline], as: UTF8.self), at: now)
                    pending.removeSubrange(...newline)
                }
            }
        }.start()
    }

    private func read(_ line: String, at now: ContinuousClock.Instant) {
        lock.withLock {
            if line.hasPrefix(": connected") { connected = true }
            guard line.hasPrefix("data:"),
                let cases = (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).utf8)) as? [String: Any])?["cases"] as? [Int]
            else { return }
            for id in cases where arrivals[Int64(id)] == nil { arrivals[Int64(id)] = now }
        }
    }

    func forget(_ id: Int64) { _ = lock.withLock { arrivals.removeValue(forKey: id) } }

    func waitConnected(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if lock.withLock({ connected }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// When the case's id arrived, polled each millisecond; nil if not within `limit`.
    func arrival(of id: Int64, within limit: Duration) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let arrived = lock.withLock({ arrivals[id] }) { return arrived }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return nil
    }

    func close() {
        if process.isRunning { process.terminate() }
    }
}

extension Shell {
    /// Runs a program with this process's terminal as its output, so its progress shows; waited
    /// for on a thread of its own.
    static func runShowingOutput(_ executable: String, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }.start()
        }
    }
}

extension Report {
    var pagesVerdicts: [Verdict] {
        var verdicts: [Verdict] = []
        for pages in pages {
            let size = "\(n(Double(pages.cases))) cases"
            let notJudged = pages.cases >= PagesFigures.targetSize ? "" : " (not judged at 10M)"
            let judged = pages.cases >= PagesFigures.targetSize
            let names: [(PagesFigures.Target, String)] = [
                (.figures, "Command room figures, the city's (`GET /api/v1/figures/overview`)"), (.casePage, "Case page (`GET /cases/{id}`)"),
                (.queue, "Queue page (`GET /queue`)"),
            ]
            // Each target twice: under the viewers' load, and one viewer at a time.
            // A part that failed leaves no run: it is still named, as failed.
            let loads = Set(pages.runs.map(\.run.connections)).sorted(by: >)
            for (target, name) in names {
                for connections in loads.isEmpty ? [0] : loads {
                    let limit = PagesFigures.limits[target]!
                    let runs = pages.runs.filter { $0.target == target && $0.run.connections == connections }.map(\.run)
                    let viewers = connections == 1 ? "one viewer at a time" : "\(connections) viewers"
                    let title = "\(name) p95 < \(f(limit, 0)) ms at 10,000,000 cases (\(pages.database), \(viewers))"
                    guard !runs.isEmpty, runs.allSatisfy(\.isValid) else {
                        verdicts.append(Verdict(target: title, measured: invalidRuns(runs), met: nil))
                        continue
                    }
                    verdicts.append(
                        Verdict(
                            target: title,
                            measured: runs.map { "\($0.label): p95 \(f($0.p95 / 1000)) ms" }.joined(separator: "; ") + " at \(size)" + notJudged,
                            met: judged ? runs.allSatisfy { $0.p95 / 1000 < limit } : nil))
                }
            }
            let liveTitle = "A step shows on a subscribed live stream within 1 s, p99 at 10,000,000 cases (\(pages.database))"
            if let live = pages.live {
                verdicts.append(
                    Verdict(
                        target: liveTitle,
                        measured: "p50 \(f(live.event.p50)) ms, p99 \(f(live.event.p99)) ms over \(live.steps) steps, \(live.missed) missed, at \(size)"
                            + notJudged,
                        // A step whose event never came fails at any size; the time is judged at the target's.
                        met: live.missed > 0 ? false : judged ? live.event.p99 < 1000 : nil))
            } else {
                verdicts.append(Verdict(target: liveTitle, measured: "a part failed", met: nil))
            }
            if let heaviest = pages.weights.max(by: { $0.total < $1.total }) {
                verdicts.append(
                    Verdict(
                        target: "Each main page with all its assets < 200 KB (\(pages.database))",
                        measured: "heaviest: \(heaviest.page) \(n(Double(heaviest.total))) bytes, at \(size) (each page shows a bounded number of rows: judged at any size)",
                        met: heaviest.total < PagesFigures.weightLimit))
            }
        }
        return verdicts
    }

    private func invalidRuns(_ runs: [WrkRun]) -> String {
        runs.isEmpty ? "a part failed" : runs.filter { !$0.isValid }.map { "\($0.label): \($0.errors) errors, no valid figure" }.joined(separator: "; ")
    }

    /// A section per database: runs on each (`--mixed-on`) write one file in turn, each keeping
    /// the other's section, stamped with the run that measured it. A 10,000,000-case city on
    /// SQLite and its copy on PostgreSQL need more disk than one machine may have at once.
    var pagesMarkdown: String {
        pages.map(pagesSection).joined()
    }

    private func pagesSection(_ pages: PagesFigures) -> String {
        let size = pages.cases
        var md = "## Pages, figures and live updates at \(n(Double(size))) demo cases on \(pages.database)\n\n"
        if size < PagesFigures.targetSize {
            md += "**Measured at \(n(Double(size))) cases, below the 10,000,000 the issue's targets are set at: latencies are reported, not judged at 10M.**\n\n"
        }
        md += "The full demo city built by `onegrid demo --cases N` (its two years of cases, then the category proposal trained on 100,000 of them), "
        md += "served by `onegrid serve` in a child process, left until idle after start-up; every request signed in as the role it is for: "
        md += "API requests with a bearer token from `POST /api/v1/session`, pages with the session cookie the sign-in form sets (form token included). "
        md += "Latencies are wrk's at \(options?.viewers ?? 0) connections (viewers at once), on loopback, so they are the server's time plus a little.\n\n"
        if let build = pages.build {
            let rate = n(Double(build.cases) / max(build.seconds, 0.001))
            if build.copiedFrom != nil {
                md += "The SQLite city copied in by `onegrid copy-database` in \(f(build.seconds, 0)) s "
                md += "(\(rate) cases/s with their timelines, figures and text search)"
            } else {
                md += "`onegrid demo` \(pages.builtNow ? "built it in this run" : "built it in an earlier run (\(build.date))") "
                md += "in \(f(build.seconds, 0)) s: \(rate) cases/s"
            }
            md += pages.settle.map { $0.settled ? "; the server idled \(f($0.seconds, 0)) s after start" : "; **the server was still busy \(f($0.seconds, 0)) s after start**" } ?? ""
            md += ".\n"
        } else {
            md += "An SQLite file built by an earlier run, its build time not recorded.\n"
        }
        md += "\n| Request | Target | Req/s | p50 | p95 | p99 | max | Requests | Errors |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for entry in pages.runs {
            let r = entry.run
            let target = entry.target.flatMap { PagesFigures.limits[$0] }.map { "p95 < \(f($0, 0)) ms" } ?? "—"
            md += "| \(r.label): `\(entry.path)` | \(target) | \(r.isValid ? n(r.perSecond) : "invalid") | "
            md += [r.p50, r.p95, r.p99, r.max].map { f($0 / 1000) + " ms" }.joined(separator: " | ") + " | \(r.requests) | \(r.errorText) |\n"
        }
        if let live = pages.live {
            md += "\nLive: steps (`POST /api/v1/cases/{id}/actions`, an urge by the city's dispatcher) one after another on open cases, "
            md += "each timed from sending it to its case id arriving on a `GET /api/v1/live/cases` stream subscribed before (target: within 1 s).\n\n"
            md += "| Steps | Step answered p50 | Event p50 | p95 | p99 | Missed (none in 5 s) |\n|---:|---:|---:|---:|---:|---:|\n"
            md += "| \(live.steps) | \(f(live.answer.p50)) ms | \(f(live.event.p50)) ms | \(f(live.event.p95)) ms | \(f(live.event.p99)) ms | \(live.missed) |\n"
        }
        md += "\nPage weight: the HTML as each page's role gets it plus every asset it references (`src`, `<link href>`, and the `url()`s of its style sheets), "
        md += "uncompressed bytes (target: under 200 KB = 200,000 bytes before photos).\n\n"
        md += "| Page | Path | HTML | Assets | Total |\n|---|---|---:|---|---:|\n"
        for weight in pages.weights {
            let assets = weight.assets.map { "`\($0.path)` \(n(Double($0.bytes)))" }.joined(separator: ", ")
            md += "| \(weight.page) | `\(weight.path)` | \(n(Double(weight.htmlBytes))) | \(assets.isEmpty ? "—" : assets) | \(n(Double(weight.total))) |\n"
        }
        return md + "\n"
    }
}
