import OneGridDomain
import Testing

@Suite struct CasePolicyTests {
    /// Who takes which step, from the roles of DOMAIN.md §2: the centre's staff sort and route,
    /// departments handle, grid workers report and verify, reporters rate (or are called back
    /// by the window, the hotline or the dispatcher), a leader reopens. Mediators and
    /// administrators work elsewhere and take no step on a case.
    static let rolesByAction: [CaseAction: Set<Role>] = [
        .report: [.citizen, .gridWorker, .windowClerk, .hotlineAgent, .dispatcher],
        .accept: [.dispatcher, .windowClerk],
        .reject: [.dispatcher, .windowClerk],
        .guide: [.dispatcher, .windowClerk],
        .merge: [.dispatcher, .windowClerk],
        .solveOnSpot: [.dispatcher, .windowClerk, .gridWorker],
        .dispatch: [.dispatcher],
        .dualDispatch: [.dispatcher],
        .jointDispatch: [.dispatcher],
        .start: [.departmentHandler],
        .return: [.departmentHandler],
        .feedBack: [.departmentHandler],
        .reportAssist: [.departmentHandler],
        .escalate: [.dispatcher, .departmentHandler],
        .verifyPass: [.gridWorker, .dispatcher],
        .verifyFail: [.gridWorker, .dispatcher],
        .rate: [.citizen, .windowClerk, .hotlineAgent, .dispatcher],
        .close: [.dispatcher],
        .archive: [.dispatcher],
        .reopen: [.dispatcher, .leader],
        .requestReview: [.citizen, .windowClerk, .hotlineAgent, .dispatcher],
        // Deadline steps are approvals: the holding centre (or one above) or a leader over it.
        .urge: [.dispatcher, .leader],
        .supervise: [.dispatcher, .leader],
        .suspend: [.dispatcher, .leader],
        .resume: [.dispatcher, .leader],
        .extend: [.dispatcher, .leader],
        // Recorded by the petition procedure under its own rules, never taken as a case action.
        .petitionStep: [],
        // A mediation step is taken on the dispute (`DisputePolicy`), never on the case.
        .mediate: [],
    ]

    /// A post of `role` placed so that only its role can stand in the way: in the case's area,
    /// in its department, or its reporter.
    static func holder(_ role: Role, for action: CaseAction) -> Post {
        switch role {
        case .citizen: TestCity.citizen
        case .gridWorker: TestCity.gridWorker
        case .windowClerk: TestCity.windowClerk
        case .hotlineAgent: TestCity.hotlineAgent
        case .dispatcher: TestCity.townDispatcher
        case .departmentHandler: action == .reportAssist ? TestCity.civilAffairsHandler : TestCity.marketHandler
        case .mediator: TestCity.townMediator
        case .leader: TestCity.townLeader
        case .administrator: TestCity.administrator
        }
    }

    static let heldCase = TestCity.caseFile(
        .inProgress, departmentID: TestCity.townMarket.id,
        assists: [CaseFile.Assist(departmentID: TestCity.townCivilAffairs.id)])

    @Test(arguments: Role.allCases, CaseAction.allCases)
    func onlyTheRolesOfAnActionMayTakeIt(role: Role, action: CaseAction) throws {
        let allowed = try #require(Self.rolesByAction[action])
        let error = refusal { () throws(DomainError) in
            try CasePolicy.check(action, on: Self.heldCase, as: Self.holder(role, for: action))
        }
        if allowed.contains(role) {
            #expect(error == nil, "\(role) may \(action): \(String(describing: error))")
        } else {
            let error = try #require(error, "\(role) may not \(action)")
            #expect(error.code == .forbidden)
            let words = Set(error.message.split { !$0.isLetter }.map(String.init))
            #expect(allowed.isSubset(of: words.compactMap(Role.init(rawValue:))), "the refusal names who may")
            #expect(words.contains(role.rawValue))
        }
    }

    @Test func aCentreActsOnlyOnCasesItsOwnOrALowerCentreHolds() throws {
        let heldByTown = TestCity.caseFile(.reported)
        let heldByVillage = TestCity.caseFile(.reported, handlingLevel: .village)
        let accept = { (file: CaseFile, post: Post) in
            refusal { () throws(DomainError) in try CasePolicy.check(.accept, on: file, as: post) }
        }

        #expect(accept(heldByTown, TestCity.townDispatcher) == nil)
        #expect(accept(heldByTown, TestCity.countyDispatcher) == nil, "a higher centre may step in")
        #expect(accept(heldByTown, TestCity.villageDispatcher)?.code == .forbidden, "the village does not hold it")
        #expect(accept(heldByTown, TestCity.otherTownDispatcher)?.code == .forbidden, "another town's case")
        #expect(accept(heldByVillage, TestCity.villageDispatcher) == nil)
        #expect(accept(heldByVillage, TestCity.townDispatcher) == nil)
        let neighbourVillageDispatcher = TestCity.post(30, .dispatcher, TestCity.neighbourVillage)
        #expect(accept(heldByVillage, neighbourVillageDispatcher)?.code == .forbidden)
    }

    @Test func theRightRoleElsewhereIsForbidden() throws {
        let assigned = TestCity.caseFile(.assigned, departmentID: TestCity.townMarket.id)
        let handled = TestCity.caseFile(.handled, departmentID: TestCity.townMarket.id)
        let verified = TestCity.caseFile(.verified, departmentID: TestCity.townMarket.id)
        let refusals: [(String, DomainError?)] = [
            (
                "another town's market station", refusal { () throws(DomainError) in
                    try CasePolicy.check(.start, on: assigned, as: TestCity.otherMarketHandler)
                }
            ),
            (
                "another department of the same town", refusal { () throws(DomainError) in
                    try CasePolicy.check(.start, on: assigned, as: TestCity.policeHandler)
                }
            ),
            (
                "a handler without a department", refusal { () throws(DomainError) in
                    try CasePolicy.check(.start, on: assigned, as: TestCity.handlerWithoutDepartment)
                }
            ),
            (
                "the grid worker of the neighbouring grid", refusal { () throws(DomainError) in
                    try CasePolicy.check(.verifyPass, on: handled, as: TestCity.neighbourGridWorker)
                }
            ),
            (
                "a citizen who did not report it", refusal { () throws(DomainError) in
                    try CasePolicy.check(.rate, on: verified, as: TestCity.otherCitizen)
                }
            ),
            (
                "another town's dispatcher calling back", refusal { () throws(DomainError) in
                    try CasePolicy.check(.rate, on: verified, as: TestCity.otherTownDispatcher)
                }
            ),
        ]
        for (who, error) in refusals {
            let error = try #require(error, "\(who) was let through")
            #expect(error.code == .forbidden, "\(who)")
            #expect(error.message.contains("does not hold case 1"), "\(who): \(error.message)")
        }
    }

    @Test func anAssistingDepartmentReportsOnlyOnce() throws {
        let waiting = TestCity.caseFile(
            .inProgress, departmentID: TestCity.townMarket.id,
            assists: [
                CaseFile.Assist(departmentID: TestCity.townPolice.id, reportedAt: TestCity.now),
                CaseFile.Assist(departmentID: TestCity.townCivilAffairs.id),
            ])
        #expect(refusal { () throws(DomainError) in try CasePolicy.check(.reportAssist, on: waiting, as: TestCity.civilAffairsHandler) } == nil)
        #expect(refusal { () throws(DomainError) in try CasePolicy.check(.reportAssist, on: waiting, as: TestCity.policeHandler) }?.code == .forbidden)
        #expect(refusal { () throws(DomainError) in try CasePolicy.check(.reportAssist, on: waiting, as: TestCity.marketHandler) }?.code == .forbidden, "the lead feeds back instead")
    }

    // MARK: Seeing

    @Test func aGridWorkerSeesTheirOwnGridOnly() {
        let file = TestCity.caseFile(.accepted)
        #expect(CasePolicy.canSee(file, as: TestCity.gridWorker))
        #expect(!CasePolicy.canSee(file, as: TestCity.neighbourGridWorker))
    }

    @Test func aTownDispatcherSeesTheirTownAtEveryHandlingLevel() {
        for level in [AdminLevel.village, .town, .county, .city] {
            let file = TestCity.caseFile(.accepted, handlingLevel: level)
            #expect(CasePolicy.canSee(file, as: TestCity.townDispatcher), "held at \(level)")
            #expect(!CasePolicy.canSee(file, as: TestCity.otherTownDispatcher), "held at \(level)")
        }
        #expect(CasePolicy.canSee(TestCity.caseFile(.accepted), as: TestCity.countyDispatcher))
        #expect(CasePolicy.canSee(TestCity.caseFile(.accepted), as: TestCity.villageDispatcher))
        #expect(!CasePolicy.canSee(TestCity.caseFile(.accepted), as: TestCity.post(30, .dispatcher, TestCity.neighbourVillage)))
    }

    @Test func aHandlerSeesWhatItsDepartmentLeadsOrAssists() {
        let joint = TestCity.caseFile(
            .inProgress, departmentID: TestCity.townMarket.id,
            assists: [CaseFile.Assist(departmentID: TestCity.townPolice.id)])
        #expect(CasePolicy.canSee(joint, as: TestCity.marketHandler))
        #expect(CasePolicy.canSee(joint, as: TestCity.policeHandler))
        #expect(!CasePolicy.canSee(joint, as: TestCity.civilAffairsHandler))
        #expect(!CasePolicy.canSee(joint, as: TestCity.otherMarketHandler))
        #expect(!CasePolicy.canSee(joint, as: TestCity.handlerWithoutDepartment))
        #expect(!CasePolicy.canSee(TestCity.caseFile(.accepted), as: TestCity.marketHandler), "suggested is not sent")
    }

    @Test func aCitizenSeesTheirOwnReportsOnly() {
        let file = TestCity.caseFile(.accepted)
        #expect(CasePolicy.canSee(file, as: TestCity.citizen))
        #expect(!CasePolicy.canSee(file, as: TestCity.otherCitizen))
        var anonymous = file
        anonymous.reporterUserID = nil
        #expect(!CasePolicy.canSee(anonymous, as: TestCity.citizen))
    }

    @Test func theQueryScopeOfAPostMirrorsWhatItSees() {
        #expect(CaseScope(post: TestCity.gridWorker) == .area(level: .grid, id: TestCity.grid.id))
        #expect(CaseScope(post: TestCity.townDispatcher) == .area(level: .town, id: TestCity.town.id))
        #expect(CaseScope(post: TestCity.townLeader) == .area(level: .town, id: TestCity.town.id))
        #expect(CaseScope(post: TestCity.marketHandler) == .department(TestCity.townMarket.id))
        #expect(CaseScope(post: TestCity.citizen) == .reporter(userID: TestCity.citizen.userID))
        #expect(CaseScope(post: TestCity.handlerWithoutDepartment) == .nothing)
    }
}
