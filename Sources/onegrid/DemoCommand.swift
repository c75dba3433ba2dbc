import ArgumentParser
import Foundation
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import SQLKit

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build the demo city of the seeds: 3 counties, ~750 grids, departments, users and two years of cases.")

    static let defaultCases = 100_000

    @OptionGroup var database: DatabaseOptions
    @Option(help: "How many historical cases to generate.") var cases = DemoCommand.defaultCases

    func run() async throws {
        guard cases >= 0 else { throw ValidationError("--cases must be 0 or more") }
        try await OneGridDatabase.using(database.location) { try await Self.build(into: $0, cases: cases) }
    }

    /// For `serve --demo`: builds the city unless the database already has one.
    static func buildIfEmpty(database location: String, cases: Int) async throws {
        try await OneGridDatabase.using(location) { db in
            try await Migrator().migrate(db)
            let areas = try await db.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("areas")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            if areas == 0 {
                try await build(into: db, cases: cases)
            } else {
                print("The database already holds a city; demo users keep the password '\(DemoCity.password)'.")
                printCredentials(DemoCity.walkthroughCredentials)
            }
        }
    }

    static func build(into db: OneGridDatabase, cases: Int) async throws {
        let started = Date()
        let bar = ProgressBar(started: started)
        let summary = try await DemoCity.build(into: db, size: .full, cases: cases) { done, total in
            bar.show(done: done, total: total)
        }
        let seconds = Date().timeIntervalSince(started)
        print("")
        print(
            "Demo city built in \(String(format: "%.1f", seconds)) s: \(summary.areas) areas (\(summary.grids) grids), "
                + "\(summary.departments) departments, \(summary.categories) categories, \(summary.users) users, \(summary.cases) cases.")
        try await ClassifierCommand.Train.train(db, cases: 100_000)
        // A server running last week would have judged the risk picture then. Judged once as of a
        // week ago (always inside the last whole week), the weekly stability report the server
        // issues when it starts has that week's reds and yellows, their owners and follow-ups to
        // report, instead of a blank week before the first judgement.
        _ = try await OneGridServices(database: db).riskWatch.judge(at: Date().addingTimeInterval(-7 * 86_400))
        printCredentials(summary.credentials)
    }

    static func printCredentials(_ credentials: [DemoCity.Credential]) {
        print("Sign in (POST /api/v1/session) as any of these; every password is '\(DemoCity.password)':")
        print(
            "(demo passwords are hashed at bcrypt cost \(DemoCity.passwordCost), cheaper than the cost "
                + "\(AdministrationUsers.passwordCost) of accounts an administrator creates, so the demo signs in quickly)")
        let width = credentials.map(\.username.count).max() ?? 10
        for credential in credentials {
            print("  \(credential.username.padding(toLength: width, withPad: " ", startingAt: 0))  \(credential.role.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0))  \(credential.post)")
        }
    }
}
