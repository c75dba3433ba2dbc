import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// The shape of the disputes mediated over the two years, after seeds 001–002: most settled by
    /// the village's own committee, 95–98 % with an agreement, the agreements carried out and some
    /// of them confirmed by a court.
    enum DisputeHistoryShape {
        /// A village's dispute case mediated every this many months over the two years (four a
        /// village, as many as before the history had its year before), the villages staggered.
        static let everyMonths = 6
        /// One in this many ends without agreement: a success rate of 97.5 %, and with the desks'
        /// mediations of today (`writeDisputes`) the year's lands between Yumen's 95.6 % and Donghai's 98 %.
        static let failEvery = 40
        /// One agreement in this many is confirmed by a court (人民调解法 Art. 33).
        static let confirmEvery = 4
        /// The type of dispute each demo category is.
        static let types: [String: DisputeType] = [
            "dispute.neighbour": .neighbour, "dispute.family": .familyAndMarriage, "dispute.land": .landAndHousing,
            "dispute.property": .propertyManagement, "dispute.labour": .labourAndWages, "dispute.traffic": .traffic,
            "dispute.contract": .contractAndDebt,
        ]
        static let day: TimeInterval = 86_400
    }

    /// A people's mediation committee in every village, its town's mediator among its members,
    /// and the dispute cases the case factory kept closed for it (a village's one every
    /// `everyMonths` months over both years) mediated through the mediation rules at the times
    /// they happened, by the committee of the level that handled the case, then archived as their
    /// centre would: so that a year's figures stand beside the year before's.
    static func writeDisputeHistory(
        hierarchy: Hierarchy, people: People, catalogue: Catalogue, into database: OneGridDatabase, seed: UInt64, now: Date
    ) async throws {
        let store = SQLMediationStore(database: database)
        let cases = SQLCaseStore(database: database)
        let users = Dictionary(uniqueKeysWithValues: people.users.map { ($0.id, $0) })
        func principal(_ actor: Actor?) -> Principal? { actor.flatMap { actor in users[actor.post.userID].map { Principal(user: $0, post: actor.post) } } }
        let disputeTypes = Dictionary(
            uniqueKeysWithValues: catalogue.categories.filter { $0.kind == .dispute }.map { ($0.id, DisputeHistoryShape.types[$0.code] ?? .other) })
        // A month back at least, so every step of a mediation lies before now.
        let latest = now.addingTimeInterval(-30 * DisputeHistoryShape.day).millisecondsSince1970
        // Oldest first, the kept ones come before any closed of late that still waits for its archive.
        let perVillage = 24 / DisputeHistoryShape.everyMonths + 1
        var rng = SeededGenerator(seed: seed ^ 0x4849_5354_4F52_59)
        var count = 0
        for village in hierarchy.villages {
            guard let townID = village.parentID, let mediator = principal(people.mediators[townID]),
                let town = try await store.bodies(inAreas: [townID]).first(where: { $0.kind == .townCommittee })
            else { continue }
            let committee = try await store.createBody(
                name: "\(village.name)人民调解委员会", kind: .villageCommittee, areaID: village.id, level: .village,
                memberUserIDs: [mediator.post.userID])
            let ids = try await database.reader.select().column("id").from("cases").where("village_id", .equal, village.id)
                .where("category_id", .in, Array(disputeTypes.keys)).where("status", .equal, CaseStatus.closed.rawValue)
                .where("created_at", .lessThan, latest).orderBy("id").limit(perVillage).all(decodingColumn: "id", as: Int64.self)
            for id in ids {
                guard let record = try await cases.record(id: id), let centre = principal(people.dispatchers[record.file.handlingAreaID])
                else { continue }
                count += 1
                // Mediated where the case was handled: mostly the village's own committee (seed 003's 97 %).
                let body = record.file.handlingLevel == .village ? committee : town
                var at = record.createdAt.addingTimeInterval(3_600)
                let form = DisputeForm(
                    type: (disputeTypes[record.file.categoryID] ?? .other).rawValue, amountYuan: Int64(1 + count % 9) * 1_000,
                    summary: record.description,
                    parties: [
                        .init(role: "applicant", name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng)),
                        .init(role: "respondent", name: DemoTexts.personName(using: &rng)),
                    ])
                let registeredAt = at
                _ = try await store.register(caseID: id, by: centre, at: at) { file in
                    try MediationWorkflow.register(form, on: file, categoryKind: .dispute, by: centre.post, rule: .default, at: registeredAt)
                }
                let assign = MediationStep.assign(body)
                _ = try await store.perform(caseID: id, expectedVersion: nil, by: centre, at: at) { dispute, file in
                    try MediationWorkflow.decide(assign, on: dispute, case: file, body: nil, by: centre.post, rule: .default, at: registeredAt)
                }
                var steps: [(MediationStep, TimeInterval)] = [
                    (.consent(party: 1), 0.1), (.consent(party: 2), 0.1),
                    (.recordSession(
                        SessionForm(
                            startsAt: at.addingTimeInterval(DisputeHistoryShape.day), place: body.name,
                            participants: form.parties?.compactMap(\.name) ?? [], record: "双方陈述事实和诉求，调解员释法说理。")), 1),
                ]
                if count % DisputeHistoryShape.failEvery == 0 {
                    steps.append((.endWithoutAgreement(routes: [.litigation], note: "双方分歧较大，告知可向人民法院起诉。"), 0.2))
                } else {
                    let due = at.addingTimeInterval(8 * DisputeHistoryShape.day)
                    steps += [
                        (.draftAgreement(
                            AgreementForm(
                                facts: record.description, terms: "双方自愿达成协议，被申请人按约履行，双方就此了结。",
                                obligations: [.init(party: 2, text: "按约履行", dueOn: due)])), 0.1),
                        (.signAsParty(1), 0.01), (.signAsParty(2), 0.01), (.signAsMediator, 0.01), (.stamp, 0.01),
                    ]
                    if count % DisputeHistoryShape.confirmEvery == 0 {
                        steps += [(.applyForConfirmation(court: "人民法院", parties: [1, 2]), 2), (.recordCourtDecision(.confirmed, note: nil), 3)]
                    }
                    steps.append((.followUp(carriedOut: true, note: "回访：已按协议履行。"), 7))
                }
                for (step, days) in steps {
                    at = at.addingTimeInterval(days * DisputeHistoryShape.day)
                    let stepAt = at
                    _ = try await store.perform(caseID: id, expectedVersion: nil, by: mediator, at: stepAt) { dispute, file in
                        try MediationWorkflow.decide(step, on: dispute, case: file, body: body, by: mediator.post, rule: .default, at: stepAt)
                    }
                }
                // Its file complete, the case is archived as any other some days after.
                let archivedAt = max(at, record.file.closedAt ?? record.updatedAt).addingTimeInterval(Double(7 + count % 14) * DisputeHistoryShape.day)
                guard archivedAt < now else { continue }
                _ = try await cases.perform(caseID: id, expectedVersion: nil, by: centre, at: archivedAt) { file in
                    try CaseWorkflow.decide(.archive, on: file, input: CaseActionInput(), by: centre.post, context: CaseActionContext(now: archivedAt))
                }
            }
        }
    }
}
