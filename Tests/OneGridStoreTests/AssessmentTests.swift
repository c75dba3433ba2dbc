import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// Assessment's counts against cases counted by hand, on both databases: four cases in the tiny
/// city's first grid, taken through the flow as the server takes them.
@Suite struct AssessmentTests {
    static let period = AssessmentPeriod(month: FigureMonth(TinyCity.now, in: FigureMonth.cityTimeZone))
    /// Overdue is judged two months on: every case still open is past its due time by then.
    static let judgedAt = TinyCity.now.addingTimeInterval(60 * 86_400)

    static func at(minutes: Double) -> Date { TinyCity.now.addingTimeInterval(minutes * 60) }

    /// A: a citizen's report, dispatched, signed at once, reworked once, verified, rated
    /// satisfied, closed. B: the grid worker's report, cancelled as invalid. C: the grid worker's
    /// report, dispatched, signed 30 hours later, left in progress. D: a hotline ticket, accepted
    /// and left there.
    struct Cases {
        var a: Int64, b: Int64, c: Int64, d: Int64
    }

    static func fourCases(_ city: TinyCity) async throws -> Cases {
        let a = try await city.report(inGrid: 1).id
        let b = try await city.cases.create([try city.draft("service.streetlight", by: try await city.principal("gridworker1"), channel: .gridWorker)])[0].record.id
        let c = try await city.cases.create([try city.draft("service.streetlight", by: try await city.principal("gridworker1"), channel: .gridWorker)])[0].record.id
        let d = try await city.cases.create([try city.draft("service.streetlight", by: try await city.principal("hotline"), channel: .hotline)])[0].record.id
        let steps: [(Int64, CaseAction, String, CaseActionInput, Double)] = [
            (a, .accept, "village1", CaseActionInput(), 1),
            (a, .dispatch, "village1", CaseActionInput(), 2),
            (a, .start, "handler.village1", CaseActionInput(), 3),
            (a, .feedBack, "handler.village1", CaseActionInput(note: "已更换灯泡"), 4),
            (a, .verifyFail, "gridworker1", CaseActionInput(note: "还有一盏不亮"), 5),
            (a, .feedBack, "handler.village1", CaseActionInput(note: "已全部修复"), 6),
            (a, .verifyPass, "gridworker1", CaseActionInput(), 7),
            (a, .rate, "citizen1", CaseActionInput(rating: .satisfied), 8),
            (a, .close, "village1", CaseActionInput(), 9),
            (b, .reject, "village1", CaseActionInput(note: "重复上报"), 10),
            (c, .accept, "village1", CaseActionInput(), 11),
            (c, .dispatch, "village1", CaseActionInput(), 12),
            (c, .start, "handler.village1", CaseActionInput(), 12 + 30 * 60),
            (d, .accept, "village1", CaseActionInput(), 13),
        ]
        for (id, action, username, input, minute) in steps {
            try await city.act(action, on: id, as: username, input: input, at: Self.at(minutes: minute))
        }
        return Cases(a: a, b: b, c: c, d: d)
    }

    static func source(closed: Bool = false) -> AssessmentSource {
        AssessmentSource(period: period, settings: .defaults, now: judgedAt, closed: closed)
    }

    @Test(arguments: TestDatabases.kinds)
    func indicatorsCountAsByHand(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let cases = try await Self.fourCases(city)
            let store = SQLAssessmentStore(database: city.database)
            let path = try #require(city.directory.path(ofGrid: city.grids[0].id))
            let record = try #require(try await city.cases.record(id: cases.a))
            let department = try #require(record.file.departmentID)
            let worker = try await city.principal("gridworker1").user.id
            let dispatcher = try await city.principal("village1").user.id

            let village = try #require(try await store.counts(.village, from: Self.source(), units: [path.village])[path.village])
            #expect(village[.handling] == IndicatorCount(1, of: 3), "A of A, C, D: B was cancelled")
            #expect(village[.onTimeHandling] == IndicatorCount(1, of: 3))
            #expect(village[.closure] == IndicatorCount(1, of: 3))
            #expect(village[.onTimeClosure] == IndicatorCount(1, of: 3))
            #expect(village[.rework] == IndicatorCount(1, of: 1))
            #expect(village[.verifyPass] == IndicatorCount(0, of: 1), "A failed its first verification")
            #expect(village[.satisfaction] == IndicatorCount(1, of: 1))
            #expect(village[.overdue] == IndicatorCount(2, of: 3), "C and D are still open two months on")

            let departments = try await store.counts(.department, from: Self.source(), units: [department])
            let lead = try #require(departments[department])
            #expect(lead[.response] == IndicatorCount(1, of: 2), "C was signed 30 hours after its assignment")
            #expect(lead[.returns] == IndicatorCount(0, of: 2))
            #expect(lead[.closure] == IndicatorCount(1, of: 2))
            #expect(lead[.overdue] == IndicatorCount(1, of: 2))

            let workers = try #require(try await store.counts(.gridWorker, from: Self.source(), units: [worker])[worker])
            #expect(workers[.validReport] == IndicatorCount(1, of: 2), "B was cancelled")
            #expect(workers[.missedReport] == IndicatorCount(2, of: 4), "A and D were reported first by the public")
            #expect(workers[.onTimeVerification] == IndicatorCount(1, of: 1))

            let dispatchers = try #require(try await store.counts(.dispatcher, from: Self.source(), units: [dispatcher])[dispatcher])
            #expect(dispatchers[.onTimeDispatch] == IndicatorCount(2, of: 2))
            #expect(dispatchers[.accurateDispatch] == IndicatorCount(2, of: 2))

            let hotline = try await store.counts(.hotline, from: Self.source(), units: [path.town])[path.town]
            #expect(hotline?[.response] == IndicatorCount(0, of: 0), "D was never assigned")

            // The sheet lists exactly the cases the counts counted.
            let closure = try await store.cases(.village, unitID: path.village, indicator: .closure, from: Self.source(), limit: 100)
            #expect(closure.map(\.id) == [cases.a, cases.c, cases.d].sorted())
            #expect(closure.filter(\.counted).map(\.id) == [cases.a])
            let missed = try await store.cases(.gridWorker, unitID: worker, indicator: .missedReport, from: Self.source(), limit: 100)
            #expect(missed.map(\.id) == [cases.a, cases.b, cases.c, cases.d].sorted())
            #expect(missed.filter(\.counted).map(\.id) == [cases.a, cases.d].sorted())

            // By hand: (55 × 33.33 + 15 × 100 + 15 × (100 − 66.67)) / 100 with the defaults.
            let result = AssessmentResult(kind: .village, unitID: path.village, counts: village, cardPoints: 0, settings: .defaults)
            #expect(abs((result.score ?? 0) - 38.333) < 0.01)
            #expect(result.grade == .e)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func configuredWeightsChangeTheGrade(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            _ = try await Self.fourCases(city)
            let admin = try await city.principal("admin")
            let leader = try await city.principal("leader")
            var settings = AssessmentSettings.defaults
            settings.weights[.village] = [.satisfaction: 100]
            let saved = try await city.services.assessment.save(settings, by: admin)
            #expect(saved.weights[.village] == [.satisfaction: 100])
            #expect(try await city.services.assessment.settings() == saved, "read back from the database")
            let table = try await city.services.assessment.table(.village, period: Self.period, for: leader)
            let first = try #require(table.rows.first)
            #expect(first.result.score == 100)
            #expect(first.result.grade == .a)
            #expect(first.result.rank == 1)

            settings.weights[.village] = [.satisfaction: 60]
            await #expect(throws: DomainError.invalid(field: "weights.village", "the weights of a village sum to 100, not 60")) {
                _ = try await city.services.assessment.save(settings, by: admin)
            }
            settings = .defaults
            settings.gradeMinimums[.b] = 95
            let error = await #expect(throws: DomainError.self) { _ = try await city.services.assessment.save(settings, by: admin) }
            #expect(error?.field == "gradeMinimums.B")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aClosedPeriodNeverChanges(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let cases = try await Self.fourCases(city)
            let assessment = city.services.assessment
            let admin = try await city.principal("admin")
            let leader = try await city.principal("leader")
            let path = try #require(city.directory.path(ofGrid: city.grids[0].id))
            _ = try await assessment.giveCard(.yellow, to: .village, unitID: path.village, period: Self.period, reason: "超期未办", caseID: cases.c, by: leader)
            let closed = try await assessment.close(Self.period, by: admin)
            #expect(closed.period == Self.period)
            let atClose = try await assessment.table(.village, period: Self.period, for: leader)

            // Later changes to the cases and the settings leave it as it was.
            try await city.act(.feedBack, on: cases.c, as: "handler.village1", input: CaseActionInput(note: "已修复"), at: Self.at(minutes: 3000))
            try await city.act(.reject, on: cases.d, as: "village1", input: CaseActionInput(note: "无效"), at: Self.at(minutes: 3001))
            var settings = AssessmentSettings.defaults
            settings.weights[.village] = [.satisfaction: 100]
            _ = try await assessment.save(settings, by: admin)
            let after = try await assessment.table(.village, period: Self.period, for: leader)
            let row = try #require(after.rows.first { $0.unit.id == path.village })
            #expect(after.closed != nil)
            #expect(row.result.counts[.handling] == IndicatorCount(1, of: 3))
            #expect(row.result.cardPoints == 5)
            #expect(row.result.score == atClose.rows.first { $0.unit.id == path.village }?.result.score)
            #expect(after.rows.map(\.result.counts) == atClose.rows.map(\.result.counts))
            let sheet = try await assessment.sheet(.village, unitID: path.village, period: Self.period, indicator: .handling, for: leader)
            #expect(sheet.cases.map(\.id) == [cases.a, cases.c, cases.d].sorted(), "D, cancelled after the close, still counted")
            #expect(sheet.cases.filter(\.counted).map(\.id) == [cases.a])

            await #expect(throws: DomainError(.notAllowedInState, "the period \(Self.period.key) is already closed", field: "period")) {
                _ = try await assessment.close(Self.period, by: admin)
            }
            let refused = await #expect(throws: DomainError.self) {
                _ = try await assessment.giveCard(.red, to: .village, unitID: path.village, period: Self.period, reason: "迟报", caseID: nil, by: leader)
            }
            #expect(refused?.code == .notAllowedInState)
            let current = AssessmentPeriod.current(at: city.services.clock.now)
            let early = await #expect(throws: DomainError.self) { _ = try await assessment.close(current, by: admin) }
            #expect(early?.field == "period")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aPostSeesTheUnitsOfItsAreaOnly(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            _ = try await Self.fourCases(city)
            let assessment = city.services.assessment
            let village = try await city.principal("village1")
            let villages = city.directory.areas.values.filter { $0.level == .village }
            let own = try #require(villages.first { $0.id == village.post.areaID })
            let other = try #require(villages.first { $0.id != own.id })
            let table = try await assessment.table(.village, period: Self.period, for: village)
            #expect(table.rows.map(\.unit.id) == [own.id])
            let grids = try await assessment.table(.grid, period: Self.period, for: village)
            #expect(grids.rows.allSatisfy { city.directory.path(ofGrid: $0.unit.id)?.village == own.id })
            await #expect(throws: DomainError.notFound("village \(other.id) within the post's area", field: "unit")) {
                _ = try await assessment.sheet(.village, unitID: other.id, period: Self.period, indicator: nil, for: village)
            }
            let cityLeader = try await city.principal("leader")
            #expect(try await assessment.table(.village, period: Self.period, for: cityLeader).rows.count == villages.count)
            await #expect(throws: DomainError.self) {
                _ = try await assessment.table(.village, period: Self.period, for: try await city.principal("gridworker1"))
            }
        }
    }
}

/// Grid workers' figures: visits and households from the visit log, reports and verifications
/// as the assessment counts them.
@Suite struct GridWorkFiguresTests {
    @Test(arguments: TestDatabases.kinds)
    func aWorkersReportsAndVerificationsAddUpToTheGridAndVillage(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            _ = try await AssessmentTests.fourCases(city)
            let worker = try await city.principal("gridworker1")
            let village = try await city.principal("village1")
            let figures = try await city.services.figures.gridWork(in: nil, period: AssessmentTests.period, for: village.post)
            let line = try #require(figures.workers.first { $0.worker?.userID == worker.user.id })
            #expect(line.reports == IndicatorCount(1, of: 2))
            #expect(line.verifiedOnTime == IndicatorCount(1, of: 1))
            #expect(line.visits == 0 && line.coverage == nil, "no households or visits in this city")
            let grid = try #require(figures.grids.first { $0.area.id == worker.post.areaID })
            #expect(grid.reports == IndicatorCount(1, of: 2))
            #expect(figures.villages.map(\.area.id) == [village.post.areaID])
            #expect(figures.villages[0].reports == IndicatorCount(1, of: 2))
        }
    }
}
