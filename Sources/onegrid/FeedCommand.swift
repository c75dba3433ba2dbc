import ArgumentParser
import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore

/// `onegrid feed import`: a file of 110 incidents or public-opinion items, taken as the API takes
/// a batch (docs/hotline.md).
struct FeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Feed the data brain from files: 110 police incidents and public-opinion items.",
        subcommands: [Import.self])

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case police, opinion

        var feedKind: FeedKind { self == .police ? .policeIncident : .publicOpinion }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take an NDJSON file (one item a line) as the account named; print each refused line, and exit 1 if any was.",
            discussion: """
                Each item is stored once by its own id (a second import of the file takes nothing new), placed on the \
                grid or at its areaCode inside the account's area, and counted per area and day. Good lines are written \
                10,000 at a time; refused ones are printed as FILE:LINE: field: what was expected.
                """)

        @Option(help: "What the file holds: police (110 incidents) or opinion (public-opinion items).") var kind: Kind
        @Argument(help: "The NDJSON file.", completion: .file()) var file: String
        @Option(name: .customLong("as"), help: "The account that feeds: it holds a hotline agent post over the area the items lie in.")
        var username: String = "hotline"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw commandFailure("cannot read \(file): \(error.localizedDescription)")
            }
            let outcomes = try await OneGridDatabase.using(database.location) { db in
                try await Migrator().migrate(db)
                do {
                    return try await OneGridServices(database: db).feedIntake.importFile(kind.feedKind, lines: Feeds.lines(ndjson: data), as: username)
                } catch let error as DomainError {
                    throw commandFailure(error.message)
                }
            }
            for outcome in outcomes {
                guard let refusal = outcome.refusal else { continue }
                FileHandle.standardError.write(Data("\(file):\(outcome.line): \(refusal.field): expected \(refusal.expected)\n".utf8))
            }
            let count = { (kind: Feeds.Outcome.Kind) in outcomes.count { $0.kind == kind } }
            print("\(file): \(count(.taken)) taken, \(count(.repeated)) already there, \(count(.refused)) refused.")
            if count(.refused) > 0 { throw ExitCode.failure }
        }
    }
}
