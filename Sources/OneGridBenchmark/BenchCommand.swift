import ArgumentParser
import Foundation

/// `onegrid-bench`: measures intake through the HTTP API and through the store alone, on SQLite
/// and PostgreSQL, beside two baselines taken in the same run (a trivial endpoint under the same
/// load tool, raw SQLite one-row transactions), then the filtered case list on a big demo city and
/// the deadline sweep, and writes every figure with the machine and the command line to a markdown
/// file. Targets are judged from the figures of this run only; a run with errors is reported,
/// never counted.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onegrid-bench",
        abstract: "Benchmark intake, the case list, the deadline sweep, exports and Open311; write the figures to docs/performance.md.",
        discussion: """
            Needs `wrk` on the PATH and the `onegrid` server built beside this executable \
            (scripts/benchmark installs wrk, builds both in release and brings up a throwaway \
            PostgreSQL). Run a release build: a debug build's figures say little.
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
    @Option(
        help: "Demo cases the pages, the command room's figures and live updates are measured at, built by `onegrid demo` (0 skips them; the targets are set at 10,000,000).")
    var pagesCases = 0
    @Option(
        help: ArgumentHelp(
            "An SQLite demo city for the pages: reused when the file exists, else built there by `onegrid demo` and kept (default: a temporary file, removed after).",
            valueName: "path"))
    var pagesDatabase: String?
    @Option(
        help: ArgumentHelp(
            "With --pages-database: PostgreSQL's city in a database of this name on the server, copied from that file once and kept for later runs (default: copied into a scratch database each run, removed after).",
            valueName: "name"))
    var pagesPostgresDatabase: String?
    @Option(help: "Concurrent viewers (wrk connections) of the pages and figures runs.") var viewers = 8
    @Option(help: "Steps timed from the action to its event on the live stream.") var liveSteps = 200
    @Option(help: "Demo cases of the mixed load: intake, lists, the command room, a heavy read and sign-ins at once (0 skips it).")
    var mixedCases = 200_000
    @Option(help: "Milliseconds each list user and command-room viewer of the mixed load waits after an answer.")
    var thinkMs = 1_000
    @Option(help: "Minutes of the soak: the mixed load's whole mix on a server of its own, errors, p99 and the server's memory per minute (0 skips it).")
    var soakMinutes = 0
    @Option(
        name: .customLong("mixed-on"),
        help: ArgumentHelp("The databases the mixed load, the soak and the pages run on (repeatable: sqlite, postgresql; default both, PostgreSQL when --postgres is given). Each has its own section, so runs on each may write one file in turn."))
    var mixedOn: [BenchDatabase] = []
    @Option(
        name: .customLong("only"),
        help: ArgumentHelp("Run only these parts (repeatable: raw, store, http, list, sweep, mixed, soak, pages, residents, import, export); the report keeps the earlier file's other sections."))
    var only: [BenchPart] = []
    @Option(help: "Residents imported into the full demo city for the base-data part (0 skips it; the list and search targets are set at 10,000,000).")
    var residents = 1_000_000
    @Option(help: "Historic cases imported from a CSV file into the full demo city (0 skips it; the target is set at 1,000,000).")
    var cases = 1_000_000
    @Option(help: "Demo cases the export and Open311's requests are measured at (0 skips them).") var exportCases = 1_000_000
    @Option(
        help: ArgumentHelp(
            "An SQLite demo city for the export and Open311: reused when the file exists, else built there and kept (default: a temporary file, removed after).",
            valueName: "path"))
    var exportDatabase: String?
    @Option(help: "Where temporary databases go (default: the system's temporary directory).") var workDir: String?
    @Option(help: "The markdown file to write.") var output = "docs/performance.md"
    @Option(
        help: ArgumentHelp(
            "The onegrid executable whose server is measured (default: the one built beside this benchmark).", valueName: "path"))
    var onegrid: String?

    func validate() throws {
        guard seconds >= 1, warmup >= 0 else { throw ValidationError("--seconds must be 1 or more, --warmup 0 or more") }
        guard connections >= 1, threads >= 1, connections >= threads else {
            throw ValidationError("--connections and --threads must be 1 or more, connections at least threads")
        }
        guard storeCases >= 1, rawRows >= 1, listCases >= 0, listConnections >= 1 else {
            throw ValidationError("--store-cases, --raw-rows and --list-connections must be 1 or more, --list-cases 0 or more")
        }
        guard pagesCases >= 0, viewers >= 1, liveSteps >= 1 else {
            throw ValidationError("--pages-cases must be 0 or more, --viewers and --live-steps 1 or more")
        }
        guard residents >= 0, cases >= 0, exportCases >= 0 else { throw ValidationError("--residents, --cases and --export-cases must be 0 or more") }
        guard mixedCases >= 0, thinkMs >= 0, soakMinutes >= 0 else {
            throw ValidationError("--mixed-cases, --think-ms and --soak-minutes must be 0 or more")
        }
        guard soakMinutes == 0 || mixedCases > 0 else { throw ValidationError("--soak-minutes runs the mixed load's city: give --mixed-cases above 0") }
        guard pagesPostgresDatabase == nil || pagesDatabase != nil else {
            throw ValidationError("--pages-postgres-database keeps a copy of the --pages-database city: give that file too")
        }
    }

    func run() async throws {
        let bench = Bench(options: self)
        try await bench.run()
    }

    /// The server measured: `onegrid` of the same build, unless told otherwise.
    var server: String {
        if let onegrid { return onegrid }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("onegrid").path
    }

    /// Whether `part` runs: every part unless `--only` names some.
    func runs(_ part: BenchPart) -> Bool { only.isEmpty || only.contains(part) }
    /// Whether the mixed load, the soak and the pages run on `database`: every one unless `--mixed-on` names some.
    func mixes(on database: BenchDatabase) -> Bool { mixedOn.isEmpty || mixedOn.contains(database) }

    var postgresURL: String? {
        let url = postgres ?? ProcessInfo.processInfo.environment["ONEGRID_BENCH_POSTGRES_URL"]
        return url.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A database a part runs on, as `--mixed-on` names it.
enum BenchDatabase: String, CaseIterable, ExpressibleByArgument, Sendable {
    case sqlite, postgresql
}

/// The parts of a run, as `--only` names them.
enum BenchPart: String, CaseIterable, ExpressibleByArgument, Sendable {
    case raw, store, http, list, sweep, mixed, soak, pages, residents, export
    case caseImport = "import"
}
