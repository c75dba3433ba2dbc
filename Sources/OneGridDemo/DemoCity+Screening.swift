import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// The shape of the screening rounds: each level at the seed's cadence over its recent past,
    /// every tenth grid and every fifth village skipping its latest rounds so the command room
    /// has overdue ones to show, and a risk found on one round in twelve.
    enum ScreeningShape {
        /// How far back rounds go, per level, in days.
        static let history: [AdminLevel: Int] = [.grid: 7, .village: 56, .town: 60, .city: 180]
        static let skippingGrid = 10
        static let skippingVillage = 5
        static let findingEvery = 12
        static let checked: [AdminLevel: String] = [
            .grid: "入户走访、查看出租房和沿街商铺，排查邻里、家庭矛盾",
            .village: "召开村（居）民小组长排查会，汇总网格排查情况",
            .town: "镇综治中心会同派出所、司法所、信访办研判排查",
            .city: "市综治中心月度矛盾纠纷排查研判",
        ]
        static let findings = [
            "两户因宅基地边界发生口角", "租户拖欠房租与房东争执", "婆媳矛盾反复", "楼上漏水影响楼下住户",
            "工地拖欠农民工工资", "物业费纠纷，业主拒缴", "流转土地租金未按期支付",
        ]
    }

    /// Writes the screening rounds of every grid, village, town and the city, as their grid
    /// workers and centres recorded them, at the cadence the seed sets (`ScreeningCadence.default`).
    /// A city without cases (the tests' and the fault suite's, on a small disk) has no rounds.
    static func writeScreeningRounds(
        hierarchy: Hierarchy, people: People, cases: Int, into database: OneGridDatabase, seed: UInt64, now: Date
    ) async throws {
        guard cases > 0 else { return }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FigureMonth.cityTimeZone
        let today = calendar.startOfDay(for: now)
        let byID = Dictionary(uniqueKeysWithValues: hierarchy.areas.map { ($0.area.id, $0.area) })
        /// The area and those above it, from the city down.
        func lineage(_ area: Area) -> [Area] {
            var chain = [area]
            while let parent = chain[0].parentID.flatMap({ byID[$0] }) { chain.insert(parent, at: 0) }
            return chain
        }
        var rng = SeededGenerator(seed: seed ^ 0x5343_5245_454E)
        var rounds: [(round: ScreeningRound, lineage: [Area])] = []
        var count = 0
        func add(_ area: Area, _ actor: Actor?, skipping: Int) {
            guard let actor, let cadence = ScreeningCadence.default.days(at: area.level), let history = ScreeningShape.history[area.level] else { return }
            // Back from a few days ago for the skipping areas, from today for the others.
            var day = skipping > 0 ? -(cadence + skipping) : 0
            while -day < history {
                // Done during working hours on the day, never later than now.
                let at = min(now.addingTimeInterval(-60), (calendar.date(byAdding: .day, value: day, to: today) ?? today).addingTimeInterval(Double.random(in: 8.5...17.5, using: &rng) * 3_600))
                count += 1
                let findings =
                    count % ScreeningShape.findingEvery == 0
                    ? [ScreeningRound.Finding(number: 1, text: ScreeningShape.findings[count % ScreeningShape.findings.count])] : []
                rounds.append(
                    (ScreeningRound(
                        id: 0, areaID: area.id, level: area.level, doneAt: at, userID: actor.post.userID, postID: actor.post.id,
                        checked: ScreeningShape.checked[area.level] ?? "", findings: findings), lineage(area)))
                day -= cadence
            }
        }
        for (index, grid) in hierarchy.grids.enumerated() {
            add(grid.area, people.gridWorkers[grid.area.id], skipping: index % ScreeningShape.skippingGrid == ScreeningShape.skippingGrid - 1 ? 2 : 0)
        }
        for (index, village) in hierarchy.villages.enumerated() {
            add(village, people.dispatchers[village.id], skipping: index % ScreeningShape.skippingVillage == ScreeningShape.skippingVillage - 1 ? 3 : 0)
        }
        for town in hierarchy.towns { add(town, people.dispatchers[town.id], skipping: 0) }
        add(hierarchy.city, people.dispatchers[hierarchy.city.id], skipping: 0)
        _ = try await SQLScreeningStore(database: database).record(rounds)
    }
}
