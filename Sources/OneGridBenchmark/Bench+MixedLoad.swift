import Foundation
import OneGridApplication
import OneGridDemo
import OneGridStore

/// A county's day at once (issue 10): hotline intake, dispatchers browsing their lists, leaders
/// with the command room open, one heavy read and the odd sign-in, all against one server on the
/// full demo city. Each class is measured alone and then beside all the others in the same run,
/// so what the mix costs a class is the difference of two figures taken minutes apart.
enum MixedClass: String, CaseIterable, Sendable {
    /// Hotline agents posting reports as fast as the server takes them (16 connections).
    case intake
    /// Dispatchers opening their lists (16 connections, each reading a page before the next).
    case lists
    /// Leaders with the command room open (8 viewers of the figures it shows, the city's and a
    /// town's, each re-reading after the same pause).
    case commandRoom
    /// One connection running the heaviest reads without pause, as a report or an export would:
    /// the deadline figures (by area and by department), counted from every case of the city; the
    /// city-wide overdue list, a page of 200; a one-character text search, which no index can
    /// narrow; and a month's cases exported as CSV.
    case heavyRead
    /// A sign-in every second, bcrypt and all, timed from this process.
    case signIn

    var title: String {
        switch self {
        case .intake: "intake (hotline bodies)"
        case .lists: "dispatchers' lists"
        case .commandRoom: "command room"
        case .heavyRead: "heavy read"
        case .signIn: "sign-in"
        }
    }
}

/// What one class did in one run. Latencies in milliseconds.
struct ClassRun: Sendable {
    var load: String
    var answered: Int
    var errors: Int
    var seconds: Double
    var p50: Double
    var p95: Double
    var p99: Double
    var max: Double

    init(_ run: WrkRun) {
        load = "wrk -c\(run.connections)"
        answered = run.requests - run.status
        errors = run.errors
        seconds = run.seconds
        p50 = run.p50 / 1000
        p95 = run.p95 / 1000
        p99 = run.p99 / 1000
        max = run.max / 1000
    }

    init(load: String, latencies: [Double], errors: Int, seconds: Double) {
        self.load = load
        let sorted = latencies.sorted()
        answered = latencies.count - errors
        self.errors = errors
        self.seconds = seconds
        p50 = StoreRun.percentile(sorted, 50)
        p95 = StoreRun.percentile(sorted, 95)
        p99 = StoreRun.percentile(sorted, 99)
        max = sorted.last ?? 0
    }

    var perSecond: Double { Double(answered) / Swift.max(seconds, 0.001) }
}

/// One minute of the soak: each class's figures and the server's resident memory at its end.
struct SoakMinute: Sendable {
    var minute: Int
    var runs: [MixedClass: ClassRun]
    var residentMB: Double?

    var errors: Int { runs.values.reduce(0) { $0 + $1.errors } }
}

struct MixedFigures: Sendable {
    var database: String
    var cases: Int
    var thinkMilliseconds: Int
    var alone: [MixedClass: ClassRun] = [:]
    var together: [MixedClass: ClassRun] = [:]
}

/// The mix run for many minutes on one database, a wrk run a minute per class.
struct SoakFigures: Sendable {
    var database: String
    var cases: Int
    var minutes: [SoakMinute] = []
}

/// The people of the mix, signed in before the server starts (their sessions are stored, so the
/// server accepts their tokens), and what each sends.
private struct MixedUsers: Sendable {
    var agent: String
    var bodies: [String]
    var leader: String
    var dispatchers: Dispatchers
}

extension Bench {
    /// Each class alone, then all at once.
    func mixed(on postgresURL: String?) async throws {
        try await withMixedCity(on: postgresURL) { label, cases, load in
            var figures = MixedFigures(database: label, cases: cases, thinkMilliseconds: options.thinkMs)
            for kind in MixedClass.allCases {
                say("\(kind.title) alone on \(label) …")
                figures.alone[kind] = try await load.run([kind], seconds: options.seconds, warmup: options.warmup)[kind]
                say("  " + Self.line(figures.alone[kind]))
            }
            say("all at once on \(label) …")
            figures.together = try await load.run(MixedClass.allCases, seconds: options.seconds, warmup: options.warmup)
            for kind in MixedClass.allCases { say("  \(kind.title): " + Self.line(figures.together[kind])) }
            report.mixed.append(figures)
        }
    }

    /// The whole mix for `--soak-minutes`, measured a minute at a time, with the server's memory.
    func soak(on postgresURL: String?) async throws {
        try await withMixedCity(on: postgresURL) { label, cases, load in
            var figures = SoakFigures(database: label, cases: cases)
            say("soak on \(label): the mix for \(options.soakMinutes) minutes …")
            for minute in 1...options.soakMinutes {
                let runs = try await load.run(MixedClass.allCases, seconds: 60, warmup: 0)
                let soaked = SoakMinute(minute: minute, runs: runs, residentMB: load.server.residentMB())
                figures.minutes.append(soaked)
                say(
                    "  minute \(minute): \(soaked.errors) errors, intake p99 \(f(runs[.intake]?.p99 ?? 0)) ms, "
                        + "lists p99 \(f(runs[.lists]?.p99 ?? 0)) ms, resident \(soaked.residentMB.map { f($0, 0) } ?? "?") MB")
            }
            report.soaks.append(figures)
        }
    }

    /// Builds the full demo city on SQLite or `postgresURL`, signs the mix's people in, starts a
    /// server on it and, once its start-up work is done, hands `body` the load to drive.
    private func withMixedCity(
        on postgresURL: String?, _ body: (_ label: String, _ cases: Int, _ load: MixedLoad) async throws -> Void
    ) async throws {
        let label = postgresURL == nil ? "SQLite" : "PostgreSQL"
        try await withDatabase(postgresURL: postgresURL, what: "mixed") { location in
            say("building the full demo city with \(options.mixedCases) cases on \(label) …")
            let started = Date()
            let (users, cases) = try await OneGridDatabase.using(location, logger: logger) { db in
                let summary = try await DemoCity.build(into: db, size: .full, cases: options.mixedCases)
                let services = try await OneGridServices(database: db, logger: self.logger)
                let agent = try await IntakeSimulator.signIn("hotline", on: services)
                let leader = try await services.sessions.signIn(username: "leader", password: DemoCity.password, postID: nil)
                let dispatchers = try await Dispatchers.signIn(on: db, logger: self.logger)
                let users = MixedUsers(agent: agent.session.token, bodies: try agent.requestBodies(), leader: leader.token, dispatchers: dispatchers)
                return (users, summary.cases)
            }
            say("  built in \(f(Date().timeIntervalSince(started), 0)) s")
            let server = try await ServerProcess.start(options.server, database: location)
            do {
                say("waiting for the server's start-up work to finish …")
                _ = await server.settle()
                let load = MixedLoad(users: users, server: server, thinkMilliseconds: options.thinkMs)
                try await load.check()
                try await body(label, cases, load)
                try await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }

    private static func line(_ run: ClassRun?) -> String {
        guard let run else { return "no figure" }
        return "\(f(run.perSecond, 0))/s, p50 \(f(run.p50)) ms, p95 \(f(run.p95)) ms, p99 \(f(run.p99)) ms, \(run.errors) errors"
    }
}

/// Drives the classes of the mix against one server, each with its own wrk (or, for sign-in,
/// this process), started together and stopped together.
private struct MixedLoad: Sendable {
    let users: MixedUsers
    let server: ServerProcess
    let thinkMilliseconds: Int

    /// Sign-ins are timed one a second: an office signing in at the start of a shift, not a
    /// password-guessing attack (which the throttle refuses).
    static let signInInterval: Duration = .seconds(1)

    private func get(_ path: String, _ token: String) -> WrkScripts.Request {
        WrkScripts.Request(method: "GET", path: path, headers: ["Authorization": "Bearer \(token)"], body: nil)
    }

    /// The heavy read's rotation. The export is of a month that ended a month ago, so it stays the
    /// same size while intake (of today's cases) grows the city through a soak.
    private var heavyPaths: [String] {
        let now = Date()
        let month = "from=\(Bench.day(now.addingTimeInterval(-60 * 86_400)))&to=\(Bench.day(now.addingTimeInterval(-30 * 86_400)))"
        return [
            "/api/v1/figures/deadlines", "/api/v1/cases?overdue=true&limit=200", "/api/v1/figures/deadlines?groupBy=department",
            "/api/v1/cases?q=%E7%81%AF&limit=200", "/api/v1/cases/export?\(month)",
        ]
    }

    /// How long wrk waits for a heavy read: past the server's own read time limit, so a read that
    /// runs out is seen as the server answers it, not as wrk giving up first.
    static let heavyReadTimeout = OneGridDatabase.defaultReadTimeLimit + Wrk.timeout

    private var commandRoomPaths: [String] { ["/api/v1/figures/overview", "/api/v1/figures/overview?area=\(users.dispatchers.townArea)"] }

    /// The wrk of a class: its requests, connections, threads and pause between requests.
    private func wrk(_ kind: MixedClass) -> (requests: [WrkScripts.Request], connections: Int, threads: Int, think: Int)? {
        switch kind {
        case .intake:
            let headers = ["Authorization": "Bearer \(users.agent)", "Content-Type": "application/json"]
            return (users.bodies.map { WrkScripts.Request(method: "POST", path: "/api/v1/cases", headers: headers, body: $0) }, 16, 2, 0)
        case .lists:
            return (users.dispatchers.queries.map { get($0.path, $0.token) }, 16, 2, thinkMilliseconds)
        case .commandRoom:
            return (commandRoomPaths.map { get($0, users.leader) }, 8, 1, thinkMilliseconds)
        case .heavyRead:
            return (heavyPaths.map { get($0, users.leader) }, 1, 1, 0)
        case .signIn:
            return nil
        }
    }

    /// Every request of the mix answers 2xx once before anything is timed.
    func check() async throws {
        for kind in MixedClass.allCases {
            guard let wrk = wrk(kind) else { continue }
            for request in wrk.requests.prefix(8) {
                let token = request.headers["Authorization"].map { String($0.dropFirst("Bearer ".count)) }
                let reply = try await HTTP.send(request.method, server.url(request.path), token: token, rawJSON: request.body)
                guard (200..<300).contains(reply.status) else {
                    throw BenchError("\(kind.title): \(request.method) \(request.path) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
                }
            }
        }
        let signIn = try await signInOnce()
        guard signIn.status == 201 else { throw BenchError("sign-in answered \(signIn.status)") }
    }

    private func signInOnce() async throws -> (status: Int, body: Data) {
        try await HTTP.send("POST", server.url("/api/v1/session"), json: ["username": "village1", "password": DemoCity.password])
    }

    /// Runs `kinds` at once for `seconds` (after `warmup` unmeasured seconds of the same mix).
    func run(_ kinds: [MixedClass], seconds: Int, warmup: Int) async throws -> [MixedClass: ClassRun] {
        if warmup > 0 { _ = try await measure(kinds, seconds: warmup) }
        return try await measure(kinds, seconds: seconds)
    }

    private func measure(_ kinds: [MixedClass], seconds: Int) async throws -> [MixedClass: ClassRun] {
        try await withThrowingTaskGroup(of: (MixedClass, ClassRun).self) { group in
            for kind in kinds {
                group.addTask {
                    guard let wrk = wrk(kind) else { return (kind, await signIns(seconds: seconds)) }
                    let run = try await Wrk.run(
                        url: server.url("/"), script: WrkScripts.requests(wrk.requests, thinkMilliseconds: wrk.think), seconds: seconds,
                        connections: wrk.connections, threads: wrk.threads, label: kind.title,
                        timeout: kind == .heavyRead ? Self.heavyReadTimeout : Wrk.timeout)
                    var figures = ClassRun(run)
                    if wrk.think > 0 { figures.load += ", \(wrk.think) ms pause" }
                    return (kind, figures)
                }
            }
            var runs: [MixedClass: ClassRun] = [:]
            for try await (kind, run) in group { runs[kind] = run }
            return runs
        }
    }

    private func signIns(seconds: Int) async -> ClassRun {
        var latencies: [Double] = []
        var errors = 0
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        while clock.now < end {
            let started = clock.now
            let status = (try? await signInOnce())?.status ?? 0
            let took = clock.now - started
            latencies.append(took.milliseconds)
            if status != 201 { errors += 1 }
            if took < Self.signInInterval { try? await Task.sleep(for: Self.signInInterval - took) }
        }
        return ClassRun(load: "one a second", latencies: latencies, errors: errors, seconds: Double(seconds))
    }
}

extension ServerProcess {
    /// The server's resident memory now (VmRSS of /proc/<pid>/status), in MB.
    func residentMB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return nil }
        return kilobytes / 1024
    }
}

extension Report {
    /// The issue's targets for the mix, judged per database from the run's own figures.
    var mixedVerdicts: [Verdict] {
        mixed.flatMap { figures -> [Verdict] in
            let db = figures.database
            var verdicts: [Verdict] = []
            if let alone = figures.alone[.intake], let together = figures.together[.intake] {
                let share = together.perSecond / Swift.max(alone.perSecond, 0.001)
                verdicts.append(
                    Verdict(
                        target: "Mixed load (\(db)): intake keeps ≥ 70 % of its throughput alone",
                        measured: "\(n(together.perSecond)) vs \(n(alone.perSecond)) cases/s alone (\(f(share * 100, 0)) %)",
                        met: together.errors == 0 ? share >= 0.7 : nil))
                verdicts.append(
                    Verdict(
                        target: "Mixed load (\(db)): intake p99 < 50 ms", measured: "p99 \(f(together.p99)) ms (alone \(f(alone.p99)) ms)",
                        met: together.errors == 0 ? together.p99 < 50 : nil))
            }
            if let lists = figures.together[.lists] {
                verdicts.append(
                    Verdict(
                        target: "Mixed load (\(db)): list p95 < 30 ms", measured: "p95 \(f(lists.p95)) ms (alone \(f(figures.alone[.lists]?.p95 ?? 0)) ms)",
                        met: lists.errors == 0 ? lists.p95 < 30 : nil))
            }
            if let signIn = figures.together[.signIn] {
                verdicts.append(
                    Verdict(
                        target: "Mixed load (\(db)): sign-in p95 < 300 ms", measured: "p95 \(f(signIn.p95)) ms (alone \(f(figures.alone[.signIn]?.p95 ?? 0)) ms)",
                        met: signIn.errors == 0 ? signIn.p95 < 300 : nil))
            }
            return verdicts
        }
    }

    /// The soak's targets: no errors, and memory flat after the first ten minutes.
    var soakVerdicts: [Verdict] {
        soaks.flatMap { figures -> [Verdict] in
            let db = figures.database
            let errors = figures.minutes.reduce(0) { $0 + $1.errors }
            var verdicts = [Verdict(target: "Soak (\(db), \(figures.minutes.count) min): zero errors", measured: "\(errors) errors", met: errors == 0)]
            // Flat after the first ten minutes: no minute after the tenth above the first ten's
            // level by more than 10 %. Their level is their median, not the tenth minute alone:
            // the allocator hands free pages back every 10 s, so one reading may catch a dip
            // (a SQLite soak read 87 MB at minute 10 between 94 and 95 MB in minutes 1–9).
            let early = figures.minutes.filter { $0.minute <= 10 }.compactMap(\.residentMB).sorted()
            let later = figures.minutes.filter { $0.minute > 10 }.compactMap(\.residentMB)
            if figures.minutes.count > 10, !early.isEmpty, let highest = later.max() {
                let base = early[early.count / 2]
                verdicts.append(
                    Verdict(
                        target: "Soak (\(db)): resident memory after minute 10 within 10 % of the first ten minutes' median",
                        measured: "median \(f(base, 0)) MB in minutes 1–10 (\(f(early.first!, 0))–\(f(early.last!, 0))), "
                            + "\(f(later.min() ?? highest, 0))–\(f(highest, 0)) MB after (at most \(f((highest / base - 1) * 100, 1)) % above)",
                        met: highest <= base * 1.1))
            } else {
                verdicts.append(Verdict(target: "Soak (\(db)): resident memory flat after ten minutes", measured: "a soak shorter than ten minutes", met: nil))
            }
            // Steady: the median minute's p99 after the tenth minute within half again of the first ten's.
            for kind in [MixedClass.intake, .lists] {
                func median(_ minutes: [SoakMinute]) -> Double? {
                    let p99s = minutes.compactMap { $0.runs[kind]?.p99 }.sorted()
                    return p99s.isEmpty ? nil : p99s[p99s.count / 2]
                }
                if let early = median(figures.minutes.filter { $0.minute <= 10 }), let late = median(figures.minutes.filter { $0.minute > 10 }) {
                    verdicts.append(
                        Verdict(
                            target: "Soak (\(db)): \(kind.title) p99 steady (the median minute after minute 10 within 1.5 × the first ten's)",
                            measured: "median p99 \(f(early)) ms in minutes 1–10, \(f(late)) ms after", met: late <= early * 1.5))
                }
            }
            return verdicts
        }
    }

    var mixedMarkdown: String {
        // A section per database: runs on each (`--mixed-on`) write one file in turn, each
        // keeping the other's section, stamped with the run that measured it.
        return mixed.map { figures in
            var md = "## Mixed load on \(figures.database), \(n(Double(figures.cases))) demo cases\n\n"
            md += "The classes below run against one server (`onegrid serve`, a child process) on the full demo city, first each alone, then all at once, "
            md += "each run \(options?.seconds ?? 0) s after \(options?.warmup ?? 0) s of the same load unmeasured. "
            md += "Intake posts the hotline agent's street-light reports without pause; the dispatchers (the city's and a town's) rotate through the list queries of the case list section, "
            md += "also most urgent first; the leader's command room reads `/api/v1/figures/overview` (the city's and a town's); "
            md += "the heavy read is one connection, as a report or an export would run, reading without pause the deadline figures `/api/v1/figures/deadlines` by area and by department (the city's, from their running totals per area, report day and department and the open cases past due), "
            md += "the city-wide overdue list and a one-character text search (no index narrows one character: it reads every case, bounded by the read time limit), 200 cases a page, "
            md += "and the CSV export of a month's cases (the month that ended 30 days ago); "
            md += "OneGrid runs the deadline figures and the unindexed search in its reports' lane (one at a time, SQLite's at lower CPU priority), and the export's decoding and formatting on a thread that runs only when the server's others leave time (idle-scheduled). "
            md += "Sign-in is timed from the benchmark, one a second. "
            md += "A pause is the time each list user and viewer waits after an answer before its next request (wrk's `delay`, not counted in latency), "
            md += "drawn for each request between half and one and a half times the figure given, so that the users do not ask in step.\n\n"
            md += "| Class | Load | Alone /s | Alone p50 | Alone p95 | Alone p99 | Together /s | Together p50 | Together p95 | Together p99 | Together max | Errors (alone / together) | Together ÷ alone |\n"
            md += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            for kind in MixedClass.allCases {
                let alone = figures.alone[kind]
                let together = figures.together[kind]
                func cell(_ run: ClassRun?, _ value: (ClassRun) -> String) -> String { run.map(value) ?? "—" }
                md += "| \(kind.title) | \(together?.load ?? alone?.load ?? "—") | \(cell(alone) { n($0.perSecond) }) | \(cell(alone) { ms($0.p50) }) | "
                md += "\(cell(alone) { ms($0.p95) }) | \(cell(alone) { ms($0.p99) }) | \(cell(together) { n($0.perSecond) }) | \(cell(together) { ms($0.p50) }) | "
                md += "\(cell(together) { ms($0.p95) }) | \(cell(together) { ms($0.p99) }) | \(cell(together) { ms($0.max) }) | "
                md += "\(alone.map { String($0.errors) } ?? "—") / \(together.map { String($0.errors) } ?? "—") | "
                md += (alone.flatMap { a in together.map { f($0.perSecond / Swift.max(a.perSecond, 0.001), 2) } } ?? "—") + " |\n"
            }
            md += "\n"
            return md
        }.joined()
    }

    var soakMarkdown: String {
        soaks.map { figures in
            var md = "## Soak on \(figures.database), \(n(Double(figures.cases))) demo cases\n\n"
            md += "The mix of the mixed load section, all classes at once, for \(figures.minutes.count) minutes on its own server and demo city: "
            md += "one wrk run a minute per class; the server's resident memory (VmRSS) at the end of each minute. "
            md += "Intake writes without pause, so the city grows by each minute's intake.\n\n"
            md += "Errors are counted per class, in the order intake / lists / command room / heavy read / sign-in: "
            md += "wrk's socket errors and timeouts (after 5 s; the heavy read's after the server's read time limit and 5 s more) and answers other than 2xx.\n\n"
            md += "| Minute | Errors | Intake /s | Intake p99 | Lists p99 | Command room p99 | Heavy read p99 | Sign-in p99 | Resident MB |\n"
            md += "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            for minute in figures.minutes {
                let r = minute.runs
                let errors = MixedClass.allCases.map { r[$0].map { String($0.errors) } ?? "—" }.joined(separator: " / ")
                md += "| \(minute.minute) | \(errors) | \(r[.intake].map { n($0.perSecond) } ?? "—") | \(r[.intake].map { ms($0.p99) } ?? "—") | "
                md += "\(r[.lists].map { ms($0.p99) } ?? "—") | \(r[.commandRoom].map { ms($0.p99) } ?? "—") | \(r[.heavyRead].map { ms($0.p99) } ?? "—") | "
                md += "\(r[.signIn].map { ms($0.p99) } ?? "—") | \(minute.residentMB.map { f($0, 0) } ?? "—") |\n"
            }
            return md + "\n"
        }.joined()
    }
}
