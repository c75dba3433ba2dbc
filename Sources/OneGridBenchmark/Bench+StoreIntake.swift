import Foundation
import OneGridApplication
import OneGridDemo
import OneGridStore

extension Bench {
    /// The store without HTTP: reports through the server's intake (`CaseIntake.report`: the
    /// draft, then the group-commit writer; 64 submitters at once), then drafts written one case
    /// per transaction.
    func storeAlone(on postgresURL: String?) async throws {
        let label = postgresURL == nil ? "SQLite" : "PostgreSQL"
        try await withDatabase(postgresURL: postgresURL, what: "store") { location in
            try await OneGridDatabase.using(location, logger: self.logger) { db in
                if db.kind == .postgres { self.report.postgresSettings = try await Self.postgresSettings(db) }
                _ = try await DemoCity.build(into: db, size: .tiny, cases: 0)
                let services = try await OneGridServices(database: db, logger: self.logger)
                let simulator = try await IntakeSimulator.signIn("hotline", on: services)
                let store = services.cases
                // Warm up: the first writes create pages and fill caches.
                _ = try await store.create((0..<16).map { try simulator.draft($0) })

                let workers = self.options.connections
                say("\(label): \(self.options.storeCases) cases through the group-commit writer, \(workers) submitters …")
                let group = try await Concurrent.run(total: self.options.storeCases, workers: workers) { i in
                    _ = try await services.intake.report(simulator.form(i), by: simulator.session.principal, idempotencyKey: nil)
                }
                let groupRun = StoreRun(
                    database: label, mode: "group commit (IntakeWriter), \(workers) submitters", count: self.options.storeCases,
                    seconds: group.seconds, latencies: group.latencies, unit: "cases", cpu: group.cpu)
                say("  \(groupRun.line)")

                say("\(label): \(self.options.rawRows) cases, one per transaction (CaseStore.create([draft])), \(workers) submitters …")
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
