import Foundation
import OneGridDemo
import OneGridStore
import SQLKit
import Testing

/// The demo city read through the cases table shows seed 003's shapes.
@Suite struct DemoShapeTests {
    /// Seed 003: of the problems passed on to the four platforms, 便民服务 65.44 %, 综合执法
    /// 12.18 %, 综治 11.13 %, 市场监管 2.72 %; the rest (disputes, petitions, hazards) outside them.
    @Test func casesSplitOverThePlatformsAsSeed003Does() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            _ = try await DemoCity.build(into: database, size: .tiny, cases: 3_000)
            let rows = try await database.reader.select()
                .column("platform").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("cases").groupBy("platform").all()
            var counts: [String: Int] = [:]
            for row in rows {
                counts[try row.decode(column: "platform", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            let total = Double(counts.values.reduce(0, +))
            func share(_ platform: String) -> Double { Double(counts[platform] ?? 0) / total * 100 }
            print("Platform shares of 3,000 demo cases: \(counts.mapValues { String(format: "%.2f", Double($0) / total * 100) })")
            // Drawn at random: about two standard errors of a share at 3,000 cases.
            #expect(abs(share("convenienceServices") - 65.44) < 2.0)
            #expect(abs(share("lawEnforcement") - 12.18) < 1.5)
            #expect(abs(share("governance") - 11.13) < 1.5)
            #expect(abs(share("marketSupervision") - 2.72) < 0.8)
            #expect(abs(share("other") - 8.53) < 1.2)
        }
    }
}
