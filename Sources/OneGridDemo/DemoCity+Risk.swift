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

extension DemoCity {
    /// Households as risk matters: the violent towns' first red disputes each concern a household
    /// where a key person lives (red: a key person's household in a red matter), and a few open
    /// ordinary cases concern key persons themselves (yellow: a key person with an open case).
    static let redHouseholds = 2
    static let yellowHouseholds = 5

    static func writeRiskHouseholds(hierarchy: Hierarchy, people: People, into database: OneGridDatabase, now: Date) async throws {
        struct Keyed: Decodable {
            var id: Int64
            var householdId: Int64
            var townId: Int64
        }
        let users = Dictionary(uniqueKeysWithValues: people.users.map { ($0.id, $0) })
        let store = SQLBaseDataStore(database: database)
        var keyed = try await database.reader.select().column("id").column("household_id").column("town_id").from("residents")
            .where("kind", .in, SQLBind.group(RiskRules.defaults.keyPersonKinds)).orderBy("id").all(decoding: Keyed.self, keyDecodingStrategy: .convertFromSnakeCase)
        func take(inTown town: Int64) -> Keyed? { keyed.firstIndex { $0.townId == town }.map { keyed.remove(at: $0) } }
        for town in hierarchy.towns.prefix(violentTowns) {
            guard let actor = people.mediators[town.id], let user = users[actor.post.userID] else { continue }
            let red = try await database.reader.select().column(SQLColumn("case_id", table: "disputes")).from("disputes")
                .join("cases", on: SQLColumn("id", table: "cases"), .equal, SQLColumn("case_id", table: "disputes"))
                .where(SQLColumn("town_id", table: "cases"), .equal, SQLBind(town.id))
                .where(SQLColumn("violence_reported_at", table: "disputes"), .isNot, SQLLiteral.null)
                .orderBy(SQLColumn("case_id", table: "disputes")).limit(redHouseholds).all(decodingColumn: "case_id", as: Int64.self)
            for caseID in red {
                guard let person = take(inTown: town.id) else { break }
                try await store.link(caseID: caseID, to: [SubjectRef(.household, person.householdId)], by: Principal(user: user, post: actor.post), at: now)
            }
            let open = try await database.reader.select().column(SQLColumn("id", table: "cases")).from("cases")
                .join("disputes", method: SQLJoinMethod.left, on: SQLColumn("case_id", table: "disputes"), .equal, SQLColumn("id", table: "cases"))
                .join("petitions", method: SQLJoinMethod.left, on: SQLColumn("case_id", table: "petitions"), .equal, SQLColumn("id", table: "cases"))
                .where(SQLColumn("town_id", table: "cases"), .equal, SQLBind(town.id))
                .where(SQLColumn("status", table: "cases"), .in, SQLBind.group(CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)))
                .where(SQLColumn("case_id", table: "disputes"), .is, SQLLiteral.null).where(SQLColumn("case_id", table: "petitions"), .is, SQLLiteral.null)
                .orderBy(SQLColumn("id", table: "cases")).limit(yellowHouseholds).all(decodingColumn: "id", as: Int64.self)
            for caseID in open {
                guard let person = take(inTown: town.id) else { break }
                try await store.link(caseID: caseID, to: [SubjectRef(.resident, person.id)], by: Principal(user: user, post: actor.post), at: now)
            }
        }
    }
}
