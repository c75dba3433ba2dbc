import Foundation
import OneGridDomain
import Testing

/// People's mediation (人民调解法): each refusal the law calls for, and the path of a dispute from
/// registration to a confirmed agreement and its follow-up.
@Suite struct MediationWorkflowTests {
    static let now = TestCity.now
    static let committee = MediationBody(
        id: 1, name: "招宝山街道人民调解委员会", kind: .townCommittee, areaID: TestCity.town.id, level: .town,
        memberUserIDs: [TestCity.townMediator.userID])
    static let centreOffice = MediationBody(
        id: 2, name: "镇海区综治中心首席调解室", kind: .centreChiefMediator, areaID: TestCity.county.id, level: .county,
        memberUserIDs: [TestCity.townMediator.userID])
    static let otherCommittee = MediationBody(
        id: 3, name: "蛟川街道人民调解委员会", kind: .townCommittee, areaID: TestCity.otherTown.id, level: .town, memberUserIDs: [99])
    static let file = TestCity.caseFile(.inProgress)

    static let form = DisputeForm(
        type: "neighbour", amountYuan: 3_000, summary: "楼上漏水损坏楼下吊顶",
        parties: [
            .init(role: "applicant", name: "王秀英", phone: "13812345678", idNumber: "11010519491231002X"),
            .init(role: "respondent", name: "李建国", phone: "13987654321"),
            .init(kind: "organisation", role: "thirdParty", name: "城河物业公司"),
        ])

    static func registered(_ form: DisputeForm = form) throws(DomainError) -> Dispute {
        try Dispute.register(form, caseID: file.id, categoryKind: .dispute, rule: .default, at: now)
    }

    static func take(
        _ step: MediationStep, on dispute: Dispute, by post: Post = TestCity.townMediator, body: MediationBody? = committee,
        at time: Date = now
    ) throws(DomainError) -> Dispute {
        try MediationWorkflow.decide(step, on: dispute, case: file, body: body, by: post, rule: .default, at: time).dispute
    }

    static func mediating() throws(DomainError) -> Dispute {
        try take(.assign(committee), on: try registered(), by: TestCity.townDispatcher, body: nil)
    }

    static let agreementForm = AgreementForm(
        facts: "2026年10月楼上水管破裂", terms: "李建国赔偿王秀英修缮费3000元",
        obligations: [.init(party: 2, text: "支付修缮费3000元", dueOn: now.addingTimeInterval(10 * 86_400))])

    static func agreed(at time: Date = now) throws(DomainError) -> Dispute {
        var dispute = try take(.draftAgreement(agreementForm), on: try mediating())
        for step: MediationStep in [.signAsParty(1), .signAsParty(2), .signAsMediator, .stamp] {
            dispute = try take(step, on: dispute, at: time)
        }
        return dispute
    }

    // MARK: Registration

    @Test func aDisputeIsRegisteredWithItsPartiesOnADisputeCaseOnly() throws {
        let dispute = try Self.registered()
        #expect(dispute.status == .registered)
        #expect(dispute.parties.map(\.number) == [1, 2, 3])
        #expect(dispute.parties[2].kind == .organisation)
        #expect(dispute.peopleInvolved == 3, "the parties count when no number is given")
        #expect(dispute.majorReason == nil)

        let general = refusal { () throws(DomainError) in
            try Dispute.register(Self.form, caseID: 1, categoryKind: .general, rule: .default, at: Self.now)
        }
        #expect(general?.code == .notAllowedInState)
    }

    @Test func badRegistrationNamesTheField() {
        func field(_ form: DisputeForm) -> String? {
            refusal { () throws(DomainError) in try Self.registered(form) }?.field
        }
        var form = Self.form
        form.type = "quarrel"
        #expect(field(form) == "type")
        form = Self.form
        form.parties?[1].phone = "12"
        #expect(field(form) == "parties[1].phone")
        form = Self.form
        form.parties?[0].idNumber = "110105194912310021"
        #expect(field(form) == "parties[0].idNumber")
        form = Self.form
        form.parties = [Self.form.parties![0]]
        #expect(field(form) == "parties")
        form = Self.form
        form.parties = [Self.form.parties![0], Self.form.parties![2]]
        #expect(field(form) == "parties", "a dispute needs a respondent")
        form = Self.form
        form.amountYuan = -1
        #expect(field(form) == "amountYuan")
    }

    @Test func aMajorDisputeGoesToTheCentreOnly() throws {
        var form = Self.form
        form.amountYuan = 800_000
        let major = try Self.registered(form)
        #expect(major.majorReason?.contains("800000") == true)
        #expect(major.riskColour == .red)
        let toCommittee = refusal { () throws(DomainError) in
            try Self.take(.assign(Self.committee), on: major, by: TestCity.townDispatcher, body: nil)
        }
        #expect(toCommittee?.field == "bodyID")
        let assigned = try Self.take(.assign(Self.centreOffice), on: major, by: TestCity.townDispatcher, body: nil)
        #expect(assigned.bodyID == Self.centreOffice.id)

        let referred = try Self.take(.referToCentre(reason: "涉及多户村民"), on: try Self.mediating(), by: TestCity.townDispatcher)
        #expect(referred.majorReason == "涉及多户村民")
        #expect(referred.bodyID == nil && referred.status == .registered)
    }

    @Test func aBodyServesItsOwnAreaOnly() throws {
        let error = refusal { () throws(DomainError) in
            try Self.take(.assign(Self.otherCommittee), on: try Self.registered(), by: TestCity.townDispatcher, body: nil)
        }
        #expect(error?.field == "bodyID")
    }

    /// A party found after registration (an heir, a co-owner) joins the file with the next
    /// number, must consent like the others and then sign the agreement before it binds.
    @Test func aPartyFoundLaterIsAddedAndMustConsentAndSign() throws {
        let heir = DisputeForm.PartyForm(role: "respondent", name: "李建军", phone: "13711112222")
        var dispute = try Self.take(.addParty(heir), on: try Self.mediating())
        #expect(dispute.parties.map(\.number) == [1, 2, 3, 4])
        #expect(dispute.parties[3].name == "李建军" && dispute.parties[3].consent == .pending)
        #expect(dispute.peopleInvolved == 4)
        #expect(MediationStep.Kind.consent.isAvailable(on: dispute))

        // The centre's dispatcher may add one too; a mediator of another body may not.
        _ = try Self.take(.addParty(heir), on: dispute, by: TestCity.townDispatcher, body: Self.committee)
        #expect(refusal { () throws(DomainError) in try Self.take(.addParty(heir), on: dispute, body: Self.otherCommittee) }?.code == .forbidden)

        // The draft binds only once the new party has signed as well.
        dispute = try Self.take(.draftAgreement(Self.agreementForm), on: dispute)
        for step: MediationStep in [.signAsParty(1), .signAsParty(2), .signAsMediator, .stamp] { dispute = try Self.take(step, on: dispute) }
        #expect(dispute.status == .mediating, "party 4 has not signed")
        dispute = try Self.take(.signAsParty(4), on: dispute)
        #expect(dispute.status == .agreed)
        #expect(!MediationStep.Kind.addParty.isAvailable(on: dispute), "an agreed dispute takes no new party")
    }

    @Test func aBadNewPartyIsNamedByItsField() throws {
        let dispute = try Self.mediating()
        let noName = refusal { () throws(DomainError) in
            try Self.take(.addParty(.init(role: "respondent", name: " ")), on: dispute)
        }
        #expect(noName?.field == "newParty.name")
        let badPhone = refusal { () throws(DomainError) in
            try Self.take(.addParty(.init(role: "applicant", name: "赵六", phone: "12")), on: dispute)
        }
        #expect(badPhone?.field == "newParty.phone")
    }

    // MARK: The law's refusals

    @Test func aPartysRefusalEndsMediation() throws {
        let refused = try Self.take(.refuse(party: 2, note: "不同意调解，要起诉"), on: try Self.mediating())
        #expect(refused.status == .refused)
        #expect(refused.parties[1].consent == .refused)
        #expect(refused.legalRoutes == MediationWorkflow.otherRoutes)
        let session = refusal { () throws(DomainError) in
            try Self.take(
                .recordSession(SessionForm(startsAt: Self.now, place: "调解室", participants: ["王秀英"], record: "调解")),
                on: refused)
        }
        #expect(session?.code == .notAllowedInState)
        #expect(session?.message.contains("Art. 17") == true)
    }

    @Test func aRiskOfViolenceIsReportedAndMakesTheDisputeRed() throws {
        let change = try MediationWorkflow.decide(
            .reportViolence(note: "双方扬言动手，已告知城河派出所"), on: try Self.mediating(), case: Self.file, body: Self.committee,
            by: TestCity.townMediator, rule: .default, at: Self.now)
        #expect(change.dispute.violenceReportedAt == Self.now)
        #expect(change.dispute.riskColour == .red)
        #expect(change.dispute.majorReason != nil)
        #expect(change.details["law"] == "人民调解法 Art. 25")
    }

    @Test func aSessionNeedsABodyAPlaceAndARecord() throws {
        let form = SessionForm(
            startsAt: Self.now.addingTimeInterval(-3_600), videoLink: "https://meet.example.org/123", participants: ["王秀英", "李建国"],
            record: "双方陈述意见")
        let beforeBody = refusal { () throws(DomainError) in try Self.take(.recordSession(form), on: try Self.registered()) }
        #expect(beforeBody?.code == .notAllowedInState)
        let held = try Self.take(.recordSession(form), on: try Self.mediating())
        #expect(held.sessions.count == 1)
        #expect(held.sessions[0].videoLink == "https://meet.example.org/123")
        #expect(held.sessions[0].recordedByUserID == TestCity.townMediator.userID)

        var nowhere = form
        nowhere.videoLink = nil
        #expect(refusal { () throws(DomainError) in try Self.take(.recordSession(nowhere), on: try Self.mediating()) }?.field == "place")
        var silent = form
        silent.record = " "
        #expect(refusal { () throws(DomainError) in try Self.take(.recordSession(silent), on: try Self.mediating()) }?.field == "record")
    }

    @Test func anAgreementTakesEffectOnlyWhenBothPartiesAndTheMediatorSignedAndItIsStamped() throws {
        var dispute = try Self.take(.draftAgreement(Self.agreementForm), on: try Self.mediating())
        for step: MediationStep in [.signAsParty(1), .signAsMediator, .stamp] {
            dispute = try Self.take(step, on: dispute)
            #expect(dispute.status == .mediating, "not in effect after \(step.name)")
            #expect(dispute.currentAgreement?.effectiveAt == nil)
        }
        let third = refusal { () throws(DomainError) in try Self.take(.signAsParty(3), on: dispute) }
        #expect(third?.field == "party", "a third party does not sign")
        dispute = try Self.take(.signAsParty(2), on: dispute, at: Self.now.addingTimeInterval(60))
        #expect(dispute.status == .agreed)
        #expect(dispute.currentAgreement?.effectiveAt == Self.now.addingTimeInterval(60))
        let late = refusal { () throws(DomainError) in try Self.take(.stamp, on: dispute) }
        #expect(late?.code == .notAllowedInState, "an agreement in effect is not changed")
    }

    @Test func anAgreementWithoutTwoPartiesIsRefused() throws {
        var dispute = try Self.mediating()
        dispute.parties.removeLast(2)
        let error = refusal { () throws(DomainError) in try Self.take(.draftAgreement(Self.agreementForm), on: dispute) }
        #expect(error?.message.contains("two parties") == true)
        #expect(error?.message.contains("Art. 28") == true)
    }

    @Test func anObligationNamesItsPartyAndADueDate() throws {
        var form = Self.agreementForm
        form.obligations?[0].party = 9
        #expect(refusal { () throws(DomainError) in try Self.take(.draftAgreement(form), on: try Self.mediating()) }?.field == "obligations[0].party")
        form = Self.agreementForm
        form.obligations?[0].dueOn = Self.now.addingTimeInterval(-86_400)
        #expect(refusal { () throws(DomainError) in try Self.take(.draftAgreement(form), on: try Self.mediating()) }?.field == "obligations[0].dueOn")
    }

    @Test func aFailedMediationTellsThePartiesTheirLegalRoutes() throws {
        let noRoute = refusal { () throws(DomainError) in
            try Self.take(.endWithoutAgreement(routes: [], note: "分歧过大"), on: try Self.mediating())
        }
        #expect(noRoute?.field == "routes")
        #expect(noRoute?.message.contains("Art. 26") == true)
        let ended = try Self.take(.endWithoutAgreement(routes: [.litigation, .arbitration], note: "分歧过大"), on: try Self.mediating())
        #expect(ended.status == .noAgreement)
        #expect(ended.legalRoutes == [.litigation, .arbitration])
        #expect(ended.riskColour == .yellow)
    }

    @Test func anAgreementNotCarriedOutReopensTheDispute() throws {
        let agreed = try Self.agreed()
        #expect(agreed.followUpDue == Self.now.addingTimeInterval(10 * 86_400))
        let visit = Self.now.addingTimeInterval(11 * 86_400)
        let broken = try Self.take(.followUp(carriedOut: false, note: "李建国未按期支付"), on: agreed, at: visit)
        #expect(broken.status == .mediating)
        #expect(broken.reopenCount == 1)
        #expect(broken.agreements[0].breachedAt == visit)
        #expect(broken.currentAgreement == nil)
        var again = Self.agreementForm
        again.obligations?[0].dueOn = visit.addingTimeInterval(7 * 86_400)
        let redrafted = try Self.take(.draftAgreement(again), on: broken, at: visit)
        #expect(redrafted.agreements.map(\.number) == [1, 2], "the broken agreement stays on file")

        let kept = try Self.take(.followUp(carriedOut: true, note: "已支付"), on: agreed, at: visit)
        #expect(kept.status == .agreed)
        #expect(kept.followUps.count == 1)
        #expect(kept.followUpDue == nil)
        let early = refusal { () throws(DomainError) in try Self.take(.followUp(carriedOut: true, note: "x"), on: try Self.mediating()) }
        #expect(early?.message.contains("Art. 31") == true)
    }

    @Test func judicialConfirmationIsAppliedForJointlyWithinThirtyDays() throws {
        let agreed = try Self.agreed()
        let alone = refusal { () throws(DomainError) in
            try Self.take(.applyForConfirmation(court: "镇海区人民法院", parties: [1]), on: agreed)
        }
        #expect(alone?.field == "parties")
        let late = refusal { () throws(DomainError) in
            try Self.take(.applyForConfirmation(court: "镇海区人民法院", parties: [1, 2]), on: agreed, at: Self.now.addingTimeInterval(31 * 86_400))
        }
        #expect(late?.message.contains("Art. 33") == true)
        let applied = try Self.take(.applyForConfirmation(court: "镇海区人民法院", parties: [2, 1]), on: agreed, at: Self.now.addingTimeInterval(29 * 86_400))
        #expect(applied.currentAgreement?.court == "镇海区人民法院")
        let decided = try Self.take(.recordCourtDecision(.confirmed, note: "(2026)浙0211民特12号"), on: applied)
        #expect(decided.currentAgreement?.courtDecision == .confirmed)
        #expect(refusal { () throws(DomainError) in try Self.take(.recordCourtDecision(.rejected, note: nil), on: decided) }?.code == .notAllowedInState)
    }

    // MARK: Who

    @Test func onlyTheBodysMediatorsAndTheAreasDispatchersSeeAndAct() throws {
        let dispute = try Self.mediating()
        let outsider = Post(id: 40, userID: 40, role: .mediator, areaID: TestCity.town.id, areaLevel: .town, departmentID: nil)
        #expect(DisputePolicy.canSee(dispute, case: Self.file, body: Self.committee, as: TestCity.townMediator))
        #expect(DisputePolicy.canSee(dispute, case: Self.file, body: Self.committee, as: TestCity.townDispatcher))
        #expect(!DisputePolicy.canSee(dispute, case: Self.file, body: Self.committee, as: outsider))
        #expect(!DisputePolicy.canSee(dispute, case: Self.file, body: Self.committee, as: TestCity.otherTownDispatcher))
        #expect(!DisputePolicy.canSee(dispute, case: Self.file, body: Self.committee, as: TestCity.townLeader))

        let session = MediationStep.consent(party: 1)
        #expect(refusal { () throws(DomainError) in try Self.take(session, on: dispute, by: outsider) }?.code == .forbidden)
        #expect(refusal { () throws(DomainError) in try Self.take(session, on: dispute, by: TestCity.townDispatcher) }?.code == .forbidden)
        #expect(
            refusal { () throws(DomainError) in
                try Self.take(.assign(Self.committee), on: dispute, by: TestCity.otherTownDispatcher)
            }?.code == .forbidden)
    }

    @Test func partiesAreMaskedUnlessRevealedToARoleThatMaySeeThem() throws {
        let party = try Self.registered().parties[0]
        #expect(DisputePolicy.party(party, for: TestCity.townMediator, revealed: false).phone == "138****5678")
        #expect(DisputePolicy.party(party, for: TestCity.townMediator, revealed: false).idNumber == "110105********002X")
        #expect(DisputePolicy.party(party, for: TestCity.townMediator, revealed: true).phone == "13812345678")
        #expect(DisputePolicy.party(party, for: TestCity.townLeader, revealed: true).phone == "138****5678")
    }

    @Test func eachStepIsRecordedOnTheCaseTimelineWithoutMovingTheCase() throws {
        let change = try MediationWorkflow.decide(
            .consent(party: 1), on: try Self.mediating(), case: Self.file, body: Self.committee, by: TestCity.townMediator,
            rule: .default, at: Self.now)
        let transition = try CaseWorkflow.mediation(change, on: Self.file)
        #expect(transition.action == .mediate)
        #expect(transition.file.status == Self.file.status)
        #expect(transition.file.version == Self.file.version + 1)
        #expect(transition.details["step"] == "consent")
        let archived = refusal { () throws(DomainError) in try CaseWorkflow.mediation(change, on: TestCity.caseFile(.archived)) }
        #expect(archived?.code == .notAllowedInState)
    }
}
