import ArgumentParser
import Foundation
import OneGridStore

/// `onegrid classifier train`: retrains the category proposal on the city's own closed cases and
/// the categories' keywords, and stores it for the intake to use.
struct ClassifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier", abstract: "The model that proposes a case's category from its text.",
        subcommands: [Train.self])

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train on the newest closed cases plus the categories' keywords, store the model, "
                + "and print its accuracy on a held-out tenth.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "How many of the newest closed cases to learn from.") var cases: Int = 100_000

        func validate() throws {
            guard cases > 0 else { throw ValidationError("--cases must be a positive number of cases") }
        }

        func run() async throws {
            try await OneGridDatabase.using(database.location) { db in
                try await Migrator().migrate(db)
                try await Self.train(db, cases: cases)
            }
        }

        static func train(_ db: OneGridDatabase, cases: Int) async throws {
            let started = ContinuousClock.now
            let training = try await CategoryModelStore(database: db).train(newest: cases, now: Date())
            let elapsed = ContinuousClock.now - started
            func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
            print(
                "Category model trained on \(training.trainedOn) closed cases in "
                    + "\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated))); "
                    + "on \(training.heldOut) held out: top-1 \(percent(training.top1)), top-3 \(percent(training.top3)).")
        }
    }
}
