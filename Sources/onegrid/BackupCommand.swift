import ArgumentParser
import Foundation
import Logging
import OneGridStore

/// A county's one machine keeps its city in one SQLite file: a copy of it taken while the server
/// runs, and the way back from such a copy.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a live SQLite city to a new file, consistent at one moment, while the server goes on serving.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The new file to write (never overwritten).") var to: String

    func run() async throws {
        let started = ContinuousClock.now
        let bytes = try await OneGridDatabase.using(database.location) { db in
            try await DatabaseBackup.backUp(db, to: to, logger: Logger(label: "onegrid.backup"))
        }
        let seconds = (ContinuousClock.now - started).components.seconds
        print("Backed up \(database.displayed) to \(to): \(bytes / 1_048_576) MB in \(seconds) s.")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup in place of an SQLite city, after checking the backup's pages and its whole record. Stop the server first.")

    @Option(help: "The backup file written by onegrid backup.") var from: String
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Restore even though the city's write-ahead log is there, as while a server has it open.") var force = false

    func validate() throws {
        guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("--from: no file \(from)") }
        guard !database.location.contains("://") else {
            throw ValidationError("--database: restore replaces an SQLite file; restore PostgreSQL with pg_restore (see the README)")
        }
    }

    func run() async throws {
        let target = database.location
        // A server that has the file open keeps its write-ahead log beside it; one stopped
        // cleanly does not. Replacing the file under a running server would lose what it writes.
        guard force || !FileManager.default.fileExists(atPath: target + "-wal") else {
            throw commandFailure("\(target)-wal exists: a server seems to have the city open. Stop it first (or pass --force).")
        }
        let problems = try await DatabaseBackup.integrityProblems(at: from, logger: Logger(label: "onegrid.restore"))
        guard problems.isEmpty else {
            for problem in problems.prefix(20) { print(problem) }
            throw commandFailure("\(from) is damaged (SQLite's integrity check found \(problems.count) problems); nothing restored")
        }
        guard try await AuditCommand.Verify.check(from).isEmpty else {
            throw commandFailure("\(from) does not pass the audit; nothing restored")
        }
        // Copied beside the city and renamed over it: the city is the old file or the whole
        // backup, never a half-written one.
        let staging = target + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: from, toPath: staging)
        for companion in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + companion) }
        guard rename(staging, target) == 0 else {
            throw commandFailure("cannot put \(staging) in place of \(target): \(String(cString: strerror(errno)))")
        }
        print("Restored \(target) from \(from).")
    }
}
