import ArgumentParser
// `stdout`, a C global, is set once at start, before any other task runs.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation
import Hummingbird
import Logging
import OneGridApplication
import OneGridDemo
import OneGridStore
import OneGridWeb
import ServiceLifecycle
import Synchronization
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the OneGrid server.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Build the demo city into the database first, if it holds none.") var demo = false
    @Option(help: "Cases in the demo city (with --demo).") var cases = DemoCommand.defaultCases
    @Option(help: "Shift the server's clock by this many hours, to watch deadlines pass.") var clockOffsetHours: Double = 0
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Log lines as text, or as one JSON object each (with the request's id) for a log collector: text, json.")
    var logFormat = "text"
    @Option(help: "Folder for attachments (default: beside the SQLite file, e.g. onegrid-files/).") var attachments: String?
    @Option(help: "Largest attachment accepted, in MB.") var attachmentLimitMB = 10
    @OptionGroup var checkpoints: CheckpointOptions
    @Option(help: "Seconds between signed audit checkpoints.") var checkpointInterval = 3600
    @Option(help: "Seconds a client has to send a whole request head; then the connection is closed.") var headTimeout = 10
    @Option(help: "Seconds a kept-alive connection (or a stalled request body) may stay idle.") var idleTimeout = 60
    @Option(help: "Open connections at most; more are answered 503 and closed.") var maxConnections = 4000
    @Option(help: "Open connections at most from one address.") var maxConnectionsPerAddress = 200
    @Option(help: "Citizens' portal: reports an hour at most from one device (a cookie).") var citizenReportsPerDevice = 5
    @Option(help: "Citizens' portal: reports an hour at most from one network address.") var citizenReportsPerAddress = 30
    @Option(help: "Citizens' portal: days a source marked as abuse is refused.") var citizenBlockDays = 7
    @Option(
        help: "Citizens' portal: an SMS or WeChat gateway's URL told of acceptance, result and closure (POST JSON, signed with $ONEGRID_CITIZEN_WEBHOOK_SECRET)."
    ) var citizenWebhook: String?

    func run() async throws {
        ServerMemory.keepCompact()
        // Line by line also into a file or a service manager's pipe, where stdio would hold the
        // start-up lines (the demo's users among them) until its buffer filled.
        setvbuf(stdout, nil, _IOLBF, 0)
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        switch logFormat {
        case "text": break
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        default: throw ValidationError("--log-format must be text or json")
        }
        guard attachmentLimitMB > 0 else { throw ValidationError("--attachment-limit-mb must be a positive number of MB") }
        guard checkpointInterval > 0 else { throw ValidationError("--checkpoint-interval must be a positive number of seconds") }
        for (name, value) in [
            ("--head-timeout", headTimeout), ("--idle-timeout", idleTimeout), ("--max-connections", maxConnections),
            ("--max-connections-per-address", maxConnectionsPerAddress), ("--citizen-reports-per-device", citizenReportsPerDevice),
            ("--citizen-reports-per-address", citizenReportsPerAddress), ("--citizen-block-days", citizenBlockDays),
        ] where value <= 0 {
            throw ValidationError("\(name) must be a positive number")
        }
        _ = try citizenGateway()
        let listening = Listening()
        do {
            try await serve(level: level, listening: listening)
        } catch {
            // One line that says why, and no more: a server that cannot start must not fill a log
            // (or the disk) with retries and traces, and must not show the database's password.
            let why =
                listening.started
                ? "stopped: \(failureReason(error))"
                : listening.building
                    ? "cannot use the database \(database.displayed): \(failureReason(error))"
                    : "cannot listen on \(host):\(port): \(failureReason(error))"
            FileHandle.standardError.write(Data("onegrid: \(why)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The SMS or WeChat gateway and its secret. The secret stays off the command line, where
    /// every user of the machine could read it.
    private func citizenGateway() throws -> (url: String, secret: String)? {
        guard let citizenWebhook else { return nil }
        guard let url = URL(string: citizenWebhook), ["http", "https"].contains(url.scheme ?? "") else {
            throw ValidationError("--citizen-webhook must be an http or https URL")
        }
        guard let secret = ProcessInfo.processInfo.environment["ONEGRID_CITIZEN_WEBHOOK_SECRET"], !secret.isEmpty else {
            throw ValidationError("--citizen-webhook needs the secret it signs with in $ONEGRID_CITIZEN_WEBHOOK_SECRET")
        }
        return (citizenWebhook, secret)
    }

    private func serve(level: Logger.Level, listening: Listening) async throws {
        if demo {
            try await DemoCommand.buildIfEmpty(database: database.location, cases: cases)
        }
        // The sign-in page lists a few demo users, one per kind of desk, when serving the demo.
        let shown = ["town1", "handler.town1.market", "leader", "window1", "gridworker1", "county1", "mediator1", "handler.county1.petition", "admin"]
        let demoAccounts =
            demo
            ? shown.compactMap { name in
                DemoCity.walkthroughCredentials.first { $0.username == name }.map { DemoAccount(username: $0.username, post: $0.post) }
            } : []
        var config = AppConfig(
            database: database.location, host: host, port: port, logLevel: level, clockOffset: clockOffsetHours * 3600,
            demoAccounts: demoAccounts)
        config.attachments = attachments
        config.attachmentLimit = attachmentLimitMB << 20
        config.checkpoints = (checkpoints.auditKey, checkpoints.checkpoints, checkpointInterval)
        config.connections.headTimeout = .seconds(headTimeout)
        config.connections.idleTimeout = .seconds(idleTimeout)
        config.connections.maxConnections = maxConnections
        config.connections.maxConnectionsPerAddress = maxConnectionsPerAddress
        config.citizenLimits.perDevicePerHour = citizenReportsPerDevice
        config.citizenLimits.perAddressPerHour = citizenReportsPerAddress
        config.citizenLimits.blockFor = Double(citizenBlockDays) * 86_400
        config.citizenWebhook = try citizenGateway()
        let line = "OneGrid listening on http://\(host):\(port) (database: \(database.displayed))"
        config.onServerRunning = {
            listening.started = true
            announce(line)
        }
        let app = try await buildApplication(config)
        listening.building = false
        var logger = Logger(label: "onegrid")
        logger.logLevel = level
        var group = ServiceGroupConfiguration(services: [app, FreePagesReturn()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // SIGTERM or SIGINT ends the process in bounded time: requests in flight get a few
        // seconds to finish, then everything still running is cancelled.
        group.maximumGracefulShutdownDuration = .seconds(7)
        group.maximumCancellationDuration = .seconds(2)
        try await ServiceGroup(configuration: group).run()
    }
}

/// How far `onegrid serve` got, which names what a failure was about.
private final class Listening: Sendable {
    private let state = Mutex((building: true, started: false))
    var building: Bool {
        get { state.withLock { $0.building } }
        set { state.withLock { $0.building = newValue } }
    }
    var started: Bool {
        get { state.withLock { $0.started } }
        set { state.withLock { $0.started = newValue } }
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

/// Where the signing key of the audit checkpoints and the checkpoints themselves are kept.
struct CheckpointOptions: ParsableArguments {
    @Option(help: "The checkpoints' Ed25519 signing key, made on first use (owner-only); keep it off the database's machine if you can.")
    var auditKey = "onegrid-audit.key"
    @Option(help: "The folder the signed checkpoints are written to, for auditors to copy.")
    var checkpoints = "onegrid-checkpoints"
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the tamper-evident record.", subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash chain and replay every timeline against its case; with --checkpoint, check the record "
                + "still passes through each signed head. Exits 1 on any finding.")

        @OptionGroup var database: DatabaseOptions
        @Option(
            name: .customLong("checkpoint"),
            help: "A signed checkpoint file, or a folder of them, saved earlier (repeatable).")
        var checkpoints: [String] = []

        func run() async throws {
            let files = try checkpoints.flatMap(Self.files(at:))
            let signed = try files.map { file in
                do {
                    return try SignedCheckpoint(document: try Data(contentsOf: file))
                } catch {
                    throw ValidationError("--checkpoint: \(file.path) is not a OneGrid checkpoint (\(error))")
                }
            }
            let findings = try await Self.check(database.location, against: signed)
            if !findings.isEmpty { throw ExitCode(1) }
        }

        /// Replays the record at `location` (every hash chain, every timeline, the administrators'
        /// log, each signed head given) and prints what it found; `onegrid restore` asks the same
        /// of a backup before it takes its place.
        static func check(_ location: String, against signed: [SignedCheckpoint] = []) async throws -> [String] {
            let (cases, acts, findings) = try await OneGridDatabase.using(location) { db in
                let (cases, timelines) = try await SQLCaseStore(database: db).verifyTimelines()
                let (acts, log) = try await AdminLog.verify(in: db)
                var findings = timelines.map(\.description) + log
                for checkpoint in signed { findings += try await db.verify(against: checkpoint) }
                return (cases, acts, findings)
            }
            for finding in findings { print(finding) }
            print(
                "Checked \(cases) cases, \(acts) administrators' acts and \(signed.count) checkpoints: "
                    + (findings.isEmpty ? "the record is intact." : "\(findings.count) problems found."))
            return findings
        }

        /// A file, or the checkpoint files in a folder in order.
        static func files(at path: String) throws -> [URL] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ValidationError("--checkpoint: no file or folder \(path)")
            }
            guard isFolder.boolValue else { return [URL(fileURLWithPath: path)] }
            return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
                .map { URL(fileURLWithPath: path).appendingPathComponent($0) }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a checkpoint of every hash chain's head now (the server signs one every --checkpoint-interval).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: CheckpointOptions

        func run() async throws {
            let files = try await OneGridDatabase.using(database.location) { db in
                try await Migrator().migrate(db)
                return try await AuditCheckpoints(database: db, keyPath: options.auditKey, folder: options.checkpoints).checkpoint(at: Date())
            }
            print(files.isEmpty ? "Another server signed a checkpoint at the same moment; nothing written." : files.map { "Checkpoint signed: \($0.path)" }.joined(separator: "\n"))
        }
    }
}
