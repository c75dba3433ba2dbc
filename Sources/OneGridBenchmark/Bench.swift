import ArgumentParser
import Foundation
import Logging
import OneGridScratch
import OneGridStore
import SQLKit

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

        if options.runs(.raw) {
            await part("raw SQLite baselines") { try await self.rawSQLite() }
        }
        if options.runs(.store) {
            await part("store alone on SQLite") { try await self.storeAlone(on: nil) }
            if let url = options.postgresURL {
                await part("store alone on PostgreSQL") { try await self.storeAlone(on: url) }
            }
        }
        if options.runs(.http) {
            await part("HTTP on SQLite") { try await self.http(on: nil) }
            if let url = options.postgresURL {
                await part("HTTP intake on PostgreSQL") { try await self.http(on: url) }
            }
        }
        if options.listCases > 0, options.runs(.list) {
            await part("case list") { try await self.list() }
        }
        if options.sweepCases > 0, options.runs(.sweep) {
            await part("deadline sweep on SQLite") { try await self.sweep(on: nil) }
            if let url = options.postgresURL {
                await part("deadline sweep on PostgreSQL") { try await self.sweep(on: url) }
            }
        }
        if options.mixedCases > 0, options.runs(.mixed) {
            if options.mixes(on: .sqlite) { await part("mixed load on SQLite") { try await self.mixed(on: nil) } }
            if let url = options.postgresURL, options.mixes(on: .postgresql) {
                await part("mixed load on PostgreSQL") { try await self.mixed(on: url) }
            }
        }
        if options.soakMinutes > 0, options.runs(.soak) {
            if options.mixes(on: .sqlite) { await part("soak on SQLite") { try await self.soak(on: nil) } }
            if let url = options.postgresURL, options.mixes(on: .postgresql) {
                await part("soak on PostgreSQL") { try await self.soak(on: url) }
            }
        }

        if options.pagesCases > 0, options.runs(.pages) {
            if options.mixes(on: .sqlite) { await part("pages on SQLite") { try await self.pages(on: nil) } }
            if let url = options.postgresURL, options.mixes(on: .postgresql) {
                await part("pages on PostgreSQL") { try await self.pages(on: url) }
            }
        }

        if options.residents > 0, options.runs(.residents) {
            await part("base data on SQLite") { try await self.residents(on: nil) }
            if let url = options.postgresURL {
                await part("base data on PostgreSQL") { try await self.residents(on: url) }
            }
        }

        if options.cases > 0, options.runs(.caseImport) {
            await part("historic cases imported on SQLite") { try await self.importCases(on: nil) }
            if let url = options.postgresURL {
                await part("historic cases imported on PostgreSQL") { try await self.importCases(on: url) }
            }
        }

        if options.exportCases > 0, options.runs(.export) {
            await part("export and Open311 on SQLite") { try await self.export() }
        }

        report.machine.loadAfter = Machine.loadAverage()
        report.totalSeconds = Date().timeIntervalSince(started)
        let outputURL = URL(fileURLWithPath: options.output)
        let earlier = try? String(contentsOf: outputURL, encoding: .utf8)
        let markdown = Report.keepingWrittenSections(of: earlier, after: report.markdown())
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

    /// Runs `body` on a scratch database, thrown away after: an SQLite file in the work folder,
    /// or a database of its own on the PostgreSQL server when `postgresURL` names one.
    func withDatabase<T>(postgresURL: String?, what: String, _ body: (_ location: String) async throws -> T) async throws -> T {
        try await ScratchDatabase.with(
            postgresURL == nil ? .sqlite : .postgres, serverURL: postgresURL, directory: workDir, prefix: "onegrid-bench-\(what)", body)
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
extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    var milliseconds: Double { seconds * 1000 }
}
