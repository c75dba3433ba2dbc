import Foundation
import OneGridDemo
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// The category proposal as the intake will use it: trained by `CategoryModelStore` on a demo
/// city's closed cases and its categories' keywords, then measured on realistic reports written
/// apart from the demo's generator (Resources/category-texts.tsv).
@Suite struct CategoryProposalTests {
    /// (category code, text) per line of the labelled set.
    static func labelledTexts() throws -> [(code: String, text: String)] {
        let url = try #require(Bundle.module.url(forResource: "category-texts", withExtension: "tsv"))
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            return (String(fields[0]), String(fields[1]))
        }
    }

    /// Trained as `onegrid classifier train` trains on the full demo city (up to 100,000 cases of
    /// the year's mix), but on descriptions drawn straight from the demo's generator, since
    /// building that city here would take minutes.
    @Test func proposesTheRightCategoryForRealisticWording() throws {
        let catalogue = DemoCity.categories
        let idByCode = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.code, $0.id) })
        let examples = DemoCity.sampleReports(count: 100_000).map {
            CategoryClassifier.Example(text: $0.text, categoryID: idByCode[$0.categoryCode]!)
        }
        let keywords = catalogue.filter { !$0.keywords.isEmpty }.reduce(into: [Int64: [String]]()) {
            $0[$1.id] = $1.keywords
        }
        let model = CategoryClassifier(examples: examples, keywords: keywords)

        let texts = try Self.labelledTexts()
        // Every leaf is measured, on at least eight texts.
        for leaf in catalogue where leaf.parentID != nil {
            #expect(texts.filter { $0.code == leaf.code }.count >= 8, "\(leaf.code)")
        }
        var top1 = 0
        var top3 = 0
        for (code, text) in texts {
            let want = try #require(idByCode[code], "unknown category \(code)")
            let proposals = model.propose(text, limit: 3)
            if proposals.first?.categoryID == want { top1 += 1 }
            if proposals.contains(where: { $0.categoryID == want }) { top3 += 1 }
        }
        let share1 = Double(top1) / Double(texts.count)
        let share3 = Double(top3) / Double(texts.count)
        print(
            "Category proposal on \(texts.count) labelled texts: top-1 \(String(format: "%.1f", share1 * 100)) %, "
                + "top-3 \(String(format: "%.1f", share3 * 100)) %")
        #expect(share1 >= 0.80)
        #expect(share3 >= 0.95)
    }

    @Test(arguments: TestDatabases.kinds)
    func keywordsAreStoredWithTheCategoryAndTheModelRoundTrips(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            _ = try await DemoCity.build(into: database, size: .tiny, cases: 300)
            let categories = Array(try await SQLHierarchyStore(database: database).loadDirectory().categories.values)
            let streetlight = try #require(categories.first { $0.code == "service.streetlight" })
            #expect(streetlight.keywords.contains("路灯"))
            // Roots are headings, not destinations: no keywords of their own.
            #expect(categories.filter { $0.parentID == nil }.allSatisfy { $0.keywords.isEmpty })

            let store = CategoryModelStore(database: database)
            #expect(try await store.load() == nil)
            let trained = try await store.train(newest: 10_000, now: Date())
            let loaded = try #require(try await store.load())
            let text = "小区门口的路灯坏了好几天了"
            #expect(loaded.propose(text) == trained.model.propose(text))
            #expect(loaded.propose(text).first?.categoryID == streetlight.id)
        }
    }
}
