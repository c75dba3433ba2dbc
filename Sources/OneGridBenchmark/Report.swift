import Foundation

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
        /// Set when PostgreSQL's city was copied from this SQLite file (`onegrid copy-database`)
        /// rather than built by `onegrid demo`.
        var copiedFrom: String?
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
    var residents: [ResidentFigures] = []
    var imports: [ImportFigures] = []
    var pages: [PagesFigures] = []
    var mixed: [MixedFigures] = []
    var soaks: [SoakFigures] = []
    var export: ExportFigures?
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
            case nil: "not judged"
            }
        }
    }

    /// Whether `part` ran (or every part, for a report made without options).
    func ran(_ part: BenchPart) -> Bool { options?.runs(part) ?? true }

    var verdicts: [Verdict] {
        var verdicts: [Verdict] = []
        // The intake targets compare the three parts with one another: judged only when all three ran.
        if ran(.http) && ran(.raw) && ran(.store) { verdicts += intakeVerdicts }
        if ran(.list) { verdicts += listVerdicts }
        return verdicts + sweepVerdicts + mixedVerdicts + soakVerdicts + pagesVerdicts + residentVerdicts + importVerdicts + exportVerdicts
    }

    private var intakeVerdicts: [Verdict] {
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
        return verdicts
    }

    private var listVerdicts: [Verdict] {
        var verdicts: [Verdict] = []
        if let list, let judged = list.judged, judged.isValid {
            verdicts.append(
                Verdict(
                    target: "Filtered case list p95 < 20 ms at \(n(Double(list.cases))) demo cases (\(judged.connections) connections)",
                    measured: "p95 \(f(judged.p95 / 1000)) ms (\(n(judged.perSecond)) req/s)"
                        + (list.single.map { "; one connection alone: p95 \(f($0.p95 / 1000)) ms" } ?? "")
                        + Self.belowTargetSize(list.cases),
                    met: list.cases >= Self.targetSize ? judged.p95 < 20_000 : nil))
        } else {
            verdicts.append(Verdict(target: "Filtered case list p95 < 20 ms at 1,000,000 demo cases", measured: invalidNote(list?.judged), met: nil))
        }
        return verdicts
    }

    /// The size the list and sweep targets are set at; a smaller run is reported, not judged.
    static let targetSize = 1_000_000

    static func belowTargetSize(_ cases: Int) -> String {
        cases >= targetSize ? "" : " (a smaller run than the target's \(n(Double(targetSize))) cases: not judged)"
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
            <!-- Generated by `onegrid-bench` (Sources/OneGridBenchmark). Do not edit by hand: run scripts/benchmark. -->
            # Performance

            This file is generated: every figure below was measured in one run of `onegrid-bench`, and each \
            verdict is computed from the figures of that same run. Run `scripts/benchmark` to measure again.


            """
        md += "## Command\n\n"
        if let invocation { md += "Invoked as `\(invocation)`, which ran:\n\n" }
        md += "```\n\(command)\n```\n\n"
        if let options {
            md += "Settings: \(options.seconds) s measured per HTTP run after \(options.warmup) s of warm-up; wrk -t\(options.threads) -c\(options.connections); "
            md += "\(options.storeCases) store cases through group commit; \(options.rawRows) raw rows and one-per-transaction store cases; "
            md += "the case list at \(n(Double(options.listCases))) demo cases, the sweep over \(n(Double(options.sweepCases))) open cases, "
            md += "the mixed load at \(n(Double(options.mixedCases))) demo cases (\(options.thinkMs) ms pause, soak \(options.soakMinutes) min)"
            if !options.only.isEmpty { md += "; only \(options.only.map(\.rawValue).joined(separator: ", ")) ran, the other sections are an earlier run's" }
            let smaller = [options.listCases, options.sweepCases].contains { $0 > 0 && $0 < Self.targetSize }
            md += smaller ? " — **smaller than the \(n(Double(Self.targetSize))) their targets are set at: those figures are reported, not judged**.\n" : ".\n"
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

        var measured = ""
        if ran(.raw) || ran(.http) { measured += baselinesMarkdown }
        if ran(.http) { measured += intakeMarkdown }
        if ran(.store) { measured += storeMarkdown }
        if let list { measured += listMarkdown(list) }
        measured += mixedMarkdown
        measured += soakMarkdown
        measured += pagesMarkdown
        measured += residentsMarkdown
        measured += importMarkdown
        measured += exportMarkdown
        md += stampingSections(of: measured)
        md += cpuSection()
        md += String(format: "The whole run took %.0f s.\n", totalSeconds)
        return md
    }

    private var baselinesMarkdown: String {
        var md = "## Baselines\n\n"
        md += "| Baseline | Throughput | p50 | p95 | p99 | Count | Errors |\n|---|---:|---:|---:|---:|---:|---:|\n"
        if let trivial { md += wrkRow("Trivial Hummingbird endpoint `GET /health/live` (wrk -t\(trivial.threads) -c\(trivial.connections))", trivial, unit: "req/s") }
        for raw in [rawSingle, rawBatched].compactMap({ $0 }) {
            md += "| \(raw.mode) (latency per \(raw.latencyOf)) | \(n(raw.perSecond)) rows/s | \(ms(raw.p50)) | \(ms(raw.p95)) | \(ms(raw.p99)) | \(raw.count) | 0 |\n"
        }
        md += "\n`GET /health/live` answers from the process through the same router and middleware as the API, without touching the database. "
        md += "The raw SQLite rows go through SQLiteNIO on a file with the server's pragmas, each in its own `BEGIN IMMEDIATE … COMMIT`.\n\n"
        return md
    }

    private var intakeMarkdown: String {
        var md = "## Intake over HTTP\n\n"
        md += "`POST /api/v1/cases` as the hotline agent (bearer token), realistic JSON bodies (street-light reports at points inside the grids of the tiny demo city, reporter name and phone), "
        md += "through the real server (`onegrid serve` built beside the benchmark, in a child process): authentication, validation, locating, routing, the deadline, the group-commit writer, a durable commit, the JSON answer.\n\n"
        md += "| Database | Cases/s | p50 | p90 | p95 | p99 | max | Requests | Errors | Cases stored | vs trivial |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for intake in [intakeSQLite, intakePostgres].compactMap({ $0 }) {
            let r = intake.run
            let ratio = trivial.map { String(format: "%.3f", r.perSecond / $0.perSecond) } ?? "—"
            md += "| \(intake.database) | \(r.isValid ? n(r.perSecond) : "invalid") | \(ms(r.p50 / 1000)) | \(ms(r.p90 / 1000)) | \(ms(r.p95 / 1000)) | \(ms(r.p99 / 1000)) | \(ms(r.max / 1000)) | \(r.requests) | \(r.errorText) | \(intake.storedCases) | \(ratio) |\n"
        }
        md += "\nCases stored counts the warm-up and one probe report too; it is at least the successful requests, and a few more when requests in flight at the end were written but not counted by wrk.\n\n"
        return md
    }

    private var storeMarkdown: String {
        var md = "## Store alone\n\n"
        md += "The same reports without HTTP, drafted by intake itself (`CaseIntake.draft`: validated, located, routed, under their acceptance clock): "
        md += "through `CaseIntake.report` and its group-commit writer (`IntakeWriter`), as the server takes them, "
        md += "and through `CaseStore.create` with one case per transaction. Latency is per submitted case.\n\n"
        md += "| Database | Mode | Cases/s | p50 | p95 | p99 | Cases | Seconds |\n|---|---|---:|---:|---:|---:|---:|---:|\n"
        for run in storeSQLite + storePostgres {
            md += "| \(run.database) | \(run.mode) | \(n(run.perSecond)) | \(ms(run.p50)) | \(ms(run.p95)) | \(ms(run.p99)) | \(run.count) | \(String(format: "%.2f", run.seconds)) |\n"
        }
        return md + "\n"
    }

    private func listMarkdown(_ list: ListFigures) -> String {
        var md = "## Case list at \(n(Double(list.cases))) demo cases\n\n"
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
        if let trivial { http.append(("HTTP: GET /health/live", trivial)) }
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

    func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }

    /// The generated report followed by the sections of the earlier file it does not generate
    /// (written by hand or by another tool, such as the category proposal's figures), in order.
    /// Each measured section with a line naming the run that measured it: a file that keeps the
    /// sections of earlier runs (`--only`) must say which run, on what date and under what load,
    /// each figure comes from, since the Command and Machine sections name the newest run alone.
    private func stampingSections(of measured: String) -> String {
        let stamp = "_Measured on \(machine.date) by `\(command)` (load average before \(machine.loadBefore), after \(machine.loadAfter))._\n\n"
        return Self.sections(of: measured).map { section in
            guard !section.heading.isEmpty, let end = section.text.firstIndex(of: "\n") else { return String(section.text) }
            let body = section.text[end...].drop { $0 == "\n" }
            return section.text[..<end] + "\n\n" + stamp + body
        }.joined()
    }

    static func keepingWrittenSections(of earlier: String?, after generated: String) -> String {
        // "Case list at 1,000,000 demo cases" is the same section at any size: compare headings without digits.
        func key(_ heading: Substring) -> String { heading.filter { !$0.isNumber && $0 != "," } }
        let generatedSections = sections(of: generated)
        let generatedHeadings = Set(generatedSections.map { key($0.heading) })
        let earlierSections = sections(of: earlier ?? "")
        let kept = earlierSections.filter { !$0.heading.isEmpty && !generatedHeadings.contains(key($0.heading)) && $0.heading != "Command" && $0.heading != "Machine" }
        let targets = earlierSections.first { $0.heading == "Targets" }.map { keepingTargets(of: $0.text, in: generated) } ?? generated
        return kept.reduce(targets) { $0.trimmingCharacters(in: .newlines) + "\n\n" + $1.text.trimmingCharacters(in: .newlines) + "\n" }
    }

    /// The Targets table with the earlier run's rows for targets this run did not measure, marked
    /// as an earlier run's, so the table keeps judging every section the file holds.
    private static func keepingTargets(of earlier: Substring, in generated: String) -> String {
        let earlierMark = " (an earlier run's)"
        // A target is the same at any size or count: compare its text without digits.
        func key(_ row: Substring) -> String {
            String(row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().first ?? "")
                .replacingOccurrences(of: earlierMark, with: "").filter { !$0.isNumber && $0 != "," && $0 != " " }
        }
        func rows(_ text: Substring) -> [Substring] { text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Target |") } }
        guard let section = sections(of: generated).first(where: { $0.heading == "Targets" }),
            let tableEnd = section.text.split(separator: "\n").last(where: { $0.hasPrefix("|") }).map(\.endIndex)
        else { return generated }
        let measured = Set(rows(section.text).map(key))
        let earlierRows = rows(earlier).filter { !measured.contains(key($0)) }.map { row in
            row.contains(earlierMark) ? String(row) : row.replacingOccurrences(of: " | ", with: earlierMark + " | ", options: [], range: row.range(of: " | "))
        }
        guard !earlierRows.isEmpty else { return generated }
        return String(generated[..<tableEnd]) + "\n" + earlierRows.joined(separator: "\n") + String(generated[tableEnd...])
    }

    /// A markdown text cut at its `## ` headings; the part before the first has an empty heading.
    private static func sections(of markdown: String) -> [(heading: Substring, text: Substring)] {
        var sections: [(heading: Substring, text: Substring)] = []
        var start = markdown.startIndex
        var heading: Substring = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("## ") {
            sections.append((heading, markdown[start..<line.startIndex]))
            start = line.startIndex
            heading = line.dropFirst(3)
        }
        sections.append((heading, markdown[start...]))
        return sections
    }

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
func f(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}

/// A count with thousands separators.
func n(_ value: Double) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.maximumFractionDigits = 0
    return formatter.string(from: NSNumber(value: value.rounded())) ?? String(format: "%.0f", value)
}
