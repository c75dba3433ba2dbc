import Foundation
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import SQLKit

/// Historic cases loaded from a file (`onegrid import cases`): `--cases` rows of CSV read,
/// checked, their timelines decided and written through the import use case into the full demo
/// city, beside the baseline of the same run: the demo's own bulk writer making and writing as
/// many cases (the city built with them, less the city built without; no file, no checks).
struct ImportFigures {
    var database: String
    var cases: Int
    var fileBytes: Int
    var seconds: Double
    var cpu: CPU.Use
    var demoSeconds: Double
    var events: Int
}

extension Bench {
    func importCases(on postgresURL: String?) async throws {
        let label = postgresURL == nil ? "SQLite" : "PostgreSQL"
        let total = options.cases
        // The baseline first, in a database of its own: the city alone, then the city with its cases.
        let demoSeconds = try await withDatabase(postgresURL: postgresURL, what: "import-baseline") { location in
            try await OneGridDatabase.using(location, logger: self.logger) { db in
                let started = ContinuousClock.now
                _ = try await DemoCity.build(into: db, size: .full, cases: 0, baseData: false)
                return (ContinuousClock.now - started).seconds
            }
        }
        let withCases = try await withDatabase(postgresURL: postgresURL, what: "import-baseline") { location in
            try await OneGridDatabase.using(location, logger: self.logger) { db in
                say("import on \(label): baseline, the demo writer making and writing \(total) cases …")
                let started = ContinuousClock.now
                _ = try await DemoCity.build(into: db, size: .full, cases: total, baseData: false)
                return (ContinuousClock.now - started).seconds
            }
        }
        let baseline = max(0, withCases - demoSeconds)
        say("  \(String(format: "%.1f", baseline)) s")

        try await withDatabase(postgresURL: postgresURL, what: "import") { location in
            try await OneGridDatabase.using(location, logger: self.logger) { db in
                _ = try await DemoCity.build(into: db, size: .full, cases: 0, baseData: false)
                let services = try await OneGridServices(database: db, logger: self.logger)
                let csv = Self.historicCases(total, directory: services.directory, timeZone: services.calendar.timeZone)
                guard let user = try await services.people.credentials(username: "admin")?.user,
                    let post = try await services.people.posts(ofUser: user.id).first(where: { $0.role == .administrator })
                else { throw BenchError("the demo city has no administrator admin") }
                say("import on \(label): a file of \(total) cases, \(csv.count / 1_000_000) MB; importing …")
                let started = ContinuousClock.now
                let cpuBefore = CPU.sample(server: nil)
                let read = CaseImport.rows(csv: CSV.records(csv))
                let outcome = try await services.caseHistoryImport.importCases(
                    read.rows, readProblems: read.problems, by: Principal(user: user, post: post))
                let seconds = (ContinuousClock.now - started).seconds
                let cpu = CPU.sample(server: nil).since(cpuBefore)
                guard outcome.problems.isEmpty, outcome.written == total else {
                    throw BenchError("the import refused \(outcome.problems.count) rows, first: \(String(describing: outcome.problems.first))")
                }
                let events = try await Self.count("case_events", in: db)
                say("  imported in \(String(format: "%.1f", seconds)) s, \(cpu.cpuSeconds) s of CPU (\(events) timeline events)")
                let audit = try await SQLCaseStore(database: db).verifyTimelines()
                guard audit.checkedCases == total, audit.findings.isEmpty else {
                    throw BenchError("the audit checked \(audit.checkedCases) of \(total) imported timelines, \(audit.findings.count) findings")
                }
                self.report.imports.append(
                    ImportFigures(database: label, cases: total, fileBytes: csv.count, seconds: seconds, cpu: cpu, demoSeconds: baseline, events: events))
            }
        }
    }

    /// A file of historic cases on the demo city: mostly closed or archived, some still open,
    /// a few rejected; placed by grid code, the department left to the category's suggestion.
    static func historicCases(_ total: Int, directory: Directory, timeZone: TimeZone) -> [UInt8] {
        var rng = SeededGenerator(seed: 13)
        let grids = directory.areas.values.filter { $0.level == .grid }.sorted { $0.code < $1.code }
        let parents = Set(directory.categories.values.compactMap(\.parentID))
        let leaves = directory.categories.values.filter { !parents.contains($0.id) }.sorted { $0.code < $1.code }
        // A category the city has a department for at every grid's level: no row needs a department named.
        let usable = leaves.filter { category in
            grids.prefix(5).allSatisfy { grid in
                directory.path(ofGrid: grid.id).map {
                    CaseRouting.route(areas: $0, category: category, department: directory.department(kind:areaID:)).suggestedDepartmentID != nil
                } ?? false
            }
        }
        let columns: [CaseImport.Column] = [
            .number, .reportedAt, .category, .status, .title, .description, .channel, .grid, .reporterName, .reporterPhone, .result, .handledAt,
            .closedAt, .rating,
        ]
        var csv = CSV.line(columns.map(\.rawValue))
        csv.reserveCapacity(total * 260)
        let start = Date().timeIntervalSince1970 - 2 * 365 * 86_400
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        let statuses: [(CaseStatus, Double)] = [(.archived, 0.55), (.closed, 0.3), (.rejected, 0.02), (.handled, 0.05), (.assigned, 0.05), (.reported, 0.03)]
        for index in 0..<total {
            let reported = start + Double(index) / Double(total) * 700 * 86_400
            let handled = reported + Double(rng.int(2...96)) * 3_600
            let closed = handled + Double(rng.int(1...72)) * 3_600
            var roll = rng.unit()
            let status = statuses.first { roll -= $0.1; return roll < 0 }?.0 ?? .closed
            let done = [.handled, .closed, .archived].contains(status)
            let category = usable.isEmpty ? leaves[index % leaves.count] : usable[index % usable.count]
            let grid = grids[index % grids.count]
            csv += CSV.line([
                String(index + 1), formatter.string(from: Date(timeIntervalSince1970: reported)), category.code, status.rawValue,
                "\(category.name)：\(grid.name)", "群众反映\(grid.name)附近\(category.name)问题，请尽快处理。", "window", grid.code,
                DemoTexts.personName(using: &rng), "13\(String(format: "%09d", index))",
                done ? "已处理完毕，群众认可。" : status == .rejected ? "重复反映，已合并。" : "",
                done ? formatter.string(from: Date(timeIntervalSince1970: handled)) : "",
                status == .closed || status == .archived || status == .rejected ? formatter.string(from: Date(timeIntervalSince1970: closed)) : "",
                status == .closed || status == .archived ? (rng.chance(0.9) ? "satisfied" : "basicallySatisfied") : "",
            ])
        }
        return csv
    }
}

extension Report {
    var importVerdicts: [Verdict] {
        imports.map { run in
            Verdict(
                target: "Importing 1,000,000 historic cases from CSV < 60 s (\(run.database))",
                measured: "\(n(Double(run.cases))) cases in \(f(run.seconds, 1)) s, \(run.cpu.cpuSeconds) s of CPU (the demo writer's \(f(run.demoSeconds, 1)) s); machine \(f(run.cpu.machineBusy)) of 2 cores busy",
                met: run.cases >= 1_000_000 ? run.seconds < 60 : nil)
        }
    }

    var importMarkdown: String {
        guard !imports.isEmpty else { return "" }
        var md = "## Historic cases imported at \(n(Double(imports[0].cases))) cases\n\n"
        md += "`onegrid import cases`' use case on the full demo city: a CSV file read, every row checked (number, dates, category, grid, "
        md += "department, status), the recorded numbers looked up, each timeline decided by the workflow from the report to the row's "
        md += "status, then sealed (hash chains) and written 5,000 cases a transaction; the audit then replays every timeline. "
        md += "Baseline of the same run: the demo's own bulk writer making and writing as many cases, no file and no checks.\n\n"
        md += "| Database | Cases | File | Timeline events | Import | Its CPU (this process) | Machine busy | Demo writer (baseline) |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for run in imports {
            md += "| \(run.database) | \(n(Double(run.cases))) | \(f(Double(run.fileBytes) / 1_000_000, 1)) MB | \(n(Double(run.events))) | "
            md += "\(f(run.seconds, 1)) s | \(run.cpu.cpuSeconds) s | \(f(run.cpu.machineBusy)) of 2 cores | \(f(run.demoSeconds, 1)) s |\n"
        }
        return md + "\n"
    }
}
