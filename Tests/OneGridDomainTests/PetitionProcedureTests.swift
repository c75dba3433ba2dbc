import Foundation
import OneGridDomain
import Testing

/// The limits and refusals of the 信访工作条例 on one petition, on the city's working calendar.
@Suite struct PetitionProcedureTests {
    static let registrar = PetitionUnit.centre(areaID: 2)
    static let bureau = PetitionUnit.department(40)
    static let above = PetitionUnit.department(41)
    static let limits = PetitionLimits()
    static let at = WorkCalendarTests.at

    static let zhang = Petitioner(name: "张建国", phone: "13812345678", idNumber: "330205198001011234")
    static let li = Petitioner(name: "李秀兰", phone: "13900001111", idNumber: "330205197505052246")

    static func registered(at received: Date = at("2026-01-05 09:00"), headcount: Int = 1, people: [Petitioner] = [zhang])
        throws -> Petition
    {
        try PetitionRegistration(
            form: "visit", petitionClass: "appeal", headcount: headcount, petitioners: people, matter: "反映征地补偿款至今未发放到位",
            bodiesAddressed: ["县信访局"], addressedLevel: "county"
        ).petition(caseID: 7, registeringUnit: registrar, responsibleLevel: .town, receivedAt: received)
    }

    static func take(
        _ step: PetitionStep, on petition: Petition, by unit: PetitionUnit, at now: Date, calendar: WorkCalendar = WorkCalendar()
    ) throws(DomainError) -> PetitionTransition {
        try PetitionProcedure.decide(step, on: petition, by: unit, limits: limits, calendar: calendar, now: now)
    }

    static func refusal(_ body: () throws(DomainError) -> Void) -> DomainError? {
        do {
            try body()
            return nil
        } catch { return error }
    }

    // MARK: Registration

    @Test func fiveOrMorePeopleMakeACollectivePetitionAndAPetitionAboveTheNextLevelSkipsOne() throws {
        #expect(try Self.registered(headcount: 4, people: [Self.zhang]).isCollective == false)
        #expect(try Self.registered(headcount: 5, people: [Self.zhang, Self.li]).isCollective)
        #expect(Petition.skipsLevel(addressed: .county, responsible: .village), "a village matter taken to the county skipped the town")
        #expect(!Petition.skipsLevel(addressed: .county, responsible: .town), "the county is the level above the town")
        #expect(!Petition.skipsLevel(addressed: .town, responsible: .town))
        #expect(try Self.registered().crossLevel == false)
    }

    @Test func badRegistrationsNameTheirField() {
        let cases: [(PetitionRegistration, String)] = [
            (.init(form: "email", petitionClass: "appeal", headcount: 1, petitioners: [Self.zhang], matter: "m", bodiesAddressed: [], addressedLevel: "town"), "form"),
            (.init(form: "fax", petitionClass: "complaint", headcount: 1, petitioners: [Self.zhang], matter: "m", bodiesAddressed: [], addressedLevel: "town"), "petitionClass"),
            (.init(form: "fax", petitionClass: "appeal", headcount: 1, petitioners: [], matter: "m", bodiesAddressed: [], addressedLevel: "town"), "petitioners"),
            (.init(form: "fax", petitionClass: "appeal", headcount: 1, petitioners: [Self.zhang, Self.li], matter: "m", bodiesAddressed: [], addressedLevel: "town"), "headcount"),
            (.init(form: "fax", petitionClass: "appeal", headcount: 1, petitioners: [Self.zhang], matter: "  ", bodiesAddressed: [], addressedLevel: "town"), "matter"),
            (.init(form: "fax", petitionClass: "appeal", headcount: 1, petitioners: [Petitioner(name: "王", idNumber: "330205198001011235")], matter: "m", bodiesAddressed: [], addressedLevel: "town"), "petitioners[0].idNumber"),
            (.init(form: "fax", petitionClass: "appeal", headcount: 1, petitioners: [Self.zhang], matter: "m", bodiesAddressed: [], addressedLevel: "province"), "addressedLevel"),
        ]
        for (registration, field) in cases {
            let error = Self.refusal { () throws(DomainError) in
                _ = try registration.petition(caseID: 1, registeringUnit: Self.registrar, responsibleLevel: .town, receivedAt: .now)
            }
            #expect(error?.field == field, "\(registration)")
        }
    }

    @Test func petitionersAreMaskedLikeAReporter() throws {
        let masked = try Self.registered().masked.petitioners[0]
        #expect(masked.phone == "138****5678")
        #expect(masked.idNumber == "330205********1234")
        #expect(masked.name == "张建国")
    }

    // MARK: Limits

    @Test func anObjectionIsMadeWithinFiveWorkingDaysAcrossAHolidayAndASwappedSaturday() throws {
        // Routed Wednesday 30 September 2026; 1–7 October are off and Saturday 10 October is
        // worked: 8, 9, 10, 12, 13 October count, so an objection is possible until 14 October.
        let calendar = WorkCalendar(holidays: WorkCalendarTests.nationalDay, swappedWorkdays: ["2026-10-10"])
        var petition = try Self.registered(at: Self.at("2026-09-29 10:00"))
        petition = try Self.take(.route(to: Self.bureau), on: petition, by: Self.registrar, at: Self.at("2026-09-30 15:00"), calendar: calendar).petition
        let objection = try #require(petition.clocks(limits: Self.limits, calendar: calendar).first { $0.limit == .objection })
        #expect(objection.dueAt == Self.at("2026-10-14 00:00"))
        #expect(objection.unit == Self.bureau)

        let inTime = try Self.take(.object(reason: "土地补偿由乡镇负责"), on: petition, by: Self.bureau, at: Self.at("2026-10-13 17:00"), calendar: calendar)
        #expect(inTime.petition.stage == .registered)
        #expect(inTime.petition.handlingUnit == nil)
        #expect(inTime.petition.routeStartedAt == Self.at("2026-10-13 17:00"), "the registering body routes it afresh")
        #expect(inTime.misses.isEmpty)

        let late = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.object(reason: "不属于本单位职责"), on: petition, by: Self.bureau, at: Self.at("2026-10-14 08:30"), calendar: calendar)
        }
        #expect(late?.code == .notAllowedInState)
        #expect(late?.message.contains("Art. 23") == true)
        #expect(late?.message.contains("5wd") == true)
    }

    @Test func anObjectionOverAWeekendRunsToTheFifthWorkingDay() throws {
        var petition = try Self.registered(at: Self.at("2026-01-07 09:00"))
        // Routed Thursday 8 January: Fri, Mon, Tue, Wed, Thu count.
        petition = try Self.take(.route(to: Self.bureau), on: petition, by: Self.registrar, at: Self.at("2026-01-08 10:00")).petition
        let objection = try #require(petition.clocks(limits: Self.limits, calendar: WorkCalendar()).first { $0.limit == .objection })
        #expect(objection.dueAt == Self.at("2026-01-16 00:00"))
    }

    @Test func aLateNoticeIsRecordedAgainstTheUnitThatHeldIt() throws {
        var petition = try Self.registered(at: Self.at("2026-01-05 09:00"))
        // Routing on day 16 misses the registering body's 15 days (Art. 22).
        let routed = try Self.take(.route(to: Self.bureau), on: petition, by: Self.registrar, at: Self.at("2026-01-21 09:00"))
        #expect(routed.misses.map(\.limit) == [.route])
        #expect(routed.misses.map(\.unit) == [Self.registrar])
        #expect(routed.misses.first?.dueAt == Self.at("2026-01-20 09:00"))
        petition = routed.petition

        let accepted = try Self.take(.accept(notice: "您的信访事项已受理"), on: petition, by: Self.bureau, at: Self.at("2026-02-06 09:00"))
        #expect(accepted.misses.map(\.limit) == [.notice])
        #expect(accepted.misses.map(\.unit) == [Self.bureau])
        #expect(accepted.misses.first?.article == "信访工作条例 Art. 23")
        #expect(accepted.petition.stage == .accepted)

        let onTime = try Self.take(.accept(notice: "已受理"), on: routed.petition, by: Self.bureau, at: Self.at("2026-02-05 08:00"))
        #expect(onTime.misses.isEmpty, "15 days from routing end at 09:00 on 5 February")
    }

    @Test func theSweepRecordsARunningLimitThatPassed() throws {
        let petition = try Self.registered(at: Self.at("2026-01-05 09:00"))
        #expect(petition.overdue(limits: Self.limits, calendar: WorkCalendar(), at: Self.at("2026-01-19 09:00")).isEmpty)
        let missed = petition.overdue(limits: Self.limits, calendar: WorkCalendar(), at: Self.at("2026-01-20 09:00"))
        #expect(Set(missed.map(\.limit)) == [.route, .notice])
        #expect(missed.allSatisfy { $0.unit == Self.registrar })
    }

    @Test func onlyTheHolderActsAndTheClockColoursFollowTheLimit() throws {
        let petition = try Self.take(.route(to: Self.bureau), on: try Self.registered(), by: Self.registrar, at: Self.at("2026-01-06 09:00")).petition
        let stranger = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.accept(notice: "受理"), on: petition, by: Self.above, at: Self.at("2026-01-07 09:00"))
        }
        #expect(stranger?.code == .forbidden)
        let notice = try #require(petition.clocks(limits: Self.limits, calendar: WorkCalendar()).first { $0.limit == .notice })
        #expect(notice.colour(at: Self.at("2026-01-10 09:00")) == .green)
        #expect(notice.colour(at: Self.at("2026-01-19 09:00")) == .yellow, "12 of 15 days is 80 %")
        #expect(notice.colour(at: Self.at("2026-01-21 09:00")) == .red)
    }

    // MARK: Reply, extension, review

    static func accepted(at acceptedAt: Date = at("2026-01-06 09:00")) throws -> Petition {
        let routed = try take(.route(to: bureau), on: try registered(), by: registrar, at: at("2026-01-05 15:00")).petition
        return try take(.accept(notice: "已受理"), on: routed, by: bureau, at: acceptedAt).petition
    }

    @Test func theReplyIsDueInSixtyDaysAndOneApprovedExtensionAddsAtMostThirty() throws {
        var petition = try Self.accepted()
        #expect(petition.clocks(limits: Self.limits, calendar: WorkCalendar()).map(\.dueAt) == [Self.at("2026-03-07 09:00")])

        let tooLong = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.extend(by: TimeLimit(31, .days), approvedBy: "王局长", reason: "需要实地测量"), on: petition, by: Self.bureau, at: Self.at("2026-02-20 09:00"))
        }
        #expect(tooLong?.field == "extendBy")
        let unapproved = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.extend(by: TimeLimit(30, .days), approvedBy: " ", reason: "需要实地测量"), on: petition, by: Self.bureau, at: Self.at("2026-02-20 09:00"))
        }
        #expect(unapproved?.field == "approvedBy")
        #expect(unapproved?.message.contains("Art. 34") == true)
        let untold = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.extend(by: TimeLimit(30, .days), approvedBy: "王局长", reason: ""), on: petition, by: Self.bureau, at: Self.at("2026-02-20 09:00"))
        }
        #expect(untold?.field == "reason")

        petition = try Self.take(.extend(by: TimeLimit(30, .days), approvedBy: "王局长", reason: "需要实地测量"), on: petition, by: Self.bureau, at: Self.at("2026-02-20 09:00")).petition
        #expect(petition.clocks(limits: Self.limits, calendar: WorkCalendar()).map(\.dueAt) == [Self.at("2026-04-06 09:00")])
        let second = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.extend(by: TimeLimit(5, .days), approvedBy: "王局长", reason: "仍需测量"), on: petition, by: Self.bureau, at: Self.at("2026-03-20 09:00"))
        }
        #expect(second?.code == .notAllowedInState)
        #expect(second?.message.contains("only once (信访工作条例 Art. 34)") == true)

        let replied = try Self.take(.reply(text: "经核查，补偿款已于3月发放"), on: petition, by: Self.bureau, at: Self.at("2026-04-01 09:00"))
        #expect(replied.misses.isEmpty, "inside the extended limit")
        #expect(replied.petition.stage == .replied)
    }

    @Test func aLateReplyIsAMissAndAMissedLimitIsNotExtended() throws {
        let petition = try Self.accepted()
        let late = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.extend(by: TimeLimit(10, .days), approvedBy: "王局长", reason: "补充材料"), on: petition, by: Self.bureau, at: Self.at("2026-03-08 09:00"))
        }
        #expect(late?.message.contains("Art. 34") == true)
        let reply = try Self.take(.reply(text: "答复"), on: petition, by: Self.bureau, at: Self.at("2026-03-08 09:00"))
        #expect(reply.misses.map(\.limit) == [.reply])
        #expect(reply.misses.map(\.unit) == [Self.bureau])
    }

    @Test func aReviewFollowsTheReplyWithinItsWindowAndNoThirdIsAccepted() throws {
        let accepted = try Self.accepted()
        let early = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.requestReview(reason: "不服", reviewingUnit: Self.above), on: accepted, by: Self.registrar, at: Self.at("2026-01-20 09:00"))
        }
        #expect(early?.code == .notAllowedInState)
        #expect(early?.message.contains("Art. 35") == true)

        var petition = try Self.take(.reply(text: "答复"), on: accepted, by: Self.bureau, at: Self.at("2026-02-01 09:00")).petition
        let tooLate = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.requestReview(reason: "不服", reviewingUnit: Self.above), on: petition, by: Self.registrar, at: Self.at("2026-03-03 09:00"))
        }
        #expect(tooLate?.message.contains("Art. 35") == true)

        for (round, name) in [(1, "复查"), (2, "复核")] {
            let asked = try Self.take(.requestReview(reason: "不服答复", reviewingUnit: Self.above), on: petition, by: Self.registrar, at: petition.repliedAt!.addingTimeInterval(86_400))
            #expect(asked.details["review"] == name)
            #expect(asked.petition.reviewCount == round)
            #expect(asked.petition.handlingUnit == Self.above)
            let clock = try #require(asked.petition.clocks(limits: Self.limits, calendar: WorkCalendar()).first)
            #expect(clock.limit == .reviewReply && clock.unit == Self.above)
            petition = try Self.take(.reply(text: "维持原意见"), on: asked.petition, by: Self.above, at: petition.repliedAt!.addingTimeInterval(5 * 86_400)).petition
        }
        let third = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.requestReview(reason: "还是不服", reviewingUnit: Self.above), on: petition, by: Self.registrar, at: petition.repliedAt!.addingTimeInterval(86_400))
        }
        #expect(third?.message.contains("Art. 36") == true)
    }

    @Test func aMatterForALegalRouteIsGuidedThereWithAWrittenReasonAndClosed() throws {
        let petition = try Self.registered()
        let silent = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.guide(route: .litigation, reason: ""), on: petition, by: Self.registrar, at: Self.at("2026-01-06 09:00"))
        }
        #expect(silent?.field == "reason")
        let guided = try Self.take(.guide(route: .litigation, reason: "属民事纠纷，请向人民法院起诉"), on: petition, by: Self.registrar, at: Self.at("2026-01-06 09:00"))
        #expect(guided.petition.stage == .guided && guided.petition.stage.isClosed)
        #expect(guided.petition.legalRoute == .litigation)
        #expect(guided.petition.clocks(limits: Self.limits, calendar: WorkCalendar()).isEmpty)
        let after = Self.refusal { () throws(DomainError) in
            _ = try Self.take(.accept(notice: "受理"), on: guided.petition, by: Self.registrar, at: Self.at("2026-01-07 09:00"))
        }
        #expect(after?.message.contains("Art. 23") == true)
    }

    // MARK: Repeats

    @Test func repeatsAreTheSamePeopleOnTheSameMatterAndALinkAcrossMattersIsRefused() throws {
        let petition = try Self.registered(headcount: 6, people: [Self.zhang, Self.li])
        let earlier: [PetitionRepeats.Earlier] = [
            .init(caseID: 3, idNumbers: ["330205198001011234"], matter: "征地补偿款一直没有发放到位"),
            .init(caseID: 4, idNumbers: ["330205198001011234"], matter: "小区门口路灯不亮"),
            .init(caseID: 5, idNumbers: ["330205199009093355"], matter: "反映征地补偿款至今未发放"),
        ]
        let candidates = PetitionRepeats.candidates(for: petition, among: earlier)
        #expect(candidates.map(\.caseID) == [3])
        #expect(candidates.first?.sharedPetitioners == 1)

        let linked = try PetitionRepeats.link(petition, to: earlier[0])
        #expect(linked.repeatOf == 3)
        let otherMatter = Self.refusal { () throws(DomainError) in _ = try PetitionRepeats.link(petition, to: earlier[1]) }
        #expect(otherMatter?.field == "earlierCaseID")
        #expect(otherMatter?.message.contains("different matter") == true)
        let otherPeople = Self.refusal { () throws(DomainError) in _ = try PetitionRepeats.link(petition, to: earlier[2]) }
        #expect(otherPeople?.message.contains("other people") == true)
    }
}
