import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension CaseController {
    /// Open cases that may report the same matter, offered for merging (DOMAIN.md §3).
    struct DuplicateCandidates: JSONResponse {
        var caseID: Int64
        var candidates: [(similarity: Double, case: CaseJSON)]

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("caseID", caseID)
                json.field("candidates", candidates) { json, candidate in
                    json.object { json in
                        json.field("similarity", candidate.similarity)
                        json.field("case", candidate.case)
                    }
                }
            }
        }
    }

    /// Open cases alike in the same grid and category (see `CaseReading.duplicates`).
    @Sendable func duplicates(_ request: Request, context: SignedInContext) async throws -> DuplicateCandidates {
        let post = context.principal.post
        let found = try await services.reading.duplicates(of: try context.pathID(), for: post)
        return DuplicateCandidates(
            caseID: found.record.id, candidates: found.candidates.map { ($0.similarity, json($0.record, for: post, detail: false)) })
    }
}
