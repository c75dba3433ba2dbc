import Foundation
import OneGridDomain
import Testing

/// Who is told of each step, and in what words.
@Suite struct CaseNoticeTests {
    typealias City = TestCity

    static func event(_ action: CaseAction, on file: CaseFile, note: String? = nil) -> TimelineEvent {
        TimelineEvent(
            caseID: file.id, sequence: file.version, action: action, fromStatus: nil, toStatus: file.status,
            actorUserID: nil, actorPostID: nil, actorRole: nil, atMillis: City.now.millisecondsSince1970, note: note,
            details: [:], previousHash: TimelineEvent.genesisHash)
    }

    static func notice(_ action: CaseAction, on file: CaseFile, note: String? = nil) throws -> CaseNotice {
        try #require(CaseNotice(event(action, on: file, note: note), file: file), "\(action) tells someone")
    }

    @Test func everyKindIsTheStepOfItsNameAndOtherStepsTellNobody() {
        for kind in NoticeKind.allCases {
            #expect(kind.action.rawValue == kind.rawValue)
            #expect(NoticeKind(kind.action) == (NoticeKind.citizensOnly.contains(kind) ? nil : kind))
        }
        let file = City.caseFile(.assigned, departmentID: City.townMarket.id)
        for action in CaseAction.allCases where NoticeKind(action) == nil {
            #expect(CaseNotice(Self.event(action, on: file), file: file) == nil, "\(action)")
        }
        #expect(NoticeKind(.accept) == nil)
        #expect(NoticeKind(.feedBack) == nil)
    }

    @Test func anAssignmentTellsTheDepartmentAndEveryAssistingOne() throws {
        let file = City.caseFile(
            .assigned, departmentID: City.townMarket.id, assists: [CaseFile.Assist(departmentID: City.townPolice.id)])
        for action in [CaseAction.dispatch, .jointDispatch] {
            let notice = try Self.notice(action, on: file)
            #expect(notice.kind == NoticeKind(action))
            #expect(notice.caseID == 1)
            #expect(notice.recipients == [.department(City.townMarket.id), .department(City.townPolice.id)])
            #expect(notice.message == "派遣：新案件待签收（案件 1）")
        }
    }

    @Test func aDualDispatchAlsoTellsTheWatchingGridWorker() throws {
        var file = City.caseFile(.assigned, departmentID: City.townMarket.id)
        file.watcherUserID = 42
        let notice = try Self.notice(.dualDispatch, on: file, note: "请网格员跟进")
        #expect(notice.recipients == [.department(City.townMarket.id), .watcher(userID: 42)])
        #expect(notice.message == "派遣：新案件待签收（案件 1）：请网格员跟进")
    }

    @Test func anUrgeGoesToTheHoldingDepartmentElseToTheHoldingCentresDispatchers() throws {
        let held = try Self.notice(.urge, on: City.caseFile(.assigned, departmentID: City.townMarket.id))
        #expect(held.recipients == [.department(City.townMarket.id)])
        #expect(held.message == "催办：案件即将到期，请尽快办理（案件 1）")

        let unassigned = try Self.notice(.supervise, on: City.caseFile(.accepted, handlingLevel: .village), note: "已超期1天")
        #expect(unassigned.recipients == [.centre(areaID: City.village.id)])
        #expect(unassigned.message == "督办：案件已超期，上级督办（案件 1）：已超期1天")
    }

    @Test func anEscalationAndAReviewGoToTheCentreThatNowHoldsTheCase() throws {
        let file = City.caseFile(.accepted, handlingLevel: .county, departmentID: City.townMarket.id)
        let escalation = try Self.notice(.escalate, on: file)
        #expect(escalation.recipients == [.centre(areaID: City.county.id)], "the centre, not a department it had")
        #expect(escalation.message == "上报：案件已上报至本级中心（案件 1）")

        let review = try Self.notice(.requestReview, on: file)
        #expect(review.recipients == [.centre(areaID: City.county.id)])
        #expect(review.message == "复查：信访人申请复查，请在30日内答复（案件 1）")
    }

    @Test func aMergedCasesReporterIsToldOfTheMergeAndOfThePrimarysClosing() throws {
        var merged = City.caseFile(.merged, id: 9)
        merged.primaryCaseID = 4
        let merge = try Self.notice(.merge, on: merged)
        #expect(merge.recipients == [.reporter(userID: City.citizen.userID)])
        #expect(merge.message == "合并：您反映的问题与案件 4 为同一事项，将随该案件一并办理（案件 9）")

        merged.reporterUserID = nil
        #expect(try Self.notice(.merge, on: merged).recipients == [], "nobody signed in to tell, yet the step is a notice")

        let closing = try Self.notice(.close, on: City.caseFile(.closed, id: 4))
        #expect(closing.recipients == [.reportersMergedInto(caseID: 4)])
        #expect(closing.message == "办结：与您反映的问题合并办理的案件 4 已办结（案件 4）")
    }
}
