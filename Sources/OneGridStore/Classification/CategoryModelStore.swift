public import Foundation
public import OneGridDomain
import SQLKit

/// Trains the category model on the city's own closed cases and keeps it in the settings table.
///
/// Why a settings row: the model is replaced whole on each training and read whole at start-up,
/// every instance of a cluster must read the same one, and the table already gives that on both
/// databases. A table of its own would only add a schema step for one row.
public struct CategoryModelStore: Sendable {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    public struct Training: Sendable {
        public var model: CategoryClassifier
        /// Cases the stored model was trained on, and the tenth held out to measure it.
        public var trainedOn: Int
        public var heldOut: Int
        /// Shares of the held-out cases whose category was the first proposal, and among the first three.
        public var top1: Double
        public var top3: Double
    }

    /// Trains on the descriptions of the newest `newest` closed (or archived) cases plus every
    /// category's keywords. Not on titles: a title is the staff's summary, often written once the
    /// category is chosen, while a proposal is made from what the reporter said. Every tenth case is first held out of a trial model to measure it;
    /// the model stored is then trained on all of them.
    public func train(newest: Int, now: Date) async throws -> Training {
        let rows = try await database.reader.select()
            .column("description").column("category_id")
            .from("cases")
            .where("status", .in, [CaseStatus.closed.rawValue, CaseStatus.archived.rawValue])
            .orderBy("id", .descending)
            .limit(newest)
            .all()
        let examples = try rows.map { row in
            CategoryClassifier.Example(
                text: try row.decode(column: "description", as: String.self),
                categoryID: try row.decode(column: "category_id", as: Int64.self))
        }
        let keywords = try await SQLHierarchyStore(database: database).loadDirectory().categories
            .values.filter { !$0.keywords.isEmpty }
            .reduce(into: [Int64: [String]]()) { $0[$1.id] = $1.keywords }

        let heldOut = stride(from: 0, to: examples.count, by: 10).map { examples[$0] }
        let trial = CategoryClassifier(
            examples: examples.indices.filter { $0 % 10 != 0 }.map { examples[$0] }, keywords: keywords)
        var top1 = 0
        var top3 = 0
        for example in heldOut {
            let proposals = trial.propose(example.text, limit: 3)
            if proposals.first?.categoryID == example.categoryID { top1 += 1 }
            if proposals.contains(where: { $0.categoryID == example.categoryID }) { top3 += 1 }
        }
        let model = CategoryClassifier(examples: examples, keywords: keywords)
        try await SQLSettingsStore(database: database).set(.categoryModel, to: model, at: now)
        let measured = Double(max(heldOut.count, 1))
        return Training(
            model: model, trainedOn: examples.count, heldOut: heldOut.count, top1: Double(top1) / measured,
            top3: Double(top3) / measured)
    }

    /// The stored model, or nil when none has been trained.
    public func load() async throws -> CategoryClassifier? {
        try await SQLSettingsStore(database: database).value(.categoryModel)
    }
}
