import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// The rules a demo village writes (seeds 001 and 003: civic acts earn, lapses cost).
    static let pointsRules: [(name: String, points: Int)] = [
        ("参加志愿服务", 5), ("参与矛盾纠纷调解", 5), ("主动报告安全隐患", 3), ("庭院整洁评比达标", 2), ("参加村民议事会", 2),
        ("门前乱堆乱放", -3), ("违规焚烧秸秆", -5),
    ]
    static let pointsShop: [(item: String, points: Int)] = [("洗衣粉一袋", 10), ("食用油一桶", 30), ("大米一袋", 40)]

    /// Points schemes in the first village of every town, as the seeds' villages run them: the
    /// village's rules, a year of points recorded by its grid workers and its centre for a quarter
    /// of its households (at most 120), and some spent at the points shop. Each entry goes on the village's
    /// hash-chained ledger as the pages write it.
    static func writePoints(hierarchy: Hierarchy, people: People, into database: OneGridDatabase, seed: UInt64, now: Date) async throws {
        let store = SQLPointsStore(database: database)
        var rng = SeededGenerator(seed: seed ^ 0x504F_494E_5453)
        let calendar = WorkCalendar().civil
        for town in hierarchy.towns {
            guard let village = hierarchy.villages.first(where: { $0.parentID == town.id }), let centre = people.dispatchers[village.id]
            else { continue }
            let grids = Set(hierarchy.areas.map(\.area).filter { $0.parentID == village.id }.map(\.id))
            let workers = people.posts.filter { $0.role == .gridWorker && grids.contains($0.areaID) }
            let households = try await database.reader.select().column("id").from("households").where("village_id", .equal, village.id)
                .orderBy("id").all(decodingColumn: "id", as: Int64.self)
            guard !households.isEmpty else { continue }
            var rules: [PointsRule] = []
            for rule in pointsRules {
                rules.append(try await store.add(try PointsRule.draft(name: rule.name, points: rule.points, villageID: village.id), at: now.addingTimeInterval(-365 * 86_400)))
            }
            let earning = households.filter { _ in rng.chance(0.25) }.prefix(120)
            // About two entries a household a month, spread over the year, oldest first as the ledger is written.
            var planned: [(at: Date, household: Int64)] = []
            for household in earning {
                for _ in 0..<rng.int(6...30) {
                    // In working hours of a past day, when the village's centre and its grid workers record.
                    let day = calendar.startOfDay(for: now.addingTimeInterval(-Double(rng.int(1...365)) * 86_400))
                    planned.append((day.addingTimeInterval(Double(rng.int(8 * 60...18 * 60)) * 60), household))
                }
            }
            var balances: [Int64: Int] = [:]
            var entries: [PointsEntry] = []
            for (at, household) in planned.sorted(by: { $0.at < $1.at }) {
                let recorder = workers.isEmpty || rng.chance(0.3) ? centre.post : rng.pick(workers)
                let balance = balances[household, default: 0]
                let shop = rng.pick(pointsShop)
                let entry: PointsEntry
                if balance >= shop.points, rng.chance(0.15) {
                    entry = try PointsEntry.redemption(
                        of: shop.points, for: shop.item, householdID: household, villageID: village.id, balance: balance, by: centre.post, at: at)
                } else {
                    // Lapses are rarer than good deeds.
                    let rule = rng.chance(0.12) ? rng.pick(rules.filter { $0.points < 0 }) : rng.pick(rules.filter { $0.points > 0 })
                    entry = try PointsEntry.under(rule, householdID: household, householdVillageID: village.id, note: nil, by: recorder, at: at)
                }
                balances[household, default: 0] += entry.points
                entries.append(entry)
            }
            try await store.append(contentsOf: entries)
        }
    }
}
