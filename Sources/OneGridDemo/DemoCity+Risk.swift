import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// Towns whose mediator reported a risk of violence (人民调解法 Art. 25) on their open
    /// mediated disputes, so the risk picture has red matters with their reasons beside the failed
    /// mediations' yellow and the petitions' own signals; the server's judgement colours them, and
    /// their towns, within half a minute of starting.
    static let violentTowns = 2

    static func writeRisk(hierarchy: Hierarchy, people: People, into database: OneGridDatabase, now: Date) async throws {
        let store = SQLMediationStore(database: database)
        let users = Dictionary(uniqueKeysWithValues: people.users.map { ($0.id, $0) })
        for town in hierarchy.towns.prefix(violentTowns) {
            guard let mediator = people.mediators[town.id].flatMap({ actor in users[actor.post.userID].map { Principal(user: $0, post: actor.post) } }),
                let committee = try await store.bodies(inAreas: [town.id]).first(where: { $0.kind == .townCommittee })
            else { continue }
            let ids = try await database.reader.select().column(SQLColumn("case_id", table: "disputes")).from("disputes")
                .join("cases", on: SQLColumn("id", table: "cases"), .equal, SQLColumn("case_id", table: "disputes"))
                .where(SQLColumn("town_id", table: "cases"), .equal, SQLBind(town.id))
                .where(SQLColumn("status", table: "disputes"), .in, SQLBind.group([DisputeStatus.mediating.rawValue, DisputeStatus.agreed.rawValue]))
                .orderBy(SQLColumn("case_id", table: "disputes")).all(decodingColumn: "case_id", as: Int64.self)
            for id in ids {
                let step = MediationStep.reportViolence(note: "双方在调解中发生推搡，一方扬言报复，已告知辖区派出所。")
                _ = try await store.perform(caseID: id, expectedVersion: nil, by: mediator, at: now) { dispute, file in
                    try MediationWorkflow.decide(step, on: dispute, case: file, body: committee, by: mediator.post, rule: .default, at: now)
                }
            }
        }
    }
}
