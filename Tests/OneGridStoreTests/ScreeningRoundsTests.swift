import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// Screening rounds on SQLite and PostgreSQL, through the use case as the server calls it: who
/// records which round, what is overdue as the days pass against the cadence in force, a risk
/// found opened as a dispute linked to its round, and what each post sees.
@Suite struct ScreeningRoundsTests {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FigureMonth.cityTimeZone
        return calendar
    }()
    /// 09:00 city time on the tiny city's day.
    static let morning = calendar.startOfDay(for: TinyCity.now).addingTimeInterval(9 * 3_600)

    /// `days` on from `morning` at `hour` o'clock, city time.
    static func day(_ days: Int, at hour: Double) -> Date {
        calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: morning))!.addingTimeInterval(hour * 3_600)
    }

    static func colour(of area: Area, in overview: ScreeningRounds.Overview) -> ClockColour? {
        overview.due.first { $0.area.id == area.id }?.colour
    }

    @Test(arguments: TestDatabases.kinds)
    func roundsFallDueAndOverdueAsTheDaysPass(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let screening = city.services.screening
            let worker = try await city.principal("gridworker1")
            let village = try await city.principal("village1")
            let grid = try #require(city.directory.areas[worker.post.areaID])
            let villageArea = try #require(city.directory.areas[village.post.areaID])
            _ = try await screening.record(.init(checked: "走访12户，查看2处出租房"), by: worker, at: Self.morning)
            _ = try await screening.record(.init(checked: "召开村民小组长排查会"), by: village, at: Self.morning)

            func overview(_ days: Int, _ hour: Double) async throws -> ScreeningRounds.Overview {
                try await screening.overview(for: village, at: Self.day(days, at: hour))
            }
            // A daily round done on one day is due by the end of the next.
            #expect(Self.colour(of: grid, in: try await overview(0, 20)) == .green)
            #expect(Self.colour(of: grid, in: try await overview(1, 10)) == .yellow)
            #expect(Self.colour(of: grid, in: try await overview(1, 23.9)) == .yellow)
            #expect(Self.colour(of: grid, in: try await overview(2, 0.1)) == .red)
            // A weekly one by the end of the same weekday a week on.
            #expect(Self.colour(of: villageArea, in: try await overview(6, 12)) == .green)
            #expect(Self.colour(of: villageArea, in: try await overview(7, 12)) == .yellow)
            #expect(Self.colour(of: villageArea, in: try await overview(8, 0.1)) == .red)

            let later = try await overview(2, 0.1)
            // The village's other grid was never screened: overdue from the start, listed first.
            let others = city.grids.filter { $0.id != grid.id && city.directory.lineage(of: $0.id).contains { $0.id == villageArea.id } }
            #expect(!others.isEmpty)
            for other in others {
                #expect(later.due.first { $0.area.id == other.id }.map { $0.colour == .red && $0.lastDoneAt == nil } == true)
            }
            #expect(later.due.first?.lastDoneAt == nil, "the never screened come first")
            #expect(Set(later.overdue.map(\.area.id)) == Set(others.map(\.id) + [grid.id]))
            #expect(later.due.allSatisfy { $0.area.level == .village || $0.area.level == .grid })

            // A new round turns the grid green again; a longer cadence moves its due day.
            _ = try await screening.record(.init(checked: "复查昨日隐患"), by: worker, at: Self.day(2, at: 8))
            #expect(Self.colour(of: grid, in: try await overview(2, 9)) == .green)
            let admin = try await city.principal("admin")
            _ = try await screening.setCadence(gridDays: 3, villageDays: 7, townDays: 15, cityDays: 30, by: admin)
            #expect(Self.colour(of: grid, in: try await overview(4, 12)) == .green)
            #expect(Self.colour(of: grid, in: try await overview(5, 12)) == .yellow)
            #expect(Self.colour(of: grid, in: try await overview(6, 0.1)) == .red)
            #expect(try await screening.cadence().gridDays == 3, "the cadence is stored")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func badInputIsNamedAndWritesNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let screening = city.services.screening
            let admin = try await city.principal("admin")
            await #expect(throws: DomainError.invalid(field: "villageDays", "expected the days between two rounds, 1–92")) {
                try await screening.setCadence(gridDays: 1, villageDays: 0, townDays: 15, cityDays: 30, by: admin)
            }
            await #expect(throws: DomainError.self) {
                try await screening.setCadence(gridDays: 1, villageDays: 7, townDays: 15, cityDays: 30, by: try await city.principal("village1"))
            }
            #expect(try await screening.cadence() == .default)
            let village = try await city.principal("village1")
            await #expect(throws: DomainError.invalid(field: "checked", "expected what the round checked, 1–2,000 characters")) {
                try await screening.record(.init(checked: "  "), by: village)
            }
            // A county's centre keeps no rounds of its own; a mediator records none.
            for username in ["county1", "mediator1"] {
                await #expect(throws: DomainError.self) {
                    try await screening.record(.init(checked: "排查"), by: try await city.principal(username))
                }
            }
            let rounds = try await city.database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("screening_rounds").first(decodingColumn: "n", as: Int.self)
            #expect(rounds == 0)
        }
    }

    static let dispute = DisputeForm(
        type: "landAndHousing", summary: "张家与李家宅基地边界争执，双方多次口角",
        parties: [.init(role: "applicant", name: "张德明", phone: "13812345678"), .init(role: "respondent", name: "李国强")])

    static func caseCount(_ city: TinyCity) async throws -> Int {
        try await city.database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cases")
            .first(decodingColumn: "n", as: Int.self) ?? -1
    }

    @Test(arguments: TestDatabases.kinds)
    func aRiskFoundBecomesADisputeLinkedToItsRound(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let screening = city.services.screening
            let worker = try await city.principal("gridworker1")
            let village = try await city.principal("village1")
            let round = try await screening.record(
                .init(checked: "走访8户", findings: ["张家与李家宅基地边界争执", "", "出租房消防通道堵塞"]), by: worker, at: Self.morning)
            #expect(round.findings.map(\.number) == [1, 2], "blank lines are not risks")

            // Refused before anything is written: a dispute form without a respondent, a category that is no dispute.
            let before = try await Self.caseCount(city)
            var lonely = Self.dispute
            lonely.parties = [.init(role: "applicant", name: "张德明")]
            await #expect(throws: DomainError.self) {
                try await screening.openDispute(.init(categoryCode: "dispute.neighbour", dispute: lonely), from: round.id, finding: 1, by: village)
            }
            await #expect(throws: DomainError.invalid(field: "categoryCode", "expected the code of a dispute category")) {
                try await screening.openDispute(
                    .init(categoryCode: "service.streetlight", dispute: Self.dispute), from: round.id, finding: 1, by: village)
            }
            // A grid worker reports, but only the centre opens a dispute's file.
            await #expect(throws: DomainError.self) {
                try await screening.openDispute(.init(categoryCode: "dispute.neighbour", dispute: Self.dispute), from: round.id, finding: 1, by: worker)
            }
            #expect(try await Self.caseCount(city) == before)

            let file = try await screening.openDispute(
                .init(categoryCode: "dispute.neighbour", dispute: Self.dispute), from: round.id, finding: 1, by: village)
            #expect(file.dispute.type == .landAndHousing)
            #expect(file.record.channel == .gridWorker, "found by the grid's round")
            #expect(file.record.file.areas.grid == worker.post.areaID)
            #expect(try await Self.caseCount(city) == before + 1)
            let linked = try await screening.round(round.id, for: village)
            #expect(linked.findings.map(\.caseID) == [file.dispute.caseID, nil])
            #expect(try await city.services.mediationSteps.file(of: file.dispute.caseID, for: village).dispute.parties.count == 2)
            await #expect(throws: DomainError.self) {
                try await screening.openDispute(.init(categoryCode: "dispute.neighbour", dispute: Self.dispute), from: round.id, finding: 1, by: village)
            }
            #expect(try await Self.caseCount(city) == before + 1, "a risk opens one case")

            // A village's own round names the grid where the risk lies.
            let own = try await screening.record(.init(checked: "村排查会", findings: ["两户因排水沟纠纷"]), by: village)
            await #expect(throws: DomainError.invalid(field: "gridID", "expected the grid of the round's area where the risk lies")) {
                try await screening.openDispute(.init(categoryCode: "dispute.neighbour", dispute: Self.dispute), from: own.id, finding: 1, by: village)
            }
            let second = try await screening.openDispute(
                .init(categoryCode: "dispute.neighbour", gridID: worker.post.areaID, dispute: Self.dispute), from: own.id, finding: 1, by: village)
            #expect(try await screening.round(own.id, for: village).findings.first?.caseID == second.dispute.caseID)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func eachPostSeesTheRoundsOfItsOwnArea(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let screening = city.services.screening
            let worker = try await city.principal("gridworker1")
            let round = try await screening.record(.init(checked: "走访"), by: worker, at: Self.morning)
            let villages = city.directory.areas.values.filter { $0.level == .village }.sorted { $0.code < $1.code }
            let village = try await city.principal("village1")
            let other = try #require(villages.first { $0.id != village.post.areaID })
            let stranger = try await city.principal("disp.\(other.code)")
            for username in ["village1", "town1", "leader", "city"] {
                let principal = try await city.principal(username)
                #expect(try await screening.round(round.id, for: principal).id == round.id, "\(username)")
                #expect(try await screening.overview(for: principal).rounds.map(\.id) == [round.id], "\(username)")
            }
            await #expect(throws: DomainError.notFound("screening round \(round.id)", field: "id")) {
                try await screening.round(round.id, for: stranger)
            }
            #expect(try await screening.overview(for: stranger).rounds.isEmpty)
            await #expect(throws: DomainError.self) {
                try await screening.overview(for: stranger, areaID: village.post.areaID)
            }
            // The town's list covers the town, its villages and grids; the county keeps no rounds.
            let town = try await screening.overview(for: try await city.principal("town1"))
            #expect(Set(town.due.map(\.area.level)) == [.town, .village, .grid])
        }
    }
}
