import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// A people's mediation committee in every town with the town's mediator, and a chief
    /// mediator office at every county's centre with the mediators of its towns, so each
    /// mediator's desk has a body and major disputes have somewhere to go.
    static func writeMediationBodies(hierarchy: Hierarchy, people: People, into store: SQLMediationStore) async throws {
        for county in hierarchy.counties {
            let towns = hierarchy.towns.filter { $0.parentID == county.id }
            for town in towns {
                _ = try await store.createBody(
                    name: "\(town.name)人民调解委员会", kind: .townCommittee, areaID: town.id, level: .town,
                    memberUserIDs: people.mediators[town.id].map { [$0.post.userID] } ?? [])
            }
            _ = try await store.createBody(
                name: "\(county.name)综治中心首席调解室", kind: .centreChiefMediator, areaID: county.id, level: .county,
                memberUserIDs: towns.compactMap { people.mediators[$0.id]?.post.userID })
        }
    }
}

extension DemoCity {
    /// How many of each town's newest open dispute cases the demo mediates, so the mediators'
    /// desks show work: mediation under way, an agreement signed, a failed one.
    static let mediatedDisputesPerTown = 3
    /// One town in this many (the walkthrough's first among them: one a county in the full demo)
    /// has its third ended without agreement; the others' is still under way, so that today's
    /// work leaves the year's success rate near the seeds' (95–98 %).
    static let failedDisputeTownEvery = 7

    /// Mediates the newest open dispute cases of every town through the mediation rules, as its
    /// centre and mediator would: registered, given to the town's committee, then a session, and
    /// for some an agreement in effect or an end without one.
    static func writeDisputes(
        hierarchy: Hierarchy, people: People, catalogue: Catalogue, into database: OneGridDatabase, seed: UInt64, now: Date
    ) async throws {
        let store = SQLMediationStore(database: database)
        let cases = SQLCaseStore(database: database)
        let users = Dictionary(uniqueKeysWithValues: people.users.map { ($0.id, $0) })
        func principal(_ actor: Actor) -> Principal? { users[actor.post.userID].map { Principal(user: $0, post: actor.post) } }
        let disputeCategories = catalogue.categories.filter { $0.kind == .dispute }.map(\.id)
        let open = CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)
        var rng = SeededGenerator(seed: seed ^ 0x4D45_4449_4154_45)
        for (townIndex, town) in hierarchy.towns.enumerated() {
            guard let mediator = people.mediators[town.id].flatMap(principal),
                let committee = try await store.bodies(inAreas: [town.id]).first(where: { $0.kind == .townCommittee })
            else { continue }
            let ids = try await database.reader.select().column("id").from("cases").where("town_id", .equal, town.id)
                .where("category_id", .in, disputeCategories).where("status", .in, open).orderBy("id", .descending)
                .limit(mediatedDisputesPerTown).all(decodingColumn: "id", as: Int64.self)
            for (index, id) in ids.enumerated() {
                guard let record = try await cases.record(id: id), let centre = people.dispatchers[record.file.handlingAreaID].flatMap(principal)
                else { continue }
                try await mediate(
                    record, in: town, centre: centre, mediator: mediator, committee: committee, variant: index,
                    failing: townIndex % failedDisputeTownEvery == 0, store: store, rng: &rng, now: now)
            }
        }
    }

    private static func mediate(
        _ record: CaseRecord, in town: Area, centre: Principal, mediator: Principal, committee: MediationBody, variant index: Int, failing: Bool,
        store: SQLMediationStore, rng: inout SeededGenerator, now: Date
    ) async throws {
        let id = record.id
        let form = DisputeForm(
            type: DisputeType.neighbour.rawValue, amountYuan: Int64(1 + index) * 1_500, summary: record.description,
            parties: [
                .init(role: "applicant", name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng)),
                .init(role: "respondent", name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng)),
            ])
        _ = try await store.register(caseID: id, by: centre, at: now) { file in
            try MediationWorkflow.register(form, on: file, categoryKind: .dispute, by: centre.post, rule: .default, at: now)
        }
        let assign = MediationStep.assign(committee)
        _ = try await store.perform(caseID: id, expectedVersion: nil, by: centre, at: now) { dispute, file in
            try MediationWorkflow.decide(assign, on: dispute, case: file, body: nil, by: centre.post, rule: .default, at: now)
        }
        var steps: [MediationStep] = [
            .consent(party: 1), .consent(party: 2),
            .recordSession(
                SessionForm(
                    startsAt: now.addingTimeInterval(-Double(index + 1) * 3_600), place: "\(town.name)人民调解室",
                    participants: form.parties?.compactMap(\.name) ?? [], record: "双方陈述事实和诉求，调解员释法说理。")),
        ]
        switch index % 3 {
        case 1:
            steps += [
                .draftAgreement(
                    AgreementForm(
                        facts: record.description, terms: "被申请人向申请人赔偿损失 \(form.amountYuan ?? 0) 元，双方就此了结。",
                        obligations: [.init(party: 2, text: "支付赔偿款", dueOn: now.addingTimeInterval(Double(3 + index) * 86_400))])),
                .signAsParty(1), .signAsParty(2), .signAsMediator, .stamp,
            ]
        case 2 where failing: steps.append(.endWithoutAgreement(routes: [.litigation], note: "双方分歧较大，告知可向人民法院起诉。"))
        default: break
        }
        for step in steps {
            _ = try await store.perform(caseID: id, expectedVersion: nil, by: mediator, at: now) { dispute, file in
                try MediationWorkflow.decide(step, on: dispute, case: file, body: committee, by: mediator.post, rule: .default, at: now)
            }
        }
    }
}
