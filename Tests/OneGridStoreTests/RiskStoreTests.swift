import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// The risk picture on each database: the four situations counted per deepest area and week in
/// one GROUP BY each; a matter's red warns its owner and the level above once; its colour does not
/// come down before its follow-up is recorded done, and every change stays in its history.
@Suite struct RiskStoreTests {
    static let offset = 8 * 3600

    static func incident(_ number: String, caseID: Int64? = nil, at point: GeoPoint? = nil, areaCode: String? = nil) -> String {
        FeedStoreTests.incident(number, at: point, areaCode: areaCode, extra: caseID.map { ",\"caseID\":\($0)" } ?? "")
    }

    @Test(arguments: TestDatabases.kinds)
    func situationsAreCountedPerDeepestAreaAndWeek(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let week = RiskWeek(containing: TinyCity.now, offset: Self.offset)
            _ = try await city.report(inGrid: 1)
            _ = try await city.report(inGrid: 1)
            _ = try await city.report(inGrid: 2, at: TinyCity.now.addingTimeInterval(-7 * 86_400))
            let village = try #require(city.directory.areas.values.filter { $0.level == .village }.min { $0.code < $1.code })
            let outcomes = try await city.services.feedIntake.take(
                .policeIncident, lines: FeedStoreTests.lines([Self.incident("110-1", at: city.point(inGrid: 1)), Self.incident("110-2", areaCode: village.code)]),
                by: try await city.principal("hotline"))
            #expect(outcomes.allSatisfy { $0.kind == .taken })
            // A petition counts as one, and not among the other cases of its grid as well.
            let petition = try await SQLPetitionStoreTests.petitionCase(city).petition.caseID
            let petitionGrid = try #require(
                try await city.database.reader.select().column("grid_id").from("cases").where("id", .equal, petition)
                    .first(decodingColumn: "grid_id", as: Int64.self))
            // The incidents happened on 2026-05-28, the week of `now`.
            let spans = [(week - 1).start(offset: Self.offset)..<(week + 1).start(offset: Self.offset)]
            let counts = Set(try await city.services.risks.weeklyCounts(within: spans, offset: Self.offset))
            let grids = city.grids
            #expect(
                counts == [
                    RiskWeeklyCount(areaID: grids[0].id, situation: .social, week: week, count: 2),
                    RiskWeeklyCount(areaID: grids[1].id, situation: .social, week: week - 1, count: 1),
                    RiskWeeklyCount(areaID: grids[0].id, situation: .police, week: week, count: 1),
                    RiskWeeklyCount(areaID: village.id, situation: .police, week: week, count: 1),
                    RiskWeeklyCount(areaID: petitionGrid, situation: .petition, week: week, count: 1),
                ])
            // A span that holds none of them counts nothing.
            let later = [(week + 2).start(offset: Self.offset)..<(week + 3).start(offset: Self.offset)]
            #expect(try await city.services.risks.weeklyCounts(within: later, offset: Self.offset).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRedWarnsItsOwnerOnceAndComesDownOnlyAfterItsFollowUp(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (caseID, _) = try await SQLMediationStoreTests.assigned(in: city)
            _ = try await city.services.feedIntake.take(
                .policeIncident, lines: FeedStoreTests.lines([Self.incident("110-1", caseID: caseID, at: city.point(inGrid: 1)), Self.incident("110-2", caseID: caseID, at: city.point(inGrid: 1))]),
                by: try await city.principal("hotline"))
            let watch = city.services.riskWatch
            let matter = RiskMatter(kind: .dispute, id: caseID)
            let first = try await watch.judge(at: TinyCity.now)
            let red = try #require(try await city.services.risks.standing(matter))
            #expect(red.colour == .red)
            #expect(red.reasons.contains(RiskReason(rule: .repeatedPoliceCalls, situation: .police, count: 2)))
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            #expect(red.owner == RiskOwner(role: .leader, areaID: town.id))
            #expect(red.followUpDueAt == TinyCity.now.addingTimeInterval(3 * 86_400))

            // The owner (the town's leader) and the level above (the county's centre) are warned, once.
            let leader = try await city.principal("leader.town1")
            let county = try await city.principal("county1")
            let villageCentre = try await city.principal("village1")
            #expect(try await watch.warnings(for: leader.post).map(\.matter).contains(matter))
            #expect(try await watch.warnings(for: county.post).map(\.matter).contains(matter))
            #expect(try await watch.warnings(for: villageCentre.post).isEmpty)
            #expect(first.warnings == (try await city.count("risk_warnings")))
            let again = try await watch.judge(at: TinyCity.now.addingTimeInterval(30))
            #expect(again.raised == 0 && again.warnings == 0)
            #expect(try await watch.warnings(for: leader.post).count { $0.matter == matter } == 1)

            // Its grid holds a red matter: watched (yellow), with its reason.
            let grid = try #require(try await city.services.risks.standing(RiskMatter(kind: .area, id: city.grids[0].id)))
            #expect(grid.colour == .yellow && grid.reasons.map(\.rule) == [.mattersWatched])

            // Not down before the follow-up: by hand refused; by the judgement held.
            let calm = TinyCity.now.addingTimeInterval(31 * 86_400)
            await #expect(throws: DomainError.self) { try await watch.lower(matter, to: .yellow, expectedVersion: red.version, by: leader) }
            let error = await outcome { try await watch.lower(matter, to: .green, expectedVersion: nil, by: leader) }.failure as? DomainError
            #expect(error?.code == .notAllowedInState && error?.field == "followUp")
            let held = try await watch.judge(at: calm)
            #expect(held.awaitingFollowUp >= 1)
            #expect(try await city.services.risks.standing(matter)?.colour == .red)
            // A grid worker does not record it; an empty note is refused by its field.
            await #expect(throws: DomainError.self) { try await watch.recordFollowUp(matter, note: "已回访", expectedVersion: nil, by: try await city.principal("gridworker1")) }
            let empty = await outcome { try await watch.recordFollowUp(matter, note: " ", expectedVersion: nil, by: leader) }.failure as? DomainError
            #expect(empty?.field == "note")

            let done = try await watch.recordFollowUp(matter, note: "镇领导牵头联合派出所走访双方，已达成和解", expectedVersion: red.version, by: leader)
            #expect(done.followUpDoneAt != nil)
            _ = try await watch.judge(at: calm)
            let lowered = try #require(try await city.services.risks.standing(matter))
            #expect(lowered.colour < .red && lowered.followUpDoneAt == nil && lowered.followUpNote == nil)
            let history = try await city.services.risks.history(matter)
            #expect(history.map(\.from) == [.green, .red])
            #expect(history.map(\.to) == [.red, lowered.colour])
            #expect(history[1].followUpNote == "镇领导牵头联合派出所走访双方，已达成和解" && history[1].byUserID == nil)
            #expect(history.map(\.sequence) == [red.version, lowered.version])
        }
    }
}

/// The weekly report per county on each database: issued once when the week closes, with the
/// week's changes and the matters as they stood at its end, announced to the leaders over the
/// county; kept as issued while the colours go on changing.
@Suite struct RiskReportStoreTests {
    @Test(arguments: TestDatabases.kinds)
    func aClosedWeeksReportIsIssuedOnceWithItsChangesAndAnnounced(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (caseID, _) = try await SQLMediationStoreTests.assigned(in: city)
            _ = try await city.services.feedIntake.take(
                .policeIncident,
                lines: FeedStoreTests.lines([
                    RiskStoreTests.incident("110-1", caseID: caseID, at: city.point(inGrid: 1)), RiskStoreTests.incident("110-2", caseID: caseID, at: city.point(inGrid: 1)),
                ]), by: try await city.principal("hotline"))
            let watch = city.services.riskWatch
            let matter = RiskMatter(kind: .dispute, id: caseID)
            try await watch.judge(at: TinyCity.now)
            let red = try #require(try await city.services.risks.standing(matter))
            let county = try #require(city.directory.areas.values.first { $0.level == .county })
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let week = RiskWeek(containing: TinyCity.now, offset: RiskStoreTests.offset)

            // A minute after the week closed, the watcher's round issues it; the next round does not again.
            let closed = (week + 1).start(offset: RiskStoreTests.offset).addingTimeInterval(60)
            #expect(watch.lastWeek(at: closed) == week)
            #expect(try await watch.issueReports(at: closed) == 1)
            #expect(try await watch.issueReports(at: closed.addingTimeInterval(30)) == 0)
            let report = try #require(try await city.services.risks.report(countyID: county.id, week: week))
            #expect(report.issuedAt == closed && report.towns.map(\.matter.id) == [town.id])
            #expect(report.matters.map(\.matter) == [matter])
            #expect(report.matters.first?.owner == RiskOwner(role: .leader, areaID: town.id) && report.matters.first?.followUpDueAt == red.followUpDueAt)
            let change = try #require(report.changes.first { $0.change.matter == matter })
            #expect(change.change.from == .green && change.change.to == .red && change.areaID == city.grids[0].id)
            #expect(change.change.reasons.contains(RiskReason(rule: .repeatedPoliceCalls, situation: .police, count: 2)))
            #expect(report.situations.first { $0.situation == .police }?.judgement.count == 2)
            // Due three days after it turned red, past the week's end: not yet overdue then.
            #expect(report.followUpsOverdue == 0 && report.followUpsDone == 0)

            // Without a county leader, the city's leaders are told; the county's centre is not.
            let leader = try await city.principal("leader")
            let notice = try #require(try await watch.warnings(for: leader.post).first { $0.report != nil })
            #expect(notice.report == week && notice.matter == RiskMatter(kind: .area, id: county.id) && notice.colour == report.county.colour)
            #expect(try await watch.warnings(for: try await city.principal("county1").post).allSatisfy { $0.report == nil })
            #expect(try await watch.reports(countyID: county.id, for: leader.post).issued.map(\.week) == [week])

            // The week after: nothing changed, the red stands and its follow-up is overdue by its end.
            let after = try #require(try await watch.compileReports(counties: [county.id], week: week + 1, at: (week + 2).start(offset: RiskStoreTests.offset)).first)
            #expect(after.changes.isEmpty && after.matters.map(\.matter) == [matter] && after.followUpsOverdue >= 1)
            // The week before it turned red holds none of it.
            let before = try #require(try await watch.compileReports(counties: [county.id], week: week - 1, at: closed).first)
            #expect(before.matters.isEmpty && before.changes.isEmpty && before.county.colour == .green)

            // Read later, the report is the one issued, though the colour has since been followed up.
            _ = try await watch.recordFollowUp(matter, note: "镇领导牵头联合派出所走访双方，已达成和解", expectedVersion: nil, by: try await city.principal("leader.town1"))
            #expect(try await watch.report(countyID: county.id, week: week, for: leader.post).report == report)
            // A town's post does not cover the county: its report is not there for it.
            await #expect(throws: DomainError.self) { try await watch.report(countyID: county.id, week: week, for: try await city.principal("leader.town1").post) }
        }
    }
}
