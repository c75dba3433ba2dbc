public import Foundation
import OneGridDomain
import SQLKit

extension SQLCaseStore {
    public func recordDisclosure(caseID: Int64, by actor: Principal, field: String, at now: Date) async throws {
        try await database.transaction { db in
            try await db.insert(into: "disclosures").columns("case_id", "user_id", "post_id", "field", "at")
                .values(SQLBind(caseID), SQLBind(actor.user.id), SQLBind(actor.post.id), SQLBind(field), SQLBind(now.millisecondsSince1970))
                .run()
        }
    }

    public func disclosures(caseID: Int64) async throws -> [Disclosure] {
        struct Row: Decodable {
            var caseId: Int64
            var userId: Int64
            var postId: Int64
            var field: String
            var at: Int64
        }
        return try await database.reader.select().columns("case_id", "user_id", "post_id", "field", "at")
            .from("disclosures").where("case_id", .equal, caseID).orderBy("id")
            .all(decoding: Row.self, with: .snake)
            .map { Disclosure(caseID: $0.caseId, userID: $0.userId, postID: $0.postId, field: $0.field, at: Date(millisecondsSince1970: $0.at)) }
    }
}
