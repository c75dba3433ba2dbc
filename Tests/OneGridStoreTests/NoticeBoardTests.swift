import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// Notices (通知公告) on each database: published down the hierarchy only, to every post below
/// and none beside; read, acknowledged and replied to once; the sender's tally the same whether
/// counted over rows in SQL or over the receipts themselves.
@Suite struct NoticeBoardTests {
    static let week: TimeInterval = 7 * 86_400

    @Test(arguments: TestDatabases.kinds)
    func aTownsNoticeReachesEveryPostBelowItAndIsTracked(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let board = city.services.noticeBoard
            let town1 = try await city.principal("town1")
            let town = try #require(city.directory.areas[town1.post.areaID])
            let due = city.services.clock.now.addingTimeInterval(Self.week)
            let draft = NoticeDraft(title: " 关于开展安全生产大排查的通知 ", body: "请各村于本周内完成排查并回复。", audienceAreaIDs: [], response: .acknowledge, dueAt: due)
            let published = try await board.publish(draft, by: town1)
            #expect(published.notice.title == "关于开展安全生产大排查的通知", "trimmed")
            #expect(published.notice.audienceAreaIDs == [town.id], "no areas named: all below the sender's")

            // Every staff post in the town and below, except the sender's own; no citizen.
            let areas = Set(city.directory.areas.values.filter { area in city.directory.lineage(of: area.id).contains { $0.id == town.id } }.map(\.id))
            struct PostRow: Decodable { var id: Int64; var role: String; var area_id: Int64 }
            let posts = try await city.database.reader.select().columns("id", "role", "area_id").from("posts").all(decoding: PostRow.self)
            let expected = posts.filter { areas.contains($0.area_id) && $0.role != "citizen" && $0.id != town1.post.id }.map(\.id)
            let receipts = try await city.services.notices.receipts(noticeID: published.notice.id)
            #expect(Set(receipts.map(\.postID)) == Set(expected))
            #expect(published.recipients == expected.count && expected.count > 5)

            // The demo's own notices came before: the new one is the newest, and one more unread.
            let worker = try await city.principal("gridworker1")
            let inbox = try await board.received(by: worker)
            #expect(inbox.notices.first?.notice.id == published.notice.id && inbox.notices.first?.receipt.readAt == nil)
            let opened = try await board.open(published.notice.id, by: worker)
            #expect(opened.receipt?.readAt != nil && opened.tracking == nil, "a grid worker reads, it does not track")
            #expect(try await board.received(by: worker).unread == inbox.unread - 1)
            let answered = try await board.answer(published.notice.id, reply: nil, by: worker)
            #expect(answered.answeredAt != nil && answered.reply == nil)
            await #expect(throws: DomainError(.notAllowedInState, "notice \(published.notice.id) was answered already")) {
                try await board.answer(published.notice.id, reply: nil, by: worker)
            }

            // The sender and the county above it track; the tally counts one read and one answer.
            for tracker in ["town1", "county1"] {
                let tracking = try #require(try await board.open(published.notice.id, by: try await city.principal(tracker)).tracking)
                #expect(tracking.tally == NoticeTally(recipients: expected.count, read: 1, answered: 1, late: 0), "\(tracker)")
                #expect(tracking.users[worker.user.id]?.displayName == worker.user.displayName)
            }
            let sent = try await board.sent(by: town1)
            #expect(sent.first?.notice.id == published.notice.id)
            #expect(sent.first?.tally == NoticeTally(recipients: expected.count, read: 1, answered: 1, late: 0))
            #expect(try await board.sent(by: worker).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aNoticeGoesDownOnlyAndIsRefusedWholeWhenWrong(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let board = city.services.noticeBoard
            let village1 = try await city.principal("village1")
            let villages = city.directory.areas.values.filter { $0.level == .village }.sorted { $0.code < $1.code }
            let other = try #require(villages.first { $0.id != village1.post.areaID })
            let town = try #require(city.directory.areas[village1.post.areaID]?.parentID)
            let due = city.services.clock.now.addingTimeInterval(Self.week)
            let notices = try await city.count("notices")
            let receipts = try await city.count("notice_receipts")
            func refusal(_ draft: NoticeDraft, by principal: Principal) async -> DomainError? {
                do { _ = try await board.publish(draft, by: principal); return nil } catch let error as DomainError { return error } catch { return nil }
            }
            #expect(await refusal(.init(title: "通知", body: "正文", audienceAreaIDs: [town], response: .none, dueAt: nil), by: village1)?.field == "audienceAreaIDs", "not up")
            #expect(await refusal(.init(title: "通知", body: "正文", audienceAreaIDs: [other.id], response: .none, dueAt: nil), by: village1)?.field == "audienceAreaIDs", "not sideways")
            #expect(await refusal(.init(title: "", body: "正文", audienceAreaIDs: [], response: .none, dueAt: nil), by: village1)?.field == "title")
            #expect(await refusal(.init(title: "通知", body: "", audienceAreaIDs: [], response: .none, dueAt: nil), by: village1)?.field == "body")
            #expect(await refusal(.init(title: "通知", body: "正文", audienceAreaIDs: [], response: .reply, dueAt: nil), by: village1)?.field == "dueAt")
            #expect(await refusal(.init(title: "通知", body: "正文", audienceAreaIDs: [], response: .none, dueAt: due), by: village1)?.field == "dueAt")
            #expect(await refusal(.init(title: "通知", body: "正文", audienceAreaIDs: [], response: .reply, dueAt: Date(timeIntervalSince1970: 0)), by: village1)?.field == "dueAt")
            #expect(await refusal(.init(title: "通知", body: "正文", audienceAreaIDs: [], response: .none, dueAt: nil), by: try await city.principal("gridworker1"))?.code == .forbidden)
            #expect(try await city.count("notices") == notices, "nothing written")
            #expect(try await city.count("notice_receipts") == receipts)

            // A reply is asked of the other village; the first one's dispatcher neither received nor tracks it.
            let town1 = try await city.principal("town1")
            let colleague = try await city.addUser(id: 9_001, username: "other.village", role: .dispatcher, area: other)
            let notice = try await board.publish(.init(title: "请报送本村情况", body: "正文", audienceAreaIDs: [other.id], response: .reply, dueAt: due), by: town1).notice
            await #expect(throws: DomainError.notFound("notice \(notice.id)", field: "id")) { try await board.open(notice.id, by: village1) }
            let receipt = try #require(try await board.open(notice.id, by: colleague).receipt)
            #expect(receipt.answeredAt == nil)
            await #expect(throws: DomainError.self) { try await board.answer(notice.id, reply: "  ", by: colleague) }
            #expect(try await board.answer(notice.id, reply: "已完成排查，无隐患。", by: colleague).reply == "已完成排查，无隐患。")
            // A post given to the village after the notice went out did not receive it.
            let newcomer = try await city.addUser(id: 9_002, username: "new.village", role: .dispatcher, area: other)
            await #expect(throws: DomainError.self) { try await board.open(notice.id, by: newcomer) }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aMissedDateCountsLateTheSameInSQLAndInMemory(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let town1 = try await city.principal("town1")
            let store = city.services.notices
            let now = city.services.clock.now
            let town = town1.post.areaID
            let areas = city.directory.areas.values.filter { area in city.directory.lineage(of: area.id).contains { $0.id == town } }.map(\.id)
            let recipients = try await store.recipients(inAreas: areas).filter { $0.postID != town1.post.id }
            // Published a week ago, due yesterday: one post answered today, late; the rest missing.
            let notice = try await store.publish(
                Notice(
                    id: 0, title: "逾期测试", body: "正文", fromAreaID: town, fromPostID: town1.post.id, fromUserID: town1.user.id,
                    audienceAreaIDs: [town], response: .acknowledge, dueAt: now.addingTimeInterval(-86_400),
                    publishedAt: now.addingTimeInterval(-Self.week)),
                to: recipients)
            let worker = try await city.principal("gridworker1")
            _ = try await city.services.noticeBoard.answer(notice.id, reply: nil, by: worker)
            let expected = NoticeTally(recipients: recipients.count, read: 1, answered: 1, late: recipients.count)
            #expect(try await city.services.noticeBoard.sent(by: town1).first?.tally == expected)
            #expect(try await city.services.noticeBoard.open(notice.id, by: town1).tracking?.tally == expected)
        }
    }
}
