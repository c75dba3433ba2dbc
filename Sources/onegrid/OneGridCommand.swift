import ArgumentParser
import Foundation

@main
struct OneGridCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onegrid",
        abstract: "OneGrid: one window, one grid, one platform for grassroots governance.",
        subcommands: [
            ServeCommand.self, DemoCommand.self, MigrateCommand.self, AuditCommand.self, SweepCommand.self, CalendarCommand.self, ClassifierCommand.self,
            CopyDatabaseCommand.self, BackupCommand.self, RestoreCommand.self, FeedCommand.self, ImportCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: ServeCommand.self)
}

/// A command that cannot do what it was asked says why in one line on standard error and exits 1,
/// without the usage text that a mistyped option earns.
func commandFailure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode.failure
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

    /// The location as it may be shown: a URL's password is never printed, also when the URL
    /// is malformed (then everything between `user:` and the last `@` is hidden).
    var displayed: String {
        if var components = URLComponents(string: location), components.host != nil {
            if components.password != nil { components.password = "****" }
            if let shown = components.string { return shown }
        }
        guard let scheme = location.range(of: "://"), let at = location.range(of: "@", options: .backwards),
            scheme.upperBound <= at.lowerBound
        else { return location }
        let credentials = location[scheme.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return location }
        return String(location[..<location.index(after: colon)]) + "****" + String(location[at.lowerBound...])
    }
}

/// Writes a line at once, also when output goes to a file or a service manager's pipe, where
/// `print` is block-buffered and the start-up lines (the address, the demo's users) would wait
/// for the buffer to fill.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
