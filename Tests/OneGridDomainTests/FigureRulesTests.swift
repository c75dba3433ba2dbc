import Foundation
import OneGridDomain
import Testing

@Suite struct FigureRulesTests {
    static let subject = FigureSubject(
        channel: .hotline, platform: .marketSupervision, dueAt: Date(timeIntervalSince1970: 1_000), reportedAt: Date(timeIntervalSince1970: 0))

    static func file(_ status: CaseStatus, finalLevel: AdminLevel? = nil, rating: Rating? = nil, handledAt: Date? = nil) -> CaseFile {
        CaseFile(
            id: 9, status: status, version: 2, categoryID: 1, areas: AreaPath(city: 1, county: 2, town: 3, village: 4, grid: 5),
            handlingLevel: .village, handlingAreaID: 4, finalLevel: finalLevel, rating: rating, handledAt: handledAt)
    }

    static func event(_ action: CaseAction, from: CaseStatus?, to: CaseStatus) -> TimelineEvent {
        TimelineEvent(
            caseID: 9, sequence: 2, action: action, fromStatus: from, toStatus: to, actorUserID: nil, actorPostID: nil,
            actorRole: nil, atMillis: 500_000, note: nil, details: [:], previousHash: TimelineEvent.genesisHash)
    }

    static func increments(
        _ action: CaseAction, from: CaseStatus?, to: CaseStatus, after: CaseFile? = nil, reworkedBefore: Bool = false
    ) -> Set<FigureIncrement> {
        Set(
            FigureRules.increments(
                of: event(action, from: from, to: to), after: after ?? file(to), reworkedBefore: reworkedBefore, subject: subject))
    }

    @Test func aReportIsReceivedByItsChannelAndOpensTheCase() {
        #expect(Self.increments(.report, from: nil, to: .reported) == [FigureIncrement(.received, "hotline"), FigureIncrement(.open)])
    }

    @Test func triageStepsCountAcceptanceAndCancellationsApart() {
        #expect(Self.increments(.accept, from: .reported, to: .accepted) == [FigureIncrement(.accepted), FigureIncrement(.acceptedOfReported)])
        #expect(Self.increments(.reject, from: .reported, to: .rejected) == [FigureIncrement(.rejected), FigureIncrement(.open, value: -1)])
        #expect(Self.increments(.guide, from: .accepted, to: .guided) == [FigureIncrement(.guided), FigureIncrement(.open, value: -1)])
        #expect(Self.increments(.merge, from: .accepted, to: .merged) == [FigureIncrement(.merged), FigureIncrement(.open, value: -1)])
    }

    @Test func solvingOnTheSpotFromTheReportAcceptsAndHandles() {
        #expect(
            Self.increments(.solveOnSpot, from: .reported, to: .verified)
                == [
                    FigureIncrement(.accepted), FigureIncrement(.acceptedOfReported), FigureIncrement(.handled, "hotline"),
                    FigureIncrement(.handledOfReported, "hotline"),
                ])
        // Accepted already: counted once, at the acceptance.
        #expect(
            Self.increments(.solveOnSpot, from: .accepted, to: .verified)
                == [FigureIncrement(.handled, "hotline"), FigureIncrement(.handledOfReported, "hotline")])
    }

    @Test func everyKindOfDispatchCountsForTheCasePlatform() {
        for action in [CaseAction.dispatch, .dualDispatch, .jointDispatch] {
            #expect(Self.increments(action, from: .accepted, to: .assigned) == [FigureIncrement(.dispatched, "marketSupervision")])
        }
    }

    @Test func aReworksFeedbackIsNotHandledTwice() {
        #expect(
            Self.increments(.feedBack, from: .inProgress, to: .handled)
                == [FigureIncrement(.handled, "hotline"), FigureIncrement(.handledOfReported, "hotline")])
        #expect(Self.increments(.feedBack, from: .inProgress, to: .handled, reworkedBefore: true) == [])
    }

    @Test func verificationCountsPassesAndFailures() {
        #expect(Self.increments(.verifyPass, from: .handled, to: .verified) == [FigureIncrement(.verified)])
        #expect(Self.increments(.verifyFail, from: .handled, to: .inProgress) == [FigureIncrement(.verified), FigureIncrement(.reworked)])
    }

    @Test func closingCountsTheFinalLevelAndWhetherHandlingWasOnTime() {
        let onTime = Self.file(.closed, finalLevel: .village, handledAt: Date(timeIntervalSince1970: 1_000))
        #expect(
            Self.increments(.close, from: .rated, to: .closed, after: onTime)
                == [
                    FigureIncrement(.closed, "village"), FigureIncrement(.closedOfReported), FigureIncrement(.closedOnTime),
                    FigureIncrement(.open, value: -1),
                ])
        let late = Self.file(.closed, finalLevel: .town, handledAt: Date(timeIntervalSince1970: 1_001))
        #expect(
            Self.increments(.close, from: .verified, to: .closed, after: late)
                == [FigureIncrement(.closed, "town"), FigureIncrement(.closedOfReported), FigureIncrement(.open, value: -1)])
    }

    @Test func aRatingCountsByItsVerdict() {
        #expect(
            Self.increments(.rate, from: .verified, to: .rated, after: Self.file(.rated, rating: .basicallySatisfied))
                == [FigureIncrement(.rated, "basicallySatisfied")])
    }

    @Test func returnsEscalationsAndReopeningsCount() {
        #expect(Self.increments(.return, from: .assigned, to: .accepted) == [FigureIncrement(.returned)])
        #expect(Self.increments(.escalate, from: .inProgress, to: .accepted) == [FigureIncrement(.escalated)])
        // Reopened, its report month's own closed count gives it back until it closes again.
        #expect(
            Self.increments(.reopen, from: .closed, to: .accepted) == [FigureIncrement(.closedOfReported, value: -1), FigureIncrement(.open)])
        #expect(
            Self.increments(.requestReview, from: .archived, to: .accepted)
                == [FigureIncrement(.closedOfReported, value: -1), FigureIncrement(.open)])
    }

    @Test func clockStepsAndArchivingCountNothing() {
        for action in [CaseAction.start, .urge, .supervise, .suspend, .resume, .extend, .reportAssist] {
            #expect(Self.increments(action, from: .inProgress, to: .inProgress) == [], "\(action)")
        }
        #expect(Self.increments(.archive, from: .closed, to: .archived) == [])
    }

    @Test func aTimelineCountsTheFeedbackAfterAFailedVerificationOnce() {
        let steps: [(CaseAction, CaseStatus?, CaseStatus)] = [
            (.report, nil, .reported), (.accept, .reported, .accepted), (.dispatch, .accepted, .assigned),
            (.start, .assigned, .inProgress), (.feedBack, .inProgress, .handled), (.verifyFail, .handled, .inProgress),
            (.feedBack, .inProgress, .handled), (.verifyPass, .handled, .verified), (.close, .verified, .closed),
        ]
        let final = Self.file(.closed, finalLevel: .village, handledAt: Date(timeIntervalSince1970: 2_000))
        var totals = FigureTotals()
        for (_, increments) in FigureRules.increments(
            ofTimeline: steps.map { Self.event($0.0, from: $0.1, to: $0.2) }, final: final, subject: Self.subject)
        {
            for increment in increments { totals.add(increment.count, increment.dimension, increment.value) }
        }
        #expect(totals[.handled] == 1)
        #expect(totals[.verified] == 2)
        #expect(totals.reworkRate == 0.5)
        #expect(totals[.closed, "village"] == 1)
        #expect(totals[.closedOnTime] == 0)
        #expect(totals[.open] == 0)
        #expect(totals.closureRate == 1)
        #expect(totals.shareClosed(atOrBelow: .village) == 1)
    }

    @Test func monthsAreTheCitysCalendarMonths() throws {
        // 2026-11-30T17:00Z is already 1 December in Beijing.
        let date = Date(timeIntervalSince1970: 1_796_058_000)
        #expect(FigureMonth(date, in: try #require(TimeZone(identifier: "Asia/Shanghai"))).key == 202612)
        #expect(FigureMonth(date, in: try #require(TimeZone(identifier: "UTC"))).key == 202611)
        #expect(FigureMonth(year: 2026, month: 11).adding(months: 2).description == "2027-01")
        #expect(FigureMonth(year: 2026, month: 1).adding(months: -1).key == 202512)
        #expect(FigureMonth("2026-13") == nil)
        #expect(FigureMonth(year: 2026, month: 10).through(FigureMonth(year: 2027, month: 1)).map(\.key) == [202610, 202611, 202612, 202701])
    }
}
