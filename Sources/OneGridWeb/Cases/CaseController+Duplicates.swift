import Foundation
import Hummingbird
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

    /// The open cases this post may see in the same grid and category, reported within a week
    /// either side, whose title and description are alike: the usual shape of one matter
    /// reported twice (a neighbour calls the hotline about the street light a grid worker
    /// already reported). A candidate that is itself merged into another is left out.
    @Sendable func duplicates(_ request: Request, context: OneGridRequestContext) async throws -> DuplicateCandidates {
        let principal = try context.principal()
        let record = try await visibleCase(try context.pathID(), to: principal.post)
        var query = CaseQuery()
        query.area = (.grid, record.file.areas.grid)
        query.categoryIDs = [record.file.categoryID]
        query.statuses = CaseStatus.allCases.filter(\.isOpen)
        query.createdFrom = record.createdAt.addingTimeInterval(-Duplicates.window)
        query.createdBefore = record.createdAt.addingTimeInterval(Duplicates.window)
        query.limit = 200
        let near = try await services.cases.list(query, scope: CaseScope(post: principal.post), now: services.clock.now).cases
            .filter { $0.id != record.id && $0.file.primaryCaseID == nil }
        let byID = Dictionary(uniqueKeysWithValues: near.map { ($0.id, $0) })
        let ranked = Duplicates.rank(Self.matterText(record), among: near.map { ($0.id, Self.matterText($0)) })
        return DuplicateCandidates(
            caseID: record.id,
            candidates: ranked.prefix(10).compactMap { match in
                byID[match.id].map { ((match.similarity * 100).rounded() / 100, view($0, for: principal.post, detail: false)) }
            })
    }

    /// What a report says of its matter.
    private static func matterText(_ record: CaseRecord) -> String {
        record.title + " " + record.description
    }
}
