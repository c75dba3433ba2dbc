import Foundation
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import SQLKit

/// The grid's base data at scale: `--residents` people imported from one CSV file into the full
/// demo city's 735 grids through the import use case (parse, check every row, write all in one
/// transaction with its history), then, through the use cases as the pages call them, a grid's
/// residents list, a town's search by name and by ID number, and a grid worker's visits due
/// this week, each timed one at a time.
struct ResidentFigures {
    struct Timing {
        var name: String
        var samples: [Double]

        var p50: Double { percentile(0.5) }
        var p95: Double { percentile(0.95) }
        var max: Double { samples.max() ?? 0 }

        func percentile(_ share: Double) -> Double {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * share).rounded(.up)) - 1)]
        }
    }

    var database: String
    var residents: Int
    var households: Int
    var fileBytes: Int
    var importSeconds: Double
    /// This process's CPU during the import, and how busy the machine's cores were meanwhile.
    var importCPU: CPU.Use
    var timings: [Timing]
}

extension Bench {
    func residents(on postgresURL: String?) async throws {
        let label = postgresURL == nil ? "SQLite" : "PostgreSQL"
        let total = options.residents
        try await withDatabase(postgresURL: postgresURL, what: "residents") { location in
            try await OneGridDatabase.using(location, logger: self.logger) { db in
                _ = try await DemoCity.build(into: db, size: .full, cases: 0, baseData: false)
                let services = try await OneGridServices(database: db, logger: self.logger)
                let directory = services.directory
                let grids = directory.areas.values.filter { $0.level == .grid }.sorted { $0.code < $1.code }
                func post(_ role: Role, _ level: AdminLevel) async throws -> Principal {
                    let areaIDs = directory.areas.values.filter { $0.level == level }.map(\.id)
                    guard
                        let userID = try await db.reader.select().column("user_id").from("posts").where("role", .equal, role.rawValue)
                            .where("area_id", .in, areaIDs).orderBy("id").first(decodingColumn: "user_id", as: Int64.self),
                        let user = try await services.people.users(ids: [userID])[userID],
                        let post = try await services.people.posts(ofUser: userID).first(where: { $0.role == role })
                    else { throw BenchError("the demo city has no \(role.rawValue) at the \(level.rawValue) level") }
                    return Principal(user: user, post: post)
                }
                let city = try await post(.dispatcher, .city)

                say("base data on \(label): writing a register of \(total) residents …")
                var rng = SeededGenerator(seed: 99)
                let columns: [ResidentImport.Column] = [.grid, .household, .address, .name, .idNumber, .phone, .relation, .kind, .registration]
                var csv = CSV.byteOrderMark + CSV.line(columns.map(\.chineseName))
                csv.reserveCapacity(total * 110)
                var names: [String] = []
                var idNumbers: [String] = []
                var households = 0
                let kinds = ["普通人员", "普通人员", "普通人员", "普通人员", "普通人员", "普通人员", "困难群众", "独居老人", "流动人员", "刑释人员"]
                var index = 0
                while index < total {
                    let size = min(total - index, rng.int(1...5))
                    let grid = grids[households % grids.count]
                    households += 1
                    for member in 0..<size {
                        // Distinct by construction: a running number in the birth date's place.
                        let serial = index + 1
                        let body = "379901" + String(1940 + serial % 60) + String(format: "%02d%02d", 1 + serial / 60 % 12, 1 + serial / 720 % 28)
                            + String(format: "%03d", serial / 20_160 % 1000)
                        let idNumber = PersonalData.idNumber(body: body)
                        let name = DemoTexts.personName(using: &rng)
                        if index % 997 == 0 {
                            names.append(name)
                            idNumbers.append(idNumber)
                        }
                        csv += CSV.line([
                            grid.code, "H\(households)", "\(grid.name)\(households)号", name, idNumber,
                            member == 0 ? "13\(String(format: "%09d", serial))" : "", member == 0 ? "户主" : "子女", rng.pick(kinds), "户籍",
                        ])
                        index += 1
                    }
                }
                say("  \(csv.count / 1_000_000) MB, \(households) households; importing …")
                let started = ContinuousClock.now
                let cpuBefore = CPU.sample(server: nil)
                let outcome = try await services.gridBaseData.importResidents(csv, by: city)
                let importSeconds = (ContinuousClock.now - started).seconds
                let importCPU = CPU.sample(server: nil).since(cpuBefore)
                guard outcome.problems.isEmpty, outcome.residents == total else {
                    throw BenchError("the import refused \(outcome.problems.count) rows, first: \(String(describing: outcome.problems.first))")
                }
                say("  imported in \(String(format: "%.1f", importSeconds)) s, \(importCPU.cpuSeconds) s of CPU")
                try await db.analyze()

                let worker = try await post(.gridWorker, .grid)
                let town = try await post(.dispatcher, .town)
                let townGrids = grids.filter { directory.path(ofGrid: $0.id)?.town == town.post.areaID }
                // A town's names and ID numbers: those of its grids (the register went round the grids in turn).
                let townNames = names.enumerated().filter { townGrids.contains(grids[($0.offset * 997) % max(1, households) % grids.count]) }.map(\.element)
                var timings: [ResidentFigures.Timing] = []
                func time(_ name: String, rounds: Int = 300, _ body: (Int) async throws -> Void) async throws {
                    for round in 0..<20 { try await body(round) }
                    var samples: [Double] = []
                    for round in 0..<rounds {
                        let start = ContinuousClock.now
                        try await body(round)
                        samples.append((ContinuousClock.now - start).milliseconds)
                    }
                    timings.append(.init(name: name, samples: samples))
                    say("  \(name): p95 \(String(format: "%.2f", timings.last!.p95)) ms")
                }
                let data = services.gridBaseData
                try await time("a grid's residents, first page of 50 (city's dispatcher)") { round in
                    _ = try await data.residents(gridID: grids[round * 37 % grids.count].id, for: city.post)
                }
                try await time("a grid's residents, its grid worker") { _ in
                    _ = try await data.residents(gridID: worker.post.areaID, for: worker.post)
                }
                try await time("search by name in a town (town's dispatcher)") { round in
                    let pool = townNames.isEmpty ? names : townNames
                    _ = try await data.residents(text: pool[round % pool.count], for: town.post)
                }
                try await time("search by name in the city (city's dispatcher)") { round in
                    _ = try await data.residents(text: names[round * 7 % names.count], for: city.post)
                }
                try await time("search by ID number (city's dispatcher)") { round in
                    let found = try await data.residents(text: idNumbers[round * 13 % idNumbers.count], for: city.post)
                    guard found.count == 1 else { throw BenchError("an ID number found \(found.count) residents") }
                }
                try await time("visits due this week (a grid worker)") { _ in
                    _ = try await services.visits.dueThisWeek(for: worker.post)
                }
                self.report.residents.append(
                    ResidentFigures(
                        database: label, residents: total, households: households, fileBytes: csv.count, importSeconds: importSeconds,
                        importCPU: importCPU, timings: timings))
            }
        }
    }
}

extension Report {
    /// The size the list and search targets are set at; a smaller run is reported, not judged.
    static let residentsTargetSize = 10_000_000

    var residentVerdicts: [Verdict] {
        residents.flatMap { run -> [Verdict] in
            let small = run.residents < Self.residentsTargetSize
            let note = small ? " (at \(n(Double(run.residents))) residents, not the target's \(n(Double(Self.residentsTargetSize))): not judged)" : ""
            func timing(_ prefix: String) -> ResidentFigures.Timing? { run.timings.first { $0.name.hasPrefix(prefix) } }
            var verdicts: [Verdict] = []
            let reads = run.timings.filter { !$0.name.hasPrefix("visits") }
            if let worst = reads.max(by: { $0.p95 < $1.p95 }) {
                verdicts.append(
                    Verdict(
                        target: "A grid's residents list and a search by name or ID number p95 < 20 ms at 10,000,000 people (\(run.database))",
                        measured: "slowest: \(worst.name) p95 \(f(worst.p95)) ms" + note, met: small ? nil : worst.p95 < 20))
            }
            verdicts.append(
                Verdict(
                    target: "Importing 1,000,000 residents from CSV < 60 s (\(run.database))",
                    measured: "\(n(Double(run.residents))) residents in \(f(run.importSeconds, 1)) s (\(run.importCPU.cpuSeconds) s of CPU; machine \(f(run.importCPU.machineBusy)) of 2 cores busy)",
                    met: run.residents >= 1_000_000 ? run.importSeconds < 60 : nil))
            if let due = timing("visits") {
                verdicts.append(
                    Verdict(
                        target: "A grid worker's visits due this week < 10 ms (\(run.database))", measured: "p95 \(f(due.p95)) ms" + note,
                        met: small ? nil : due.p95 < 10))
            }
            return verdicts
        }
    }

    var residentsMarkdown: String {
        guard !residents.isEmpty else { return "" }
        var md = "## Base data at \(n(Double(residents[0].residents))) residents\n\n"
        md += "The full demo city's 735 grids, its residents imported from one CSV register (households of 1–5, going round the grids) "
        md += "through the import use case: read, every row checked, the recorded ID numbers looked up, then households, residents and "
        md += "their history written in one transaction. Then each read timed one at a time through the use cases the pages call "
        md += "(scope, hidden kinds, masks included; no HTTP), 300 rounds after 20 unmeasured.\n\n"
        for run in residents {
            md += "**\(run.database)**: \(n(Double(run.residents))) residents in \(n(Double(run.households))) households, a \(f(Double(run.fileBytes) / 1_000_000, 1)) MB file imported in \(f(run.importSeconds, 1)) s, \(run.importCPU.cpuSeconds) s of this process's CPU while the machine's cores were \(f(run.importCPU.machineBusy)) busy (others' work included).\n\n"
            md += "| Read | p50 | p95 | max |\n|---|---:|---:|---:|\n"
            for timing in run.timings { md += "| \(timing.name) | \(ms(timing.p50)) | \(ms(timing.p95)) | \(ms(timing.max)) |\n" }
            md += "\n"
        }
        return md
    }
}
