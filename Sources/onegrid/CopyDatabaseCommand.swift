import ArgumentParser
import Foundation
import Logging
import OneGridStore

/// Moves a city from its SQLite file to PostgreSQL, when a county's one machine is no longer
/// enough or a province gathers its counties: every case, timeline, figure, account and setting.
struct CopyDatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-database",
        abstract: "Copy a city from an SQLite file into an empty PostgreSQL database (all of it, in one transaction).")

    @Option(help: "The SQLite file to copy from.") var from: String
    @Option(help: "The postgres:// URL of an empty database to copy into (its role needs no more than CREATE on it).") var to: String

    func validate() throws {
        guard !from.hasPrefix("postgres"), FileManager.default.fileExists(atPath: from) else {
            throw ValidationError("--from must be an existing SQLite file, not '\(from)'")
        }
        guard to.hasPrefix("postgres://") || to.hasPrefix("postgresql://") else {
            throw ValidationError("--to must be a postgres:// URL")
        }
    }

    func run() async throws {
        let logger = Logger(label: "onegrid.copy")
        let started = ContinuousClock.now
        try await OneGridDatabase.using(from) { source in
            try await Migrator().migrate(source)
            try await OneGridDatabase.using(to) { target in
                try await Migrator().migrate(target)
                try await DatabaseCopy.copy(from: source, to: target, logger: logger) { table, rows in
                    let seconds = (ContinuousClock.now - started).components.seconds
                    print("  \(table): \(rows) rows (\(seconds) s in)")
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        print("Copied in \(elapsed.formatted(.units(allowed: [.minutes, .seconds], width: .abbreviated))).")
    }
}
