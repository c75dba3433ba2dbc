import Foundation
import OneGridDomain
import Testing

/// Petition review (信访工作条例 Art. 35–36): asked for within 30 days of the reply, handled by
/// the level above under a 30-day limit, once as 复查 and once more as 复核, then never again.
@Suite struct PetitionReviewTests {
    static let context = TestCity.context(category: TestCity.petition)
    static let reason = CaseActionInput(note: "对处理意见不服，申请复查")

    /// A petition the town replied to (closed) `daysAgo` days before `TestCity.now`.
    static func repliedPetition(daysAgo: Double = 3, handlingLevel: AdminLevel = .town) -> CaseFile {
        var file = TestCity.caseFile(.closed, handlingLevel: handlingLevel)
        file.categoryID = TestCity.petition.id
        file.closedAt = TestCity.now.addingTimeInterval(-daysAgo * 86_400)
        file.finalLevel = handlingLevel
        file.rating = .dissatisfied
        return file
    }

    static func review(_ file: CaseFile, by post: Post = TestCity.citizen, at now: Date = TestCity.now) throws(DomainError) -> CaseTransition {
        var context = Self.context
        context.now = now
        return try CaseWorkflow.decide(.requestReview, on: file, input: reason, by: post, context: context)
    }

    @Test func aReviewGoesToTheLevelAboveThenOnceMoreThenNoMore() throws {
        let first = try Self.review(Self.repliedPetition())
        #expect(first.file.status == .accepted)
        #expect(first.file.handlingLevel == .county && first.file.handlingAreaID == TestCity.path.county)
        #expect(first.file.reviewCount == 1 && first.details["review"] == "复查")
        #expect(first.file.closedAt == nil && first.file.rating == nil && first.file.finalLevel == nil)
        #expect(first.file.acceptedAt == TestCity.now)
        #expect(first.file.escalationCount == 0, "a review is not an escalation")

        // The county replies; the petitioner asks once more (复核), to the city.
        var replied = first.file
        replied.status = .closed
        replied.closedAt = TestCity.now.addingTimeInterval(20 * 86_400)
        let second = try Self.review(replied, at: TestCity.now.addingTimeInterval(25 * 86_400))
        #expect(second.file.handlingLevel == .city && second.file.reviewCount == 2 && second.details["review"] == "复核")

        var final = second.file
        final.status = .closed
        final.closedAt = TestCity.now.addingTimeInterval(40 * 86_400)
        let refused = refusal { () throws(DomainError) in try Self.review(final, at: TestCity.now.addingTimeInterval(41 * 86_400)) }
        #expect(refused?.code == .notAllowedInState)
        #expect(refused?.message.contains("复核") == true)
    }

    @Test func aReviewIsAskedForWithin30DaysOfTheReply() throws {
        #expect(try Self.review(Self.repliedPetition(daysAgo: 29.9)).file.reviewCount == 1)
        let late = refusal { () throws(DomainError) in try Self.review(Self.repliedPetition(daysAgo: 30.1)) }
        #expect(late?.code == .notAllowedInState && late?.message.contains("30d") == true)
    }

    @Test func onlyAPetitionIsReviewedAndOnlyWithAReason() throws {
        var context = TestCity.context(category: TestCity.foodSafety)
        context.now = TestCity.now
        let food = refusal { () throws(DomainError) in
            try CaseWorkflow.decide(.requestReview, on: TestCity.caseFile(.closed), input: Self.reason, by: TestCity.citizen, context: context)
        }
        #expect(food?.code == .notAllowedInState && food?.message.contains("reopen") == true)
        let silent = refusal { () throws(DomainError) in
            try CaseWorkflow.decide(.requestReview, on: Self.repliedPetition(), input: CaseActionInput(), by: TestCity.citizen, context: Self.context)
        }
        #expect(silent?.field == "note")
        let stranger = refusal { () throws(DomainError) in try Self.review(Self.repliedPetition(), by: TestCity.otherCitizen) }
        #expect(stranger?.code == .forbidden)
    }

    @Test func theReviewHasItsOwn30DayClock() throws {
        let planner = DeadlinePlanner(calendar: WorkCalendar())
        let planned = planner.plan(try Self.review(Self.repliedPetition()), category: TestCity.petition, now: TestCity.now)
        let clock = try #require(planned.file.clock)
        #expect(clock.stage == .handling && clock.startedAt == TestCity.now)
        #expect(clock.dueAt == Calendar(identifier: .gregorian).date(byAdding: .day, value: 30, to: TestCity.now))
        #expect(planned.file.nextAlertAt == clock.yellowAt)
    }

    @Test func aCityReviewStaysAtTheCity() throws {
        let reviewed = try Self.review(Self.repliedPetition(handlingLevel: .city))
        #expect(reviewed.file.handlingLevel == .city && reviewed.file.reviewCount == 1)
    }
}
