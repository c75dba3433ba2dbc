import ArgumentParser
import Foundation
import Logging
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore

/// `onegrid import`: a city's grids, residents and historic cases from files, every row checked
/// and every refused one reported; with any refused row nothing is written unless `--partial`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load grids (GeoJSON), departments, users, categories, historic cases (CSV, Excel .xlsx or NDJSON) or residents (CSV or .xlsx) from a file.",
        discussion: """
            Every row is checked before anything is written. Each refused row is printed as FILE:LINE: field: what was \
            expected (for grids, LINE is the feature's place in the collection), and with --report also written to a CSV \
            file. With any refused row nothing is written, unless --partial, which writes the rows that pass. The exit \
            status is 1 when any row was refused. A users file without passwords needs --report: the generated ones are \
            written there, and nowhere else. The column names are in the README ("Loading a city from files").
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case grids, departments, users, categories, residents, cases

        /// The roles that may load this kind.
        var roles: Set<Role> {
            switch self {
            case .grids: [.administrator]
            case .departments, .users, .categories: DirectoryImport.importers
            case .residents: BaseDataPolicy.editors
            case .cases: CaseHistoryImport.importers
            }
        }
    }

    @Argument(help: "What the file holds: grids, departments, users, categories, residents or cases.") var kind: Kind
    @Argument(help: "The file: .geojson for grids; .csv or .xlsx for residents; .csv, .xlsx or .ndjson for the others.", completion: .file())
    var file: String
    @Flag(help: "Write the rows that pass even when others are refused.") var partial = false
    @Option(help: "Also write the refused rows to this CSV file (line, field, expected), and for users the generated passwords.", completion: .file())
    var report: String?
    @Option(name: .customLong("as"), help: "The account that loads: it holds a post allowed to (grids, departments, users, categories: administrator).")
    var username: String = "admin"
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw commandFailure("cannot read \(file): \(error.localizedDescription)")
        }
        let onTerminal = isatty(STDOUT_FILENO) == 1
        let (written, problems, passwords) = try await OneGridDatabase.using(database.location) { db in
            try await Migrator().migrate(db)
            // Each row's change is in the administrators' log; a notice a row would bury the refusals.
            var logger = Logger(label: "onegrid")
            logger.logLevel = .warning
            let services = try await OneGridServices(database: db, logger: logger)
            guard let user = try await services.people.credentials(username: username)?.user,
                let post = try await services.people.posts(ofUser: user.id).first(where: { kind.roles.contains($0.role) })
            else {
                let roles = kind.roles.map(\.rawValue).sorted().joined(separator: " or ")
                throw commandFailure("no account \(username) holding a \(roles) post (--as)")
            }
            let principal = Principal(user: user, post: post)
            do {
                return try await load(bytes, into: services, by: principal, onTerminal: onTerminal)
            } catch let error as DomainError {
                throw commandFailure(error.message)
            } catch let refusal as DirectoryRefusal {
                throw commandFailure("\(refusal.field): \(refusal.reason)")
            } catch let unreadable as Spreadsheet.Unreadable {
                throw commandFailure("\(file): \(unreadable.description)")
            }
        }
        for problem in problems {
            FileHandle.standardError.write(Data("\(file):\(problem.line): \(problem.field): expected \(problem.expected)\n".utf8))
        }
        if let report {
            var text = CSV.byteOrderMark + CSV.line(["line", "field", "expected"])
            for problem in problems { text += CSV.line([String(problem.line), problem.field, problem.expected]) }
            if !passwords.isEmpty {
                text += CSV.line([]) + CSV.line(["line", "username", "password"])
                for generated in passwords { text += CSV.line([String(generated.line), generated.username, generated.password]) }
            }
            do {
                try Data(text).write(to: URL(fileURLWithPath: report))
            } catch {
                throw commandFailure("cannot write \(report): \(error.localizedDescription)")
            }
        }
        // A row may be refused for several cells; it counts once.
        let refused = Set(problems.map(\.line)).count
        print("\(file): \(written > 0 ? "\(written) \(kind.rawValue)" : "nothing") written, \(refused) rows refused.")
        if !passwords.isEmpty, let report { print("\(report): the generated passwords of \(passwords.count) accounts; hand each over and delete the file.") }
        if !problems.isEmpty { throw ExitCode.failure }
    }

    /// Writes the file and answers what was written, every refusal and the passwords generated.
    private func load(
        _ bytes: [UInt8], into services: OneGridServices, by principal: Principal, onTerminal: Bool
    ) async throws -> (Int, [ImportProblem], [DirectoryImport.GeneratedPassword]) {
        let bar = ProgressBar(started: Date())
        let progress: @Sendable (Int, Int) -> Void = { done, total in if onTerminal { bar.show(done: done, total: total) } }
        switch kind {
        case .grids:
            let report = try await services.administrationAreas.uploadGrids(bytes, partial: partial, by: principal)
            return (report.accepted.count, report.refused.map { ImportProblem(line: $0.feature, field: $0.code.isEmpty ? "feature" : $0.code, expected: Self.expected($0.reason)) }, [])
        case .departments, .users, .categories:
            let directoryKind = DirectoryImport.Kind(rawValue: kind.rawValue)!
            let read = try ImportRecord.records(bytes, named: file, columns: directoryKind.columns)
            // A generated password is shown once: with no report to hold it, it would be lost.
            if directoryKind == .users, report == nil, DirectoryImport.needGeneratedPasswords(read.records) {
                throw commandFailure("some rows have no password: give --report FILE to receive the generated ones")
            }
            let outcome = try await services.directoryImport.importRecords(
                directoryKind, read.records, readProblems: read.problems, partial: partial, by: principal, progress: progress)
            if onTerminal, !read.records.isEmpty { print("") }
            return (outcome.written, outcome.problems, outcome.generatedPasswords)
        case .residents:
            let outcome = try await services.gridBaseData.importResidents(try ImportRecord.table(bytes, named: file), partial: partial, by: principal)
            return (outcome.residents, outcome.problems, [])
        case .cases:
            let read =
                ImportRecord.isNDJSON(file)
                ? CaseHistoryImport.rows(ndjson: Data(bytes)) : CaseImport.rows(csv: try ImportRecord.table(bytes, named: file))
            let outcome = try await services.caseHistoryImport.importCases(read.rows, readProblems: read.problems, partial: partial, by: principal, progress: progress)
            if onTerminal, outcome.written > 0 { print("") }
            return (outcome.written, outcome.problems, [])
        }
    }

    private static func expected(_ reason: AdministrationAreas.GridUploadReport.Refused.Reason) -> String {
        switch reason {
        case .notFeature: "a GeoJSON Feature with properties"
        case .codeFormat: "a 15-digit grid code in properties.code"
        case .codeOutsideVillage: "a grid code beginning with its village's code"
        case .codeTaken: "a grid code not yet used"
        case .duplicateInFile: "a grid code given once in the file"
        case .nameLength: "a name of 1–40 characters"
        case .unknownVillage: "the 12-digit code of a village of the city in properties.villageCode"
        case .geometryType: "a Polygon (or a MultiPolygon of one polygon)"
        case .multiPart: "a MultiPolygon of one polygon"
        case .holes: "a polygon without holes"
        case .ringTooShort: "a ring of at least four positions"
        case .ringNotClosed: "a ring whose last position is its first"
        case .coordinateFormat: "positions as [longitude, latitude]"
        case .coordinateRange: "longitudes within ±180 and latitudes within ±90"
        case .householdsFormat: "households as a whole number from 0 to 100,000"
        }
    }
}
