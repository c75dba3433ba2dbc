import ArgumentParser
import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Runs one deadline sweep by hand, as the server's sweeper does every half minute: for a
/// catch-up after downtime, a cron job without a running server, or to time one.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Run one deadline sweep now: urges, supervisions and escalations that are due.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Sweep as if it were this many hours from now (to see what is coming).") var clockOffsetHours: Double = 0

    func run() async throws {
        try await OneGridDatabase.using(database.location) { db in
            try await Migrator().migrate(db)
            // The same services the server runs on: the administrator's calendar and yellow share.
            let services = try await OneGridServices(database: db)
            let now = Date().addingTimeInterval(clockOffsetHours * 3600)
            let started = ContinuousClock.now
            let steps = try await services.sweepDeadlines(at: now)
            let elapsed = ContinuousClock.now - started
            print("Swept at \(now.formatted(.iso8601)): \(steps) steps (urges, supervisions, escalations) in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated))).")
        }
    }
}
