import OneGridDomain
import Testing

/// The per-action rules beyond the state table: reasons, legal routes, merging, escalation.
@Suite struct CaseWorkflowRulesTests {
    /// Steps that refuse or undo someone's work, or report work done, must say why (DOMAIN.md §3:
    /// a return needs a reason, an invalid report is cancelled with a reason, reopening is audited).
    static let stepsNeedingAReason: [(CaseAction, CaseStatus, Post)] = [
        (.reject, .reported, TestCity.townDispatcher),
        (.guide, .accepted, TestCity.windowClerk),
        (.return, .assigned, TestCity.marketHandler),
        (.escalate, .inProgress, TestCity.marketHandler),
        (.verifyFail, .handled, TestCity.gridWorker),
        (.reopen, .closed, TestCity.townLeader),
        (.solveOnSpot, .accepted, TestCity.windowClerk),
        (.feedBack, .inProgress, TestCity.marketHandler),
    ]

    @Test(arguments: stepsNeedingAReason)
    func aReasonIsRequired(action: CaseAction, status: CaseStatus, post: Post) throws {
        let file = TestCity.caseFile(status, departmentID: TestCity.townMarket.id)
        for note in [nil, "", "  \n "] as [String?] {
            let error = try #require(
                refusal { () throws(DomainError) in
                    try CaseWorkflow.decide(
                        action, on: file, input: CaseActionInput(note: note, legalRoute: .litigation), by: post,
                        context: TestCity.context())
                }, "\(action) without a reason (\(String(describing: note)))")
            #expect(error.code == .invalid)
            #expect(error.field == "note")
        }
        let transition = try CaseWorkflow.decide(
            action, on: file, input: CaseActionInput(note: "  理由  ", legalRoute: .litigation), by: post,
            context: TestCity.context())
        #expect(transition.note == "理由", "the reason is kept, trimmed")
    }

    @Test func stepsThatTakeNoReasonGoThroughWithoutOne() throws {
        let transition = try CaseWorkflow.decide(
            .accept, on: TestCity.caseFile(.reported), input: CaseActionInput(), by: TestCity.townDispatcher,
            context: TestCity.context())
        #expect(transition.note == nil)
        #expect(transition.file.acceptedAt == TestCity.now)
    }

    @Test func aNoteHasALimit() throws {
        let error = try #require(
            refusal { () throws(DomainError) in
                try CaseWorkflow.decide(
                    .reject, on: TestCity.caseFile(.reported),
                    input: CaseActionInput(note: String(repeating: "假", count: 5_001)), by: TestCity.townDispatcher,
                    context: TestCity.context())
            })
        #expect(error.field == "note")
    }

    @Test func guidingNeedsALegalRoute() throws {
        let file = TestCity.caseFile(.reported)
        let error = try #require(
            refusal { () throws(DomainError) in
                try CaseWorkflow.decide(
                    .guide, on: file, input: CaseActionInput(note: "属于诉讼范围"), by: TestCity.windowClerk,
                    context: TestCity.context())
            })
        #expect(error.code == .invalid)
        #expect(error.field == "legalRoute")
        #expect(error.message.contains("litigation"), "the refusal lists the routes")

        let transition = try CaseWorkflow.decide(
            .guide, on: file, input: CaseActionInput(note: "属于诉讼范围", legalRoute: .litigation),
            by: TestCity.windowClerk, context: TestCity.context())
        #expect(transition.file.status == .guided)
        #expect(transition.file.legalRoute == .litigation)
        #expect(transition.details["legalRoute"] == "litigation")
        #expect(transition.file.closedAt == TestCity.now)
    }

    // MARK: Merging

    static func merge(into primary: CaseFile?, named primaryID: Int64?) -> Result<CaseTransition, DomainError> {
        Result { () throws(DomainError) -> CaseTransition in
            try CaseWorkflow.decide(
                .merge, on: TestCity.caseFile(.reported, id: 2), input: CaseActionInput(primaryCaseID: primaryID),
                by: TestCity.townDispatcher, context: TestCity.context(primary: primary))
        }
    }

    @Test func mergingFollowsAnOpenPrimary() throws {
        let transition = try Self.merge(into: TestCity.caseFile(.inProgress, id: 1), named: 1).get()
        #expect(transition.file.status == .merged)
        #expect(transition.file.primaryCaseID == 1)
        #expect(transition.details["primaryCaseID"] == "1")
    }

    @Test(arguments: [CaseStatus.closed, .archived, .rejected, .guided, .merged])
    func mergingIntoACaseThatIsNoLongerOpenIsRefused(status: CaseStatus) throws {
        let error = try #require(Self.merge(into: TestCity.caseFile(status, id: 1), named: 1).failure)
        #expect(error.code == .invalid)
        #expect(error.field == "primaryCaseID")
    }

    @Test func mergingNeedsAPrimaryThatIsAnotherUnmergedCase() throws {
        #expect(Self.merge(into: nil, named: nil).failure?.field == "primaryCaseID")
        #expect(Self.merge(into: nil, named: 1).failure?.code == .notFound)
        #expect(Self.merge(into: TestCity.caseFile(.accepted, id: 2), named: 2).failure?.field == "primaryCaseID")
        var follower = TestCity.caseFile(.accepted, id: 1)
        follower.primaryCaseID = 7
        #expect(Self.merge(into: follower, named: 1).failure?.field == "primaryCaseID", "no chains of merges")
    }

    // MARK: Escalation

    @Test(arguments: [
        (AdminLevel.village, AdminLevel.town), (.town, .county), (.county, .city),
    ])
    func escalationGoesUpOneLevel(from level: AdminLevel, to above: AdminLevel) throws {
        var file = TestCity.caseFile(.inProgress, handlingLevel: level, departmentID: TestCity.townMarket.id)
        file.assists = [CaseFile.Assist(departmentID: TestCity.townPolice.id)]
        file.watcherUserID = TestCity.gridWorker.userID
        let transition = try CaseWorkflow.decide(
            .escalate, on: file, input: CaseActionInput(note: "超出本级职权"), by: TestCity.marketHandler,
            context: TestCity.context())
        #expect(transition.file.status == .accepted)
        #expect(transition.file.handlingLevel == above)
        #expect(transition.file.handlingAreaID == TestCity.path[above])
        #expect(transition.file.escalationCount == 1)
        #expect(transition.file.departmentID == nil, "the centre above decides anew")
        #expect(transition.file.assists.isEmpty)
        #expect(transition.file.watcherUserID == nil)
        #expect(transition.details["toLevel"] == above.rawValue)
    }

    @Test func theCityCannotEscalate() throws {
        let cityDispatcher = TestCity.post(31, .dispatcher, TestCity.city)
        let error = try #require(
            refusal { () throws(DomainError) in
                try CaseWorkflow.decide(
                    .escalate, on: TestCity.caseFile(.accepted, handlingLevel: .city),
                    input: CaseActionInput(note: "上报"), by: cityDispatcher, context: TestCity.context())
            })
        #expect(error.code == .notAllowedInState)
        #expect(error.message.contains("city"))
    }

    // MARK: Solving on the spot and rating

    @Test func solvingOnTheSpotRecordsTheCentreThatSolvedIt() throws {
        let atWindow = try CaseWorkflow.decide(
            .solveOnSpot, on: TestCity.caseFile(.reported), input: CaseActionInput(note: "当场解答"),
            by: TestCity.windowClerk, context: TestCity.context())
        #expect(atWindow.file.finalLevel == .town)
        #expect(atWindow.file.acceptedAt == TestCity.now)
        #expect(atWindow.file.handledAt == TestCity.now)

        // A grid is no centre: what its worker solves counts for the village (小事不出村).
        let inGrid = try CaseWorkflow.decide(
            .solveOnSpot, on: TestCity.caseFile(.reported, handlingLevel: .village), input: CaseActionInput(note: "已调解"),
            by: TestCity.gridWorker, context: TestCity.context())
        #expect(inGrid.file.finalLevel == .village)
    }

    @Test func ratingNeedsAVerdict() throws {
        let file = TestCity.caseFile(.verified)
        let error = try #require(
            refusal { () throws(DomainError) in
                try CaseWorkflow.decide(.rate, on: file, input: CaseActionInput(), by: TestCity.citizen, context: TestCity.context())
            })
        #expect(error.field == "rating")
        let transition = try CaseWorkflow.decide(
            .rate, on: file, input: CaseActionInput(rating: .dissatisfied), by: TestCity.citizen, context: TestCity.context())
        #expect(transition.file.rating == .dissatisfied)
        #expect(transition.details["rating"] == "dissatisfied")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
