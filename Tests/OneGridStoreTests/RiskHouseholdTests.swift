import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// Households as coloured matters on each database: each rule with its reason, owned like a
/// dispute (red by the town's leader, yellow by the village's centre), its changes in the same
/// history, and its red held until its own follow-up is recorded done.
@Suite struct RiskHouseholdTests {
    static func household(_ id: Int64) -> RiskMatter { RiskMatter(kind: .household, id: id) }

    @Test(arguments: TestDatabases.kinds)
    func aKeyPersonWithAnOpenCaseMakesTheHouseholdYellowForTheVillagesCentre(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (zhang, li) = try await BaseDataTests.imported(city)
            let village = try await city.principal("village1")
            let report = try await city.report(inGrid: 1)
            // Ordinary 张三's case alone colours nothing.
            try await city.services.gridBaseData.link(caseID: report.id, to: [SubjectRef(.resident, zhang.id)], by: village)
            try await city.services.riskWatch.judge(at: TinyCity.now)
            #expect(try await city.services.risks.standing(Self.household(zhang.householdID)) == nil)

            // 李四, in community correction, party to the same open case: watched.
            try await city.services.gridBaseData.link(caseID: report.id, to: [SubjectRef(.resident, li.id)], by: village)
            let round = try await city.services.riskWatch.judge(at: TinyCity.now.addingTimeInterval(30))
            #expect(round.raised >= 1)
            let yellow = try #require(try await city.services.risks.standing(Self.household(li.householdID)))
            #expect(yellow.colour == .yellow && yellow.reasons == [RiskReason(rule: .keyPersonOpenCase)])
            #expect(yellow.areaID == city.grids[0].id)
            let villageArea = try #require(city.directory.lineage(of: city.grids[0].id).first { $0.level == .village })
            #expect(yellow.owner == RiskOwner(role: .dispatcher, areaID: villageArea.id))
            #expect(yellow.followUpDueAt == TinyCity.now.addingTimeInterval(30 + 7 * 86_400))
            let history = try await city.services.risks.history(Self.household(li.householdID))
            #expect(history.map(\.to) == [.yellow] && history.first?.reasons == [RiskReason(rule: .keyPersonOpenCase)])
            // Seen by the village's centre in its picture.
            let overview = try await city.services.riskWatch.overview(areaID: nil, for: village.post)
            #expect(overview.matters.map(\.standing.matter).contains(Self.household(li.householdID)))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aKeyPersonsHouseholdInARedDisputeIsRedAndComesDownOnlyAfterItsOwnFollowUp(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (_, li) = try await BaseDataTests.imported(city)
            let matter = Self.household(li.householdID)
            let (caseID, _) = try await SQLMediationStoreTests.assigned(in: city)
            try await city.services.gridBaseData.link(caseID: caseID, to: [SubjectRef(.household, li.householdID)], by: try await city.principal("village1"))
            _ = try await city.services.feedIntake.take(
                .policeIncident,
                lines: FeedStoreTests.lines([
                    RiskStoreTests.incident("110-1", caseID: caseID, at: city.point(inGrid: 1)), RiskStoreTests.incident("110-2", caseID: caseID, at: city.point(inGrid: 1)),
                ]), by: try await city.principal("hotline"))
            let watch = city.services.riskWatch
            // Open pages hear of the new reds: the judgement announces a change anywhere.
            let news = city.services.changes.subscribe()
            let first = try await watch.judge(at: TinyCity.now)
            if !city.services.changes.isShared {
                var heard = news.makeAsyncIterator()
                #expect(await heard.next() == [.anywhere])
            }
            #expect(try await city.services.risks.standing(RiskMatter(kind: .dispute, id: caseID))?.colour == .red)
            let red = try #require(try await city.services.risks.standing(matter))
            // The red dispute concerns the household; its two police calls and the dispute itself
            // are three incidents within 30 days.
            #expect(red.colour == .red)
            #expect(red.reasons == [RiskReason(rule: .keyHouseholdInRedMatter, count: 1), RiskReason(rule: .repeatedHouseholdIncidents, count: 3)])
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            #expect(red.owner == RiskOwner(role: .leader, areaID: town.id))
            #expect(red.followUpDueAt == TinyCity.now.addingTimeInterval(3 * 86_400))
            let leader = try await city.principal("leader.town1")
            #expect(try await watch.warnings(for: leader.post).map(\.matter).contains(matter))
            #expect(first.warnings == (try await city.count("risk_warnings")))

            // The dispute is followed up and comes down; the household's red is held for its own.
            let calm = TinyCity.now.addingTimeInterval(31 * 86_400)
            _ = try await watch.recordFollowUp(RiskMatter(kind: .dispute, id: caseID), note: "双方已和解", expectedVersion: nil, by: leader)
            let held = try await watch.judge(at: calm)
            #expect(held.awaitingFollowUp >= 1)
            #expect(try await city.services.risks.standing(RiskMatter(kind: .dispute, id: caseID))?.colour != .red)
            #expect(try await city.services.risks.standing(matter)?.colour == .red)
            let refused = await outcome { try await watch.lower(matter, to: .green, expectedVersion: nil, by: leader) }.failure as? DomainError
            #expect(refused?.code == .notAllowedInState && refused?.field == "followUp")

            _ = try await watch.recordFollowUp(matter, note: "镇领导走访该户，社区矫正对象在管在控", expectedVersion: red.version, by: leader)
            _ = try await watch.judge(at: calm.addingTimeInterval(30))
            let lowered = try #require(try await city.services.risks.standing(matter))
            #expect(lowered.colour < .red)
            let history = try await city.services.risks.history(matter)
            #expect(history.map(\.from) == [.green, .red] && history.map(\.to) == [.red, lowered.colour])
            #expect(history[1].followUpNote == "镇领导走访该户，社区矫正对象在管在控")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func policeIncidentsAtTheHouseholdsAddressMakeItRedAtTheConfiguredCount(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (zhang, _) = try await BaseDataTests.imported(city)
            let matter = Self.household(zhang.householdID)
            let at = ",\"place\":\"和平村1组3号\""
            let hotline = try await city.principal("hotline")
            _ = try await city.services.feedIntake.take(
                .policeIncident, lines: FeedStoreTests.lines([FeedStoreTests.incident("110-1", at: city.point(inGrid: 1), extra: at)]), by: hotline)
            let watch = city.services.riskWatch
            try await watch.judge(at: TinyCity.now)
            #expect(try await city.services.risks.standing(matter) == nil, "one incident is below the default two")

            var rules = RiskRules.defaults
            rules.householdIncidentsForRed = 1
            _ = try await watch.setRules(rules, by: try await city.principal("admin"))
            try await watch.judge(at: TinyCity.now.addingTimeInterval(30))
            let red = try #require(try await city.services.risks.standing(matter))
            #expect(red.colour == .red && red.reasons == [RiskReason(rule: .repeatedHouseholdIncidents, count: 1)])

            // Outside the window the incident no longer counts: held red until followed up.
            rules.householdWindowDays = 1
            _ = try await watch.setRules(rules, by: try await city.principal("admin"))
            let later = TinyCity.now.addingTimeInterval(3 * 86_400)
            #expect(try await watch.judge(at: later).awaitingFollowUp >= 1)
            #expect(try await city.services.risks.standing(matter)?.colour == .red)
        }
    }
}
