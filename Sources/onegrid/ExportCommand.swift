// Public: the export formats and figures of OneGridWeb are read as arguments here.
public import ArgumentParser
import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
public import OneGridWeb

/// `onegrid export`: the API's case and figure downloads, read from the database directly as an
/// account's post (or the city's administrator) sees them, into a file or standard output.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cases or figures as CSV (UTF-8 with a byte order mark) or NDJSON, as the API's downloads.",
        subcommands: [Cases.self, Figures.self])

    /// What both exports share: the format, the file, who reads and the database.
    struct Options: ParsableArguments {
        @Option(help: "csv (a spreadsheet: UTF-8 with a byte order mark, a header row) or ndjson (one JSON object a line).")
        var format: ExportFormat = .csv
        @Option(help: "The file to write (default: standard output); written whole or not at all.", completion: .file())
        var output: String?
        @Option(name: .customLong("as"), help: "Read as this account's post, seeing what it sees (default: the city's administrator, who sees everything).")
        var username: String?
        @Option(help: "With --as: the account's post to read as, when it holds several.") var post: Int64?
        @Option(help: "The language of a CSV's header row: zh-CN or en.") var language = "zh-CN"
        @OptionGroup var database: DatabaseOptions

        /// Opens the database, finds the post, and writes what `body` hands over to the output:
        /// a file appears only once complete, under its name.
        func run(_ body: @escaping @Sendable (Exports, Post, (_ bytes: [UInt8]) async throws -> Void) async throws -> Void) async throws {
            let target = output
            let partial = target.map { $0 + ".partial" }
            let handle: FileHandle
            if let partial {
                guard FileManager.default.createFile(atPath: partial, contents: nil), let file = FileHandle(forWritingAtPath: partial) else {
                    throw commandFailure("cannot write \(partial)")
                }
                handle = file
            } else {
                handle = FileHandle.standardOutput
            }
            do {
                try await OneGridDatabase.using(database.location) { db in
                    try await Migrator().migrate(db)
                    let services = try await OneGridServices(database: db)
                    let reader = try await services.commandLinePost(username: username, postID: post)
                    try await body(try Exports(services: services, language: language), reader) { try handle.write(contentsOf: $0) }
                }
                if let partial, let target {
                    try handle.close()
                    _ = try? FileManager.default.removeItem(atPath: target)
                    try FileManager.default.moveItem(atPath: partial, toPath: target)
                }
            } catch {
                if let partial {
                    try? handle.close()
                    try? FileManager.default.removeItem(atPath: partial)
                }
                switch error {
                case let error as DomainError: throw commandFailure(error.field.map { "\($0): \(error.message)" } ?? error.message)
                case let error as APIError: throw commandFailure(error.description)
                default: throw error
                }
            }
        }
    }

    struct Cases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every case the filters match, as GET /api/v1/cases/export answers (the case list's filters).",
            discussion: """
                Streamed a page at a time: a million cases take no more memory than one page. Repeat --status and \
                --category, or give them comma-separated.
                """)

        @Option(help: "A status (reported, accepted, assigned, inProgress, …).") var status: [String] = []
        @Option(help: "An area id or division code.") var area: String?
        @Option(help: "A category code or id, with its subcategories.") var category: [String] = []
        @Option(help: "A platform.") var platform: String?
        @Option(help: "A channel.") var channel: String?
        @Option(help: "A department id.") var department: String?
        @Option(help: "true: open and past due; false: the others.") var overdue: String?
        @Option(name: .customLong("q"), help: "Text in the title or description.") var text: String?
        @Option(help: "Reported at or after (a date or an ISO 8601 time).") var from: String?
        @Option(help: "Reported before (a date or an ISO 8601 time).") var to: String?
        @Option(help: "newest (default) or urgent.") var order: String?
        @OptionGroup var options: Options

        /// The filters as the API's query, so the API's parser reads them.
        var filters: String {
            let single: [(String, String?)] = [
                ("area", area), ("platform", platform), ("channel", channel), ("department", department), ("overdue", overdue),
                ("q", text), ("from", from), ("to", to), ("order", order),
            ]
            return ExportCommand.query(status.map { ("status", $0) } + category.map { ("category", $0) } + single.compactMap { name, value in value.map { (name, $0) } })
        }

        func run() async throws {
            let filters = filters
            let format = options.format
            try await options.run { exports, post, write in
                try await exports.cases(filters: filters, format: format, for: post, to: write)
            }
        }
    }

    struct Figures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Figures as GET /api/v1/figures/<which>?format= answers: overview (the command room's areas) or deadlines.")

        @Argument(help: "overview: the area and the areas one level down; deadlines: per area below the post's, or per department.")
        var which: Exports.Figures
        @Option(help: "overview: an area id within the post's (default: its own).") var area: String?
        @Option(help: "overview: the first month, YYYY-MM; deadlines: reported at or after (a date or an ISO 8601 time).") var from: String?
        @Option(help: "overview: the last month, YYYY-MM, included; deadlines: reported before.") var to: String?
        @Option(help: "deadlines: area (default) or department.") var groupBy: String?
        @OptionGroup var options: Options

        func run() async throws {
            let filters = ExportCommand.query(
                [("area", area), ("from", from), ("to", to), ("groupBy", groupBy)].compactMap { name, value in value.map { (name, $0) } })
            let which = which
            let format = options.format
            try await options.run { exports, post, write in
                try await write(try await exports.figures(which, filters: filters, format: format, for: post))
            }
        }
    }

    /// Name–value pairs as a URL's query, each value escaped.
    static func query(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` reads as a space in a query: spell it out.
        return (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension Exports.Figures: ExpressibleByArgument {}
