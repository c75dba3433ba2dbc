import OneGridDomain
import Testing

/// Dispatching: to a department, down to a lower centre, with a watcher (双派单) or to several
/// departments at once (吹哨报到), and the joint feedback that follows.
@Suite struct CaseWorkflowDispatchTests {
    static func dispatch(
        _ action: CaseAction = .dispatch, on file: CaseFile = TestCity.caseFile(.accepted), input: CaseActionInput,
        context: CaseActionContext = TestCity.context()
    ) -> Result<CaseTransition, DomainError> {
        Result { () throws(DomainError) -> CaseTransition in
            try CaseWorkflow.decide(action, on: file, input: input, by: TestCity.townDispatcher, context: context)
        }
    }

    @Test func dispatchAssignsTheNamedDepartment() throws {
        let transition = try Self.dispatch(
            input: CaseActionInput(departmentID: TestCity.townPolice.id),
            context: TestCity.context(department: TestCity.townPolice)
        ).get()
        #expect(transition.file.status == .assigned)
        #expect(transition.file.departmentID == TestCity.townPolice.id)
        #expect(transition.file.assignedAt == TestCity.now)
        #expect(transition.details["departmentID"] == String(TestCity.townPolice.id))
    }

    @Test func dispatchWithoutADepartmentTakesTheSuggestedOne() throws {
        let transition = try Self.dispatch(input: CaseActionInput()).get()
        #expect(transition.file.departmentID == TestCity.townMarket.id)

        var unsuggested = TestCity.caseFile(.accepted)
        unsuggested.suggestedDepartmentID = nil
        let error = try #require(Self.dispatch(on: unsuggested, input: CaseActionInput()).failure)
        #expect(error.field == "departmentID")
    }

    @Test func aDepartmentThatDoesNotServeTheAreaIsRefused() throws {
        let error = try #require(
            Self.dispatch(
                input: CaseActionInput(departmentID: TestCity.otherTownMarket.id),
                context: TestCity.context(department: TestCity.otherTownMarket)
            ).failure)
        #expect(error.code == .invalid)
        #expect(error.field == "departmentID")
        #expect(error.message.contains("does not serve"))
    }

    @Test func aDepartmentAboveTheHoldingCentreIsRefused() throws {
        let error = try #require(
            Self.dispatch(
                input: CaseActionInput(departmentID: TestCity.countyHousing.id),
                context: TestCity.context(department: TestCity.countyHousing)
            ).failure)
        #expect(error.code == .invalid)
        #expect(error.field == "departmentID")
        #expect(error.message.contains("escalate"), "the refusal points to the right step")

        // Held by the county, the same department is the centre's own level.
        let countyDispatcher = TestCity.countyDispatcher
        let transition = try CaseWorkflow.decide(
            .dispatch, on: TestCity.caseFile(.accepted, handlingLevel: .county),
            input: CaseActionInput(departmentID: TestCity.countyHousing.id), by: countyDispatcher,
            context: TestCity.context(department: TestCity.countyHousing))
        #expect(transition.file.departmentID == TestCity.countyHousing.id)
    }

    @Test func aDepartmentBelowTheHoldingCentreIsAccepted() throws {
        let transition = try Self.dispatch(
            input: CaseActionInput(departmentID: TestCity.villageCommittee.id),
            context: TestCity.context(department: TestCity.villageCommittee)
        ).get()
        #expect(transition.file.departmentID == TestCity.villageCommittee.id)
    }

    @Test func aDepartmentTheStoreDidNotFindIsNotFound() throws {
        let error = try #require(
            Self.dispatch(input: CaseActionInput(departmentID: 999), context: TestCity.context(department: nil)).failure)
        #expect(error.code == .notFound)
        #expect(error.field == "departmentID")
    }

    // MARK: Down to a lower centre

    @Test func dispatchByAreaTransfersTheCaseDown() throws {
        let transition = try Self.dispatch(input: CaseActionInput(areaID: TestCity.village.id)).get()
        #expect(transition.file.status == .accepted, "the village centre accepts it anew")
        #expect(transition.file.handlingLevel == .village)
        #expect(transition.file.handlingAreaID == TestCity.village.id)
        #expect(transition.file.departmentID == nil)
        #expect(transition.details["areaID"] == String(TestCity.village.id))
    }

    @Test(arguments: [
        TestCity.neighbourVillage.id,  // another village of the same town
        TestCity.town.id,  // the holding centre itself
        TestCity.county.id,  // above it
        TestCity.grid.id,  // a grid runs no centre
        999,
    ] as [Int64])
    func transferOffTheCasePathOrNotDownIsRefused(areaID: Int64) throws {
        let error = try #require(Self.dispatch(input: CaseActionInput(areaID: areaID)).failure)
        #expect(error.code == .invalid)
        #expect(error.field == "areaID")
    }

    // MARK: Dual dispatch

    @Test func dualDispatchAttachesTheGridWorkerOfTheCasesGrid() throws {
        let transition = try Self.dispatch(
            .dualDispatch, input: CaseActionInput(watcherUserID: TestCity.gridWorker.userID),
            context: TestCity.context(watcher: TestCity.gridWorker)
        ).get()
        #expect(transition.file.status == .assigned)
        #expect(transition.file.watcherUserID == TestCity.gridWorker.userID)
        #expect(transition.details["watcherUserID"] == String(TestCity.gridWorker.userID))
    }

    @Test func dualDispatchRefusesAWatcherWhoIsNotAGridWorkerOfTheGrid() throws {
        let missing = try #require(Self.dispatch(.dualDispatch, input: CaseActionInput()).failure)
        #expect(missing.field == "watcherUserID")

        let neighbour = TestCity.neighbourGridWorker
        let elsewhere = try #require(
            Self.dispatch(
                .dualDispatch, input: CaseActionInput(watcherUserID: neighbour.userID),
                context: TestCity.context(watcher: neighbour)
            ).failure)
        #expect(elsewhere.field == "watcherUserID")

        let notAGridWorker = TestCity.post(TestCity.gridWorker.userID, .citizen, TestCity.grid)
        let wrongRole = try #require(
            Self.dispatch(
                .dualDispatch, input: CaseActionInput(watcherUserID: notAGridWorker.userID),
                context: TestCity.context(watcher: notAGridWorker)
            ).failure)
        #expect(wrongRole.field == "watcherUserID")

        let someoneElse = try #require(
            Self.dispatch(
                .dualDispatch, input: CaseActionInput(watcherUserID: 77),
                context: TestCity.context(watcher: TestCity.gridWorker)
            ).failure, "the context's post must be the one named")
        #expect(someoneElse.field == "watcherUserID")
    }

    // MARK: Joint handling

    static let jointContext = TestCity.context(assisting: [TestCity.townPolice, TestCity.townCivilAffairs])

    @Test func jointDispatchNamesALeadAndDistinctAssistingDepartments() throws {
        let transition = try Self.dispatch(
            .jointDispatch,
            input: CaseActionInput(assistingDepartmentIDs: [TestCity.townPolice.id, TestCity.townCivilAffairs.id]),
            context: Self.jointContext
        ).get()
        #expect(transition.file.departmentID == TestCity.townMarket.id)
        #expect(transition.file.assists.map(\.departmentID) == [TestCity.townPolice.id, TestCity.townCivilAffairs.id])
        #expect(transition.file.assists.allSatisfy { $0.reportedAt == nil })
    }

    @Test(arguments: [
        [],
        [TestCity.townPolice.id, TestCity.townPolice.id],
        [TestCity.townMarket.id],  // the lead cannot assist itself
        [TestCity.townPolice.id, TestCity.townMarket.id],
    ] as [[Int64]])
    func jointDispatchRefusesAssistsThatAreNotDistinctOthers(ids: [Int64]) throws {
        let error = try #require(
            Self.dispatch(.jointDispatch, input: CaseActionInput(assistingDepartmentIDs: ids), context: Self.jointContext)
                .failure)
        #expect(error.code == .invalid)
        #expect(error.field == "assistingDepartmentIDs")
    }

    @Test func jointDispatchRefusesAnAssistingDepartmentOutsideTheArea() throws {
        let error = try #require(
            Self.dispatch(
                .jointDispatch, input: CaseActionInput(assistingDepartmentIDs: [TestCity.otherTownMarket.id]),
                context: TestCity.context(assisting: [TestCity.otherTownMarket])
            ).failure)
        #expect(error.field == "assistingDepartmentIDs")
        let unknown = try #require(
            Self.dispatch(.jointDispatch, input: CaseActionInput(assistingDepartmentIDs: [999]), context: Self.jointContext)
                .failure)
        #expect(unknown.code == .notFound)
        #expect(unknown.field == "assistingDepartmentIDs")
    }

    @Test func theLeadFeedsBackOnlyAfterEveryAssistingDepartmentReported() throws {
        var file = try Self.dispatch(
            .jointDispatch,
            input: CaseActionInput(assistingDepartmentIDs: [TestCity.townPolice.id, TestCity.townCivilAffairs.id]),
            context: Self.jointContext
        ).get().file
        file = try CaseWorkflow.decide(
            .start, on: file, input: CaseActionInput(), by: TestCity.marketHandler, context: TestCity.context()
        ).file
        let feedBack = { (file: CaseFile) in
            refusal { () throws(DomainError) in
                try CaseWorkflow.decide(
                    .feedBack, on: file, input: CaseActionInput(note: "联合执法完毕"), by: TestCity.marketHandler,
                    context: TestCity.context())
            }
        }

        let bothWaiting = try #require(feedBack(file))
        #expect(bothWaiting.code == .notAllowedInState)
        #expect(bothWaiting.message.contains(String(TestCity.townPolice.id)))
        #expect(bothWaiting.message.contains(String(TestCity.townCivilAffairs.id)))

        file = try CaseWorkflow.decide(
            .reportAssist, on: file, input: CaseActionInput(note: "已出警"), by: TestCity.policeHandler,
            context: TestCity.context()
        ).file
        #expect(file.status == .inProgress)
        #expect(file.assists.first { $0.departmentID == TestCity.townPolice.id }?.reportedAt == TestCity.now)
        let oneWaiting = try #require(feedBack(file))
        #expect(oneWaiting.message.contains(String(TestCity.townCivilAffairs.id)))
        #expect(!oneWaiting.message.contains(String(TestCity.townPolice.id)))

        file = try CaseWorkflow.decide(
            .reportAssist, on: file, input: CaseActionInput(), by: TestCity.civilAffairsHandler,
            context: TestCity.context()
        ).file
        #expect(feedBack(file) == nil)
    }

    @Test func returningClearsTheAssignmentAndCountsAgainstTheDispatch() throws {
        var file = TestCity.caseFile(.assigned, departmentID: TestCity.townMarket.id)
        file.watcherUserID = TestCity.gridWorker.userID
        file.assists = [CaseFile.Assist(departmentID: TestCity.townPolice.id)]
        let transition = try CaseWorkflow.decide(
            .return, on: file, input: CaseActionInput(note: "不属于本所职责"), by: TestCity.marketHandler,
            context: TestCity.context())
        #expect(transition.file.status == .accepted)
        #expect(transition.file.departmentID == nil)
        #expect(transition.file.assists.isEmpty)
        #expect(transition.file.watcherUserID == nil)
        #expect(transition.file.returnCount == 1)
    }
}
