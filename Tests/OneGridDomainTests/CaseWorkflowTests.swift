import Foundation
import OneGridDomain
import Testing

/// The flow of DOMAIN.md §3, written out by hand so that a change to `CaseAction.allowedFrom`
/// which the domain does not call for makes these tests fail.
@Suite struct CaseWorkflowTests {
    /// Each action: the states it may be taken in and the state it leads to.
    /// A nil target: the action leaves the status as it was.
    static let flow: [CaseAction: (from: Set<CaseStatus>, to: CaseStatus?)] = [
        // The report is the first event and never an action on an existing case.
        .report: ([], .reported),
        .accept: ([.reported], .accepted),
        // Invalid, legal-route and duplicate reports are sorted out at intake, before or after
        // acceptance.
        .reject: ([.reported, .accepted], .rejected),
        .guide: ([.reported, .accepted], .guided),
        .merge: ([.reported, .accepted], .merged),
        // 接诉即办: solved at intake (so also straight from `reported`) and closed on the spot
        // (glossary). The §3 drawing ends its arrow at `handled`; the domain skips the ground
        // check because the reporter saw the result, so the case waits only for the rating.
        .solveOnSpot: ([.reported, .accepted], .verified),
        .dispatch: ([.accepted], .assigned),
        .dualDispatch: ([.accepted], .assigned),
        .jointDispatch: ([.accepted], .assigned),
        .start: ([.assigned], .inProgress),
        // A wrong owner returns the case instead of signing, or after signing once the work
        // shows it is not theirs.
        .return: ([.assigned, .inProgress], .accepted),
        .feedBack: ([.inProgress], .handled),
        .reportAssist: ([.inProgress], .inProgress),
        // By the holder's decision or when a deadline passes: at any point the case is held.
        .escalate: ([.accepted, .assigned, .inProgress], .accepted),
        .verifyPass: ([.handled], .verified),
        .verifyFail: ([.handled], .inProgress),
        .rate: ([.verified], .rated),
        // Closed after the rating, or without one when none comes in N days.
        .close: ([.verified, .rated], .closed),
        .archive: ([.closed], .archived),
        .reopen: ([.closed, .archived], .accepted),
        // A petitioner's review goes to the level above, which handles it anew.
        .requestReview: ([.closed, .archived], .accepted),
        // Reminders run on any clock (§4): acceptance, signing and handling.
        .urge: ([.reported, .accepted, .assigned, .inProgress], nil),
        .supervise: ([.reported, .accepted, .assigned, .inProgress], nil),
        // Suspension and extension concern a case someone holds after acceptance.
        .suspend: ([.accepted, .assigned, .inProgress], nil),
        .resume: ([.accepted, .assigned, .inProgress], nil),
        .extend: ([.accepted, .assigned, .inProgress], nil),
        // Recorded by the petition procedure, never taken as a case action.
        .petitionStep: ([], nil),
        // Recorded on the timeline by the mediation store, never taken as a case step.
        .mediate: ([], nil),
    ]

    /// The post that may take `action` on the case `file(for:)` gives, so that only the state
    /// decides.
    static func actor(for action: CaseAction) -> Post {
        switch action {
        case .start, .return, .feedBack: TestCity.marketHandler
        case .reportAssist: TestCity.civilAffairsHandler
        case .verifyPass, .verifyFail: TestCity.gridWorker
        case .rate: TestCity.citizen
        case .report, .accept, .reject, .guide, .merge, .solveOnSpot, .dispatch, .dualDispatch, .jointDispatch,
            .escalate, .close, .archive, .reopen, .requestReview, .urge, .supervise, .suspend, .resume, .extend, .petitionStep, .mediate:
            TestCity.townDispatcher
        }
    }

    static func file(_ status: CaseStatus, for action: CaseAction) -> CaseFile {
        // An unreported assist is what lets civil affairs report; any other action sees none,
        // so the lead's feedback is not held up.
        let assists = action == .reportAssist ? [CaseFile.Assist(departmentID: TestCity.townCivilAffairs.id)] : []
        var file = TestCity.caseFile(status, departmentID: TestCity.townMarket.id, assists: assists)
        // Only a suspended clock can be resumed.
        if action == .resume { file.suspendedAt = TestCity.now.addingTimeInterval(-3600) }
        // A review is asked for within 30 days of the reply, for a petition.
        if action == .requestReview {
            file.categoryID = TestCity.petition.id
            file.closedAt = TestCity.now.addingTimeInterval(-86_400)
        }
        return file
    }

    static func input(for action: CaseAction) -> CaseActionInput {
        switch action {
        case .dualDispatch:
            CaseActionInput(departmentID: TestCity.townMarket.id, watcherUserID: TestCity.gridWorker.userID)
        case .jointDispatch:
            CaseActionInput(
                departmentID: TestCity.townMarket.id,
                assistingDepartmentIDs: [TestCity.townPolice.id, TestCity.townCivilAffairs.id])
        case .dispatch: CaseActionInput(departmentID: TestCity.townMarket.id)
        case .guide: CaseActionInput(note: "劳动仲裁管辖", legalRoute: .arbitration)
        case .merge: CaseActionInput(note: "同一路灯", primaryCaseID: 99)
        case .rate: CaseActionInput(rating: .satisfied)
        case .extend: CaseActionInput(note: "需协调相关部门", extendBy: TimeLimit(3, .workingDays))
        default: CaseActionInput(note: "现场已核实")
        }
    }

    static let context = TestCity.context(
        assisting: [TestCity.townPolice, TestCity.townCivilAffairs], watcher: TestCity.gridWorker,
        primary: TestCity.caseFile(.accepted, id: 99), category: TestCity.petition)

    @Test func theFlowTableCoversEveryAction() {
        #expect(Set(Self.flow.keys) == Set(CaseAction.allCases))
    }

    @Test(arguments: CaseAction.allCases)
    func allowedStatesMatchTheFlow(action: CaseAction) throws {
        #expect(action.allowedFrom == (try #require(Self.flow[action])).from)
    }

    @Test(arguments: CaseStatus.allCases, CaseAction.allCases)
    func actionSucceedsExactlyInItsStates(status: CaseStatus, action: CaseAction) throws {
        let expected = try #require(Self.flow[action])
        let file = Self.file(status, for: action)
        let outcome = Result { () throws(DomainError) -> CaseTransition in
            try CaseWorkflow.decide(
                action, on: file, input: Self.input(for: action), by: Self.actor(for: action), context: Self.context)
        }

        switch outcome {
        case .success(let transition):
            #expect(expected.from.contains(status), "\(action) succeeded from \(status)")
            #expect(transition.from == status)
            #expect(transition.file.status == (expected.to ?? status))
            #expect(transition.file.version == file.version + 1)
        case .failure(let error):
            #expect(!expected.from.contains(status), "\(action) refused from \(status): \(error)")
            #expect(error.code == .notAllowedInState)
            let words = Set(error.message.split { !$0.isLetter }.map(String.init))
            #expect(words.contains(status.rawValue), "the refusal names the current status")
            let allowedHere = Set(Self.flow.filter { $0.value.from.contains(status) }.map(\.key.rawValue))
            let actionsNamed = words.intersection(CaseAction.allCases.map(\.rawValue)).subtracting([action.rawValue])
            #expect(actionsNamed == allowedHere.subtracting([action.rawValue]), "the refusal lists what is allowed")
            if allowedHere.isEmpty { #expect(error.message.contains("none")) }
        }
    }

    /// The whole flow once, with a failed verification on the way: every step bumps the version
    /// by exactly one, the rework is counted, and the solving level is recorded.
    @Test func versionGrowsByOnePerStepAlongTheFlow() throws {
        var file = TestCity.caseFile(.reported, version: 1)
        let steps: [(CaseAction, Post, CaseActionInput, CaseStatus)] = [
            (.accept, TestCity.townDispatcher, CaseActionInput(), .accepted),
            (
                .dualDispatch, TestCity.townDispatcher,
                CaseActionInput(departmentID: TestCity.townMarket.id, watcherUserID: TestCity.gridWorker.userID),
                .assigned
            ),
            (.start, TestCity.marketHandler, CaseActionInput(), .inProgress),
            (.feedBack, TestCity.marketHandler, CaseActionInput(note: "已责令整改", evidence: ["photo-1"]), .handled),
            (.verifyFail, TestCity.gridWorker, CaseActionInput(note: "仍有过期食品"), .inProgress),
            (.feedBack, TestCity.marketHandler, CaseActionInput(note: "已下架"), .handled),
            (.verifyPass, TestCity.gridWorker, CaseActionInput(), .verified),
            (.rate, TestCity.citizen, CaseActionInput(rating: .basicallySatisfied), .rated),
            (.close, TestCity.townDispatcher, CaseActionInput(), .closed),
            (.archive, TestCity.townDispatcher, CaseActionInput(), .archived),
        ]
        for (index, (action, post, input, status)) in steps.enumerated() {
            let transition = try CaseWorkflow.decide(
                action, on: file, input: input, by: post,
                context: TestCity.context(watcher: TestCity.gridWorker))
            #expect(transition.file.status == status, "step \(action)")
            #expect(transition.file.version == index + 2, "step \(action)")
            file = transition.file
        }
        #expect(file.reworkCount == 1)
        #expect(file.finalLevel == .town)
        #expect(file.rating == .basicallySatisfied)
        #expect(file.watcherUserID == TestCity.gridWorker.userID)
    }

    @Test func verifyFailSendsTheCaseBackForReworkAndCountsIt() throws {
        var file = TestCity.caseFile(.handled, departmentID: TestCity.townMarket.id)
        file.reworkCount = 2
        file.finalLevel = .town
        file.handledAt = TestCity.now
        let transition = try CaseWorkflow.decide(
            .verifyFail, on: file, input: CaseActionInput(note: "路灯仍不亮"), by: TestCity.gridWorker,
            context: TestCity.context())
        #expect(transition.file.status == .inProgress)
        #expect(transition.file.reworkCount == 3)
        #expect(transition.file.handledAt == nil)
        #expect(transition.file.finalLevel == nil)
        #expect(transition.file.departmentID == TestCity.townMarket.id, "the same assignee does the rework")
    }

    @Test func reopeningAClosedCaseClearsItsOutcome() throws {
        var file = TestCity.caseFile(.closed, departmentID: TestCity.townMarket.id)
        file.rating = .dissatisfied
        file.finalLevel = .town
        file.closedAt = TestCity.now
        let transition = try CaseWorkflow.decide(
            .reopen, on: file, input: CaseActionInput(note: "群众再次反映"), by: TestCity.townLeader,
            context: TestCity.context())
        #expect(transition.file.status == .accepted)
        #expect(transition.file.rating == nil)
        #expect(transition.file.finalLevel == nil)
        #expect(transition.file.closedAt == nil)
        #expect(transition.file.departmentID == nil)
        #expect(transition.note == "群众再次反映")
    }
}
