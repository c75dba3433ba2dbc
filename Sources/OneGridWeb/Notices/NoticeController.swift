import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Notices (通知公告) under `/api/v1/notices`: the post's received notices, publishing one, what the
/// post's centre sent with its tallies, one notice (read on opening, tracked by its senders) and
/// the acknowledgement or reply. Each handler calls one use case of `NoticeBoard`.
struct NoticeController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.notices, use: received)
        api.on(.noticePublish, use: publish)
        api.on(.noticesSent, use: sent)
        api.on(.noticeDetail, use: detail)
        api.on(.noticeAnswer, use: answer)
    }

    struct PublishBody: Decodable {
        var title: String
        var body: String
        var audienceAreaIDs: [Int64]?
        var response: String?
        var dueAt: Date?
    }

    struct PublishedJSON: ResponseEncodable {
        var notice: Notice
        var recipients: Int
    }

    struct ReceivedJSON: ResponseEncodable {
        struct Entry: Encodable {
            var notice: Notice
            var receipt: NoticeReceipt
        }
        var notices: [Entry]
        var unread: Int
    }

    struct SentJSON: ResponseEncodable {
        struct Entry: Encodable {
            var notice: Notice
            var tally: NoticeTally
        }
        var notices: [Entry]
    }

    struct DetailJSON: ResponseEncodable {
        struct Tracking: Encodable {
            var tally: NoticeTally
            var receipts: [Receipt]
        }
        /// A receipt with its user's name, for the sender's list.
        struct Receipt: Encodable {
            var postID: Int64
            var userID: Int64
            var userName: String
            var areaID: Int64
            var role: Role
            var readAt: Date?
            var answeredAt: Date?
            var reply: String?
        }
        var notice: Notice
        var receipt: NoticeReceipt?
        var tracking: Tracking?
    }

    @Sendable func received(_ request: Request, context: SignedInContext) async throws -> ReceivedJSON {
        let inbox = try await services.noticeBoard.received(by: context.principal)
        return ReceivedJSON(notices: inbox.notices.map { .init(notice: $0.notice, receipt: $0.receipt) }, unread: inbox.unread)
    }

    @Sendable func publish(_ request: Request, context: SignedInContext) async throws -> EditedResponse<PublishedJSON> {
        var request = request
        let body = try await request.decodeJSON(PublishBody.self, context: context)
        let response = try body.response.map { text in
            guard let response = NoticeResponse(rawValue: text) else {
                throw DomainError.invalid(field: "response", "one of \(NoticeResponse.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return response
        }
        let draft = NoticeDraft(
            title: body.title, body: body.body, audienceAreaIDs: body.audienceAreaIDs ?? [], response: response ?? .none, dueAt: body.dueAt)
        let published = try await services.noticeBoard.publish(draft, by: context.principal)
        return EditedResponse(status: .created, response: PublishedJSON(notice: published.notice, recipients: published.recipients))
    }

    @Sendable func sent(_ request: Request, context: SignedInContext) async throws -> SentJSON {
        SentJSON(notices: try await services.noticeBoard.sent(by: context.principal).map { .init(notice: $0.notice, tally: $0.tally) })
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> DetailJSON {
        let view = try await services.noticeBoard.open(try context.pathID("notice"), by: context.principal)
        return DetailJSON(
            notice: view.notice, receipt: view.receipt,
            tracking: view.tracking.map { tracking in
                .init(
                    tally: tracking.tally,
                    receipts: tracking.receipts.map {
                        .init(
                            postID: $0.postID, userID: $0.userID, userName: tracking.users[$0.userID]?.displayName ?? "", areaID: $0.areaID,
                            role: $0.role, readAt: $0.readAt, answeredAt: $0.answeredAt, reply: $0.reply)
                    })
            })
    }

    struct AnswerBody: Decodable {
        var reply: String?
    }

    struct AnswerJSON: ResponseEncodable {
        var receipt: NoticeReceipt
    }

    @Sendable func answer(_ request: Request, context: SignedInContext) async throws -> AnswerJSON {
        var request = request
        let id = try context.pathID("notice")
        let body = try await request.decodeJSON(AnswerBody.self, context: context)
        return AnswerJSON(receipt: try await services.noticeBoard.answer(id, reply: body.reply, by: context.principal))
    }
}
