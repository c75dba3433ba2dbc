import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// A notice the demo's centres send, and how its receivers answered by `now`.
    private struct NoticePlan {
        var sender: Area
        var title: String
        var body: String
        var response: NoticeResponse
        var daysAgo: Double
        /// Days after publishing the answer is due.
        var dueAfter: Double?
        var readShare: Double
        /// Of the receivers, those who answered in time and those who answered late.
        var answeredShare: Double
        var lateShare: Double
    }

    static let noticeReplies = [
        "已收到，本村已部署落实。", "本村排查矛盾纠纷 3 起，已化解 2 起，1 起正在调解。", "已完成辖区走访，未发现新的风险隐患。",
        "已组织网格员逐户排查，发现隐患 1 处，已整改。",
    ]

    /// Notices as the seeds' centres send them down (通知公告): the city to everyone for
    /// information, each county asking its towns and villages to acknowledge a screening drive
    /// (due and mostly answered, a few late or missing), every town an acknowledgement due in two
    /// days, and the first town a written report due later this week, half answered so far.
    static func writeNotices(hierarchy: Hierarchy, people: People, into database: OneGridDatabase, seed: UInt64, now: Date) async throws {
        let store = SQLNoticeStore(database: database)
        var directory = Directory()
        for area in hierarchy.areas { directory.add(area.area) }
        var rng = SeededGenerator(seed: seed ^ 0x4E4F_5449_4345)
        var plans = [
            NoticePlan(
                sender: hierarchy.city, title: "关于做好岁末年初社会面稳定工作的通知",
                body: "各县（区）综治中心：\n岁末年初是矛盾纠纷易发多发期。请各地压实网格责任，加强重点人员走访，做好欠薪、婚恋家庭等纠纷的排查化解，重大情况及时报告。\n\n示范市社会治理综合服务中心",
                response: .none, daysAgo: 20, dueAfter: nil, readShare: 0.9, answeredShare: 0, lateShare: 0)
        ]
        for county in hierarchy.counties {
            plans.append(NoticePlan(
                sender: county, title: "关于开展矛盾纠纷集中排查化解专项行动的通知",
                body: "各乡镇（街道）、村（社区）：\n即日起开展为期一个月的矛盾纠纷集中排查化解专项行动，村级每周、乡镇每半月排查一次，排查结果录入一张网。请收到后确认。\n\n\(county.name)综治中心",
                response: .acknowledge, daysAgo: 12, dueAfter: 5, readShare: 0.95, answeredShare: 0.84, lateShare: 0.08))
        }
        for (index, town) in hierarchy.towns.enumerated() {
            plans.append(NoticePlan(
                sender: town, title: "关于做好冬季防火安全检查的通知",
                body: "各村（社区）：\n请组织网格员对出租房、沿街店铺、老旧小区开展防火安全检查，发现隐患当场登记上报。请收到后确认。\n\n\(town.name)综治中心",
                response: .acknowledge, daysAgo: 1, dueAfter: 3, readShare: 0.7, answeredShare: 0.5, lateShare: 0))
            if index == 0 {
                plans.append(NoticePlan(
                    sender: town, title: "关于报送本月网格走访及纠纷排查情况的通知",
                    body: "各村（社区）：\n请于本周五前书面报送本月网格走访户数、发现的矛盾纠纷及化解情况。\n\n\(town.name)综治中心",
                    response: .reply, daysAgo: 2, dueAfter: 5, readShare: 0.6, answeredShare: 0.4, lateShare: 0))
            }
        }
        for plan in plans {
            guard let sender = people.dispatchers[plan.sender.id] else { continue }
            let publishedAt = now.addingTimeInterval(-plan.daysAgo * 86_400)
            let draft = NoticeDraft(
                title: plan.title, body: plan.body, audienceAreaIDs: [], response: plan.response,
                dueAt: plan.dueAfter.map { publishedAt.addingTimeInterval($0 * 86_400) })
            let notice = try draft.notice(from: sender.post, in: directory, at: publishedAt)
            let below = directory.areas.values.filter { area in directory.lineage(of: area.id).contains { $0.id == plan.sender.id } }
            let recipients = try await store.recipients(inAreas: below.map(\.id)).filter { $0.postID != sender.post.id }
            let published = try await store.publish(notice, to: recipients)
            // How each receiver stands now: read within the first days, answered in time, late, or not yet.
            var answers: [(postID: Int64, readAt: Int64, answeredAt: Int64?, reply: String?)] = []
            let elapsed = now.timeIntervalSince(publishedAt)
            for recipient in recipients where rng.chance(plan.readShare) {
                let roll = rng.unit()
                let due = notice.dueAt.map { $0.timeIntervalSince(publishedAt) } ?? elapsed
                let readAfter = min(elapsed, due) * rng.unit() * 0.6
                var answeredAfter: Double?
                if roll < plan.answeredShare {
                    answeredAfter = readAfter + (min(elapsed, due) - readAfter) * rng.unit()
                } else if roll < plan.answeredShare + plan.lateShare, due < elapsed {
                    answeredAfter = due + (elapsed - due) * rng.unit()
                }
                answers.append((
                    recipient.postID, publishedAt.addingTimeInterval(readAfter).millisecondsSince1970,
                    answeredAfter.map { publishedAt.addingTimeInterval($0).millisecondsSince1970 },
                    answeredAfter != nil && plan.response == .reply ? rng.pick(Self.noticeReplies) : nil))
            }
            try await database.transaction { [answers] db in
                for answer in answers {
                    try await db.update("notice_receipts").set("read_at", to: SQLBind(answer.readAt))
                        .set("answered_at", to: SQLBind(answer.answeredAt)).set("reply", to: SQLBind(answer.reply))
                        .where("notice_id", .equal, published.id).where("post_id", .equal, answer.postID).run()
                }
            }
        }
    }
}
