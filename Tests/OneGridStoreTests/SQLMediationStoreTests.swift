import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// The mediation store's contract, on SQLite and PostgreSQL: a dispute's file survives each step
/// whole, each step is one entry on the case's hash chain written with it, and a refused or
/// conflicting step writes nothing.
@Suite struct SQLMediationStoreTests {
    static let form = DisputeForm(
        type: "neighbour", amountYuan: 3_000, summary: "楼上漏水损坏楼下吊顶",
        parties: [
            .init(role: "applicant", name: "王秀英", phone: "13812345678", idNumber: "11010519491231002X"),
            .init(role: "respondent", name: "李建国", phone: "13987654321"),
        ])

    /// A neighbour dispute reported in the first grid, registered by the village's dispatcher and
    /// given to the town's committee, whose mediator is `mediator1`.
    static func assigned(in city: TinyCity) async throws -> (caseID: Int64, body: MediationBody) {
        let caseID = try await city.report("dispute.neighbour", title: "邻里漏水纠纷", description: "楼上漏水").id
        let mediation = city.services.mediationSteps
        _ = try await mediation.register(Self.form, on: caseID, by: try await city.principal("village1"), at: TinyCity.now)
        let mediator = try await city.principal("mediator1")
        let body = try #require(try await city.services.mediation.bodies(ofMember: mediator.user.id).first { $0.kind == .townCommittee })
        _ = try await mediation.take(
            "assign", on: caseID, input: MediationInput(bodyID: body.id), expectedVersion: 1, by: try await city.principal("village1"),
            at: TinyCity.now)
        return (caseID, body)
    }

    static func step(
        _ name: String, _ input: MediationInput = MediationInput(), on caseID: Int64, in city: TinyCity, as username: String = "mediator1",
        minutes: Double
    ) async throws -> Mediation.File {
        try await city.services.mediationSteps.take(
            name, on: caseID, input: input, expectedVersion: nil, by: try await city.principal(username),
            at: TinyCity.now.addingTimeInterval(minutes * 60))
    }

    @Test(arguments: TestDatabases.kinds)
    func aDisputeGoesFromRegistrationToAConfirmedAgreementAndEveryStepIsOnTheTimeline(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (caseID, body) = try await Self.assigned(in: city)
            let due = TinyCity.now.addingTimeInterval(10 * 86_400)
            _ = try await Self.step("consent", MediationInput(party: 1), on: caseID, in: city, minutes: 1)
            _ = try await Self.step(
                "recordSession",
                MediationInput(
                    startsAt: TinyCity.now.addingTimeInterval(60), place: "城河社区调解室", participants: ["王秀英", "李建国"], record: "双方同意协商"),
                on: caseID, in: city, minutes: 2)
            _ = try await Self.step(
                "draftAgreement",
                MediationInput(
                    facts: "楼上水管破裂", terms: "李建国赔偿3000元", obligations: [.init(party: 2, text: "支付3000元", dueOn: due)]),
                on: caseID, in: city, minutes: 3)
            for (minute, name, party) in [(4.0, "signAsParty", 1), (5, "signAsParty", 2), (6, "signAsMediator", 0)] {
                _ = try await Self.step(name, MediationInput(party: party == 0 ? nil : party), on: caseID, in: city, minutes: minute)
            }
            let agreed = try await Self.step("stamp", on: caseID, in: city, minutes: 7)
            #expect(agreed.dispute.status == .agreed)
            #expect(agreed.allowedSteps.contains("followUp"))
            _ = try await Self.step("applyForConfirmation", MediationInput(parties: [1, 2], court: "镇海区人民法院"), on: caseID, in: city, minutes: 8)
            _ = try await Self.step("recordCourtDecision", MediationInput(decision: "confirmed"), on: caseID, in: city, minutes: 9)
            let visited = try await Self.step("followUp", MediationInput(note: "已支付", carriedOut: true), on: caseID, in: city, minutes: 20_000)

            let stored = try #require(try await city.services.mediation.dispute(caseID: caseID))
            #expect(stored == visited.dispute.withParties(stored.parties), "what a step returns is what is stored")
            #expect(stored.parties[0].phone == "13812345678", "the store keeps the number; masking is the reader's")
            #expect(visited.dispute.parties[0].phone == "138****5678")
            #expect(stored.bodyID == body.id)
            #expect(stored.sessions.first?.participants == ["王秀英", "李建国"])
            let agreement = try #require(stored.currentAgreement)
            #expect(agreement.partySignatures == [1: TinyCity.now.addingTimeInterval(240), 2: TinyCity.now.addingTimeInterval(300)])
            #expect(agreement.effectiveAt == TinyCity.now.addingTimeInterval(420))
            #expect(agreement.obligations.first?.dueOn == due)
            #expect(agreement.courtDecision == .confirmed)
            #expect(stored.followUps.first?.carriedOut == true)

            let timeline = try await city.cases.timeline(caseID: caseID)
            let steps = timeline.filter { $0.event.action == .mediate }.map { $0.event.details["step"] ?? "" }
            #expect(
                steps == [
                    "register", "assign", "consent", "recordSession", "draftAgreement", "signAsParty", "signAsParty", "signAsMediator",
                    "stamp", "applyForConfirmation", "recordCourtDecision", "followUp",
                ])
            #expect(timeline.allSatisfy { $0.event.fromStatus == nil || $0.event.action != .mediate || $0.event.fromStatus == $0.event.toStatus })
            #expect(try await city.cases.verifyTimelines().findings.isEmpty, "the mediation entries continue the case's hash chain")
            #expect(try await city.cases.record(id: caseID)?.eventCount == timeline.count)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRefusedOrStaleStepWritesNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (caseID, _) = try await Self.assigned(in: city)
            let before = try await city.cases.timeline(caseID: caseID).count
            let dispute = try #require(try await city.services.mediation.dispute(caseID: caseID))

            let noPlace = await outcome {
                try await Self.step("recordSession", MediationInput(startsAt: TinyCity.now, participants: ["王秀英"], record: "x"), on: caseID, in: city, minutes: 1)
            }
            #expect((noPlace.failure as? DomainError)?.field == "place")
            let stale = await outcome {
                try await city.services.mediationSteps.take(
                    "consent", on: caseID, input: MediationInput(party: 1), expectedVersion: dispute.version - 1,
                    by: try await city.principal("mediator1"), at: TinyCity.now)
            }
            #expect((stale.failure as? DomainError)?.code == .versionConflict)
            let twice = await outcome {
                try await city.services.mediationSteps.register(Self.form, on: caseID, by: try await city.principal("village1"))
            }
            #expect((twice.failure as? DomainError)?.code == .notAllowedInState)

            #expect(try await city.cases.timeline(caseID: caseID).count == before)
            #expect(try await city.services.mediation.dispute(caseID: caseID) == dispute)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func othersAreToldTheDisputeDoesNotExist(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (caseID, _) = try await Self.assigned(in: city)
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let stranger = try await city.addUser(id: 9_001, username: "mediator.other", role: .mediator, area: town)
            for principal in [stranger, try await city.principal("leader.town1"), try await city.principal("citizen1")] {
                let read = await outcome { try await city.services.mediationSteps.file(of: caseID, for: principal) }
                #expect((read.failure as? DomainError)?.code == .notFound, "\(principal.post.role) reads nothing")
            }
            let general = try await city.report().id
            let notDispute = await outcome {
                try await city.services.mediationSteps.register(Self.form, on: general, by: try await city.principal("village1"))
            }
            #expect((notDispute.failure as? DomainError)?.code == .notAllowedInState)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func theDeskShowsTheBodysDisputesSessionsAndFollowUpsDue(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (caseID, _) = try await Self.assigned(in: city)
            _ = try await Self.step(
                "recordSession", MediationInput(startsAt: TinyCity.now, videoLink: "https://meet.example.org/1", participants: ["王秀英"], record: "电话沟通"),
                on: caseID, in: city, minutes: 1)
            let desk = try await city.services.mediationSteps.desk(for: try await city.principal("mediator1"), at: TinyCity.now.addingTimeInterval(3_600))
            #expect(desk.disputes.map(\.caseID) == [caseID])
            #expect(desk.sessionsThisWeek.map(\.caseID) == [caseID])
            #expect(desk.followUpsDue.isEmpty)
            #expect(desk.bodies.contains { $0.kind == .townCommittee })
        }
    }
}

extension Dispute {
    func withParties(_ parties: [Party]) -> Dispute {
        var copy = self
        copy.parties = parties
        return copy
    }
}
