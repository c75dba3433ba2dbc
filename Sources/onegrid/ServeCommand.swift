import ArgumentParser
import Hummingbird
import Logging
import OneGridDemo
import OneGridStore
import OneGridWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the OneGrid server.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Build the demo city into the database first, if it holds none.") var demo = false
    @Option(help: "Cases in the demo city (with --demo).") var cases = DemoCommand.defaultCases
    @Option(help: "Shift the server's clock by this many hours, to watch deadlines pass.") var clockOffsetHours: Double = 0
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Folder for attachments (default: beside the SQLite file, e.g. onegrid-files/).") var attachments: String?
    @Option(help: "Largest attachment accepted, in MB.") var attachmentLimitMB = 10

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if demo {
            try await DemoCommand.buildIfEmpty(database: database.location, cases: cases)
        }
        // The sign-in page lists a few demo users, one per kind of desk, when serving the demo.
        let shown = ["town1", "handler.town1.market", "leader", "window1", "gridworker1", "county1", "admin"]
        let demoAccounts =
            demo
            ? shown.compactMap { name in
                DemoCity.walkthroughCredentials.first { $0.username == name }.map { DemoAccount(username: $0.username, post: $0.post) }
            } : []
        guard attachmentLimitMB > 0 else { throw ValidationError("--attachment-limit-mb must be a positive number of MB") }
        var config = AppConfig(
            database: database.location, host: host, port: port, logLevel: level, clockOffset: clockOffsetHours * 3600,
            demoAccounts: demoAccounts)
        config.attachments = attachments
        config.attachmentLimit = attachmentLimitMB << 20
        let app = try await buildApplication(config)
        announce("OneGrid listening on http://\(host):\(port) (database: \(database.displayed))")
        try await app.runService()
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply the schema migrations not yet applied.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let applied = try await OneGridDatabase.using(database.location) { try await Migrator().migrate($0) }
        print(applied.isEmpty ? "The schema is up to date." : "Applied: \(applied.joined(separator: ", "))")
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the tamper-evident timelines.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every timeline's hash chain; report events edited or removed. Exits 1 if any.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (checked, findings) = try await OneGridDatabase.using(database.location) {
                try await SQLCaseStore(database: $0).verifyTimelines()
            }
            for finding in findings { print(finding) }
            print("Checked \(checked) cases: \(findings.isEmpty ? "every timeline is intact" : "\(findings.count) problems found").")
            if !findings.isEmpty { throw ExitCode(1) }
        }
    }
}
