import ArgumentParser
import Foundation

@main
struct OneGridCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onegrid",
        abstract: "OneGrid: one window, one grid, one platform for grassroots governance.",
        subcommands: [ServeCommand.self, DemoCommand.self, MigrateCommand.self, AuditCommand.self, SweepCommand.self, CalendarCommand.self, BenchCommand.self],
        defaultSubcommand: ServeCommand.self)
}

/// `--database`, shared by every command that opens one.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "An SQLite file or a postgres:// URL (default: $ONEGRID_DATABASE_URL, else onegrid.sqlite in this folder).")
    var database: String?

    var location: String {
        database ?? ProcessInfo.processInfo.environment["ONEGRID_DATABASE_URL"] ?? "onegrid.sqlite"
    }
}
