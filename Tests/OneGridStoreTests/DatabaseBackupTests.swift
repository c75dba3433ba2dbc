import Foundation
import Logging
import OneGridDomain
import OneGridStore
import SQLKit
import Synchronization
import Testing

/// A backup taken while cases are being reported and acted on is one consistent moment of the
/// city: every chain in it verifies, SQLite finds every page sound, and it opens as a city.
@Suite struct DatabaseBackupTests {
    @Test func aBackupTakenUnderWritesIsWholeAndPassesTheAudit() async throws {
        try await TinyCity.with(.sqlite) { city in
            for _ in 0..<20 { _ = try await city.report() }
            let backup = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-backup-\(UUID().uuidString).sqlite").path
            defer { for companion in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: backup + companion) } }
            // Reports and steps go on through the whole backup.
            let writing = Atomic<Bool>(true)
            let written = Atomic<Int>(0)
            let writer = Task {
                while writing.load(ordering: .relaxed) {
                    let record = try await city.report()
                    try await city.act(.accept, on: record.file.id, as: "village1")
                    written.add(1, ordering: .relaxed)
                }
            }
            // Cases are written before it and after it, however busy the machine.
            while written.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let bytes = try await DatabaseBackup.backUp(city.database, to: backup, logger: Logger(label: "test"))
            let writtenBefore = written.load(ordering: .relaxed)
            while written.load(ordering: .relaxed) <= writtenBefore { try await Task.sleep(for: .milliseconds(20)) }
            writing.store(false, ordering: .relaxed)
            try await writer.value
            #expect(bytes > 0)

            #expect(try await DatabaseBackup.integrityProblems(at: backup, logger: Logger(label: "test")).isEmpty)
            let total = try await city.count("cases")
            try await OneGridDatabase.using(backup) { copy in
                let audit = try await SQLCaseStore(database: copy).verifyTimelines()
                #expect(audit.findings.isEmpty, "\(audit.findings.prefix(3))")
                // A moment between the first twenty reports and the last one written after it.
                #expect(audit.checkedCases >= 20 && audit.checkedCases < total)
            }
            await #expect(throws: DatabaseBackup.Refusal.self, "a backup never overwrites a file") {
                try await DatabaseBackup.backUp(city.database, to: backup, logger: Logger(label: "test"))
            }
        }
    }

    @Test(.enabled(if: TestDatabases.postgresURL != nil, "needs ONEGRID_TEST_POSTGRES_URL"))
    func postgreSQLIsBackedUpWithItsOwnTools() async throws {
        try await TestDatabases.withDatabase(.postgres) { database in
            await #expect(throws: DatabaseBackup.Refusal.self) {
                try await DatabaseBackup.backUp(database, to: "/tmp/never-written.sqlite", logger: Logger(label: "test"))
            }
        }
    }
}
