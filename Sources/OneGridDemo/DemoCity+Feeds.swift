import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// The feeds' shape: items a day per county at the full demo's 100,000 cases, fewer in
    /// proportion for a smaller demo. A county's police platform passes on the incidents that
    /// concern grid governance (disputes, nuisances, thefts, accidents, calls for help: about a
    /// tenth of its 110 calls), and a monitoring service the local items it flags.
    enum FeedShape {
        static let policePerCountyDay = 12.0
        static let opinionPerCountyDay = 2.0
        /// Of the dispute incidents, those the police name a case of the grid for.
        static let linkedShare = 0.03
        static let fullDemoCases = 100_000.0
    }

    /// A year of 110 incidents and public-opinion items before `now`, each placed on a grid of
    /// its county, fed as the city's integration account feeds them; a few dispute incidents
    /// name a case reported in their grid around that day.
    static func writeFeeds(hierarchy: Hierarchy, people: People, cases: Int, into database: OneGridDatabase, seed: UInt64, now: Date) async throws {
        let scale = min(1, Double(cases) / FeedShape.fullDemoCases)
        guard scale > 0 else { return }
        var rng = SeededGenerator(seed: seed ^ 0x4645_4544_53)
        let timeZone = WorkCalendar().timeZone
        let store = SQLFeedStore(database: database)
        // The cases of each grid by report time, for the few incidents that name one.
        struct CaseRow: Decodable {
            var id: Int64
            var gridId: Int64
            var createdAt: Int64
        }
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        var casesByGrid: [Int64: [CaseRow]] = [:]
        for row in try await database.reader.select().columns("id", "grid_id", "created_at").from("cases")
            .where("created_at", .greaterThanOrEqual, yearAgo.millisecondsSince1970).orderBy("created_at")
            .all(decoding: CaseRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        { casesByGrid[row.gridId, default: []].append(row) }

        var batch: [PlacedFeedItem] = []
        var due = (police: 0.0, opinion: 0.0)
        var serial = 0
        for county in hierarchy.counties {
            let grids = hierarchy.grids.filter { $0.county.id == county.id }
            guard !grids.isEmpty else { continue }
            for day in 0..<365 {
                let dayStart = yearAgo.addingTimeInterval(Double(day) * 86_400)
                due.police += FeedShape.policePerCountyDay * scale
                due.opinion += FeedShape.opinionPerCountyDay * scale
                while due.police >= 1 || due.opinion >= 1 {
                    let kind: FeedKind = due.police >= 1 ? .policeIncident : .publicOpinion
                    if kind == .policeIncident { due.police -= 1 } else { due.opinion -= 1 }
                    let grid = rng.pick(grids)
                    let at = dayStart.addingTimeInterval(Double(rng.int(0...86_399)))
                    let point = grid.point(using: &rng)
                    serial += 1
                    var item: FeedItem
                    switch kind {
                    case .policeIncident:
                        let incident = rng.pick(DemoTexts.incidents)
                        let dispute = incident.dispute
                        item = FeedItem(
                            kind: kind, itemID: "J\(county.code.prefix(6))\(String(format: "%09d", serial))", occurredAt: at,
                            place: .point(point), placeName: "\(grid.village.name)\(rng.pick(DemoTexts.roads))",
                            text: "\(grid.village.name)\(incident.summary)", incidentKind: incident.kind, parties: rng.int(incident.parties),
                            isDispute: dispute)
                        if dispute, rng.chance(FeedShape.linkedShare),
                            let near = casesByGrid[grid.area.id]?.first(where: { abs($0.createdAt - at.millisecondsSince1970) < 86_400_000 })
                        {
                            item.caseID = near.id
                        }
                    case .publicOpinion:
                        let topic = rng.pick(DemoTexts.opinionTopics)
                        item = FeedItem(
                            kind: kind, itemID: "op-\(county.code.prefix(6))-\(serial)", occurredAt: at, place: .point(point), placeName: grid.village.name,
                            title: "\(grid.village.name)\(topic)", text: "网友反映：\(grid.village.name)\(topic)，希望有关部门尽快处理。",
                            source: rng.pick(DemoTexts.opinionSources), url: "https://opinion.example/\(county.code.prefix(6))/\(serial)",
                            heat: (100 * rng.unit() * rng.unit() * 10).rounded() / 10)
                    }
                    var path: [AdminLevel: Int64] = [:]
                    for level in AdminLevel.allCases { path[level] = grid.path[level] }
                    batch.append(PlacedFeedItem(
                        item: item, path: path, level: .grid, day: FeedItem.day(of: at, in: timeZone), postID: people.hotline.post.id,
                        receivedAt: at.addingTimeInterval(600)))
                }
            }
            for start in stride(from: 0, to: batch.count, by: 2_000) {
                _ = try await store.record(Array(batch[start..<min(start + 2_000, batch.count)]))
            }
            batch.removeAll()
        }
    }
}

extension DemoTexts {
    /// 110 incidents the police platform passes on to the grid: kind, summary, parties, dispute.
    static let incidents: [(kind: String, summary: String, parties: ClosedRange<Int>, dispute: Bool)] = [
        ("邻里纠纷", "两户村民因宅基地界线发生争执，民警到场劝解", 2...4, true),
        ("家庭纠纷", "夫妻因家庭琐事争吵，一方报警求助", 2...3, true),
        ("劳资纠纷", "工人聚集讨要拖欠工资", 5...20, true),
        ("噪音扰民", "夜间广场舞音响声音过大，居民报警", 1...2, false),
        ("盗窃", "村民电动车在路边被盗", 1...1, false),
        ("交通事故", "两车剐蹭，双方对责任有争议", 2...2, true),
        ("求助", "老人走失，家属报警求助", 1...2, false),
        ("电信诈骗", "村民接到冒充客服电话被骗", 1...1, false),
        ("消费纠纷", "顾客与商户因退货发生争执", 2...3, true),
    ]
    static let opinionTopics = ["路面积水严重无人处理", "小区物业乱收费", "菜市场占道经营", "垃圾清运不及时", "夜间施工噪音扰民", "路灯长期不亮", "河道漂浮垃圾"]
    static let opinionSources = ["微博", "抖音", "本地论坛", "微信公众号", "新闻客户端"]
}
