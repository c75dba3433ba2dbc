import Foundation
import SQLKit
import SQLiteKit

extension Bench {
    /// Plain inserts through SQLiteNIO on a file with OneGridDatabase's pragmas: one row per
    /// transaction (every commit a durable WAL fsync), and 512 rows per transaction for scale.
    func rawSQLite() async throws {
        try await withDatabase(postgresURL: nil, what: "raw") { try await rawSQLite(at: $0) }
    }

    private func rawSQLite(at path: String) async throws {
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

}
