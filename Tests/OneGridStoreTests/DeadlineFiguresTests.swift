import Foundation
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// `deadlineFigures`: every figure on a few cases whose history is known to the hour, per area,
/// per department, within a period and within each kind of scope.
@Suite struct DeadlineFiguresTests {
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400
    static func at(_ offset: TimeInterval) -> Date { TinyCity.now.addingTimeInterval(offset) }

    /// One case: where, who holds it, when it came and was due, when it was fed back, where it
    /// stands now.
    struct Spec {
        var name: String
        var grid: Int
        var category: String
        var department: Department?
        var created: Date
        var due: Date
        var handled: Date?
        var status: CaseStatus
    }

    /// Grids 1–2 lie in the first village, 3–4 in the second; "now" is `TinyCity.now`.
    ///
    /// | case | village | department | reported | due     | fed back | status    | counts as                   |
    /// | A    | 1       | committee  | −10 d    | −8 d    | −8 d     | closed    | on time (at the due moment), 48 h |
    /// | B    | 1       | committee  | −10 d    | −9 d    | −7 d     | archived  | late, 72 h                  |
    /// | C    | 1       | committee  | −6 d     | −1 d    |          | assigned  | overdue                     |
    /// | G    | 1       |            | −2 d     | −1 d    |          | rejected  | received only               |
    /// | D    | 2       |            | −4 d     | +1 d    |          | reported  | open, not yet due           |
    /// | E    | 2       | market     | −3 d     | −2 d    | −2.5 d   | closed    | on time, 12 h               |
    /// | H    | 2       | market     | −5 d     | −4 d    | −3 d     | handled   | overdue, 48 h, not closed   |
    /// | F    | 2       | committee2 | −40 d    | −35 d   | −39 d    | closed    | outside a 30-day period     |
    static func specs(_ city: TinyCity) throws -> [Spec] {
        let village1 = try #require(city.directory.path(ofGrid: city.grids[0].id)).village
        let village2 = try #require(city.directory.path(ofGrid: city.grids[2].id)).village
        let town = try #require(city.directory.path(ofGrid: city.grids[0].id)).town
        let committee = try #require(city.directory.department(kind: "village-committee", areaID: village1))
        let committee2 = try #require(city.directory.department(kind: "village-committee", areaID: village2))
        let market = try #require(city.directory.department(kind: "market-supervision", areaID: town))
        return [
            Spec(name: "A", grid: 1, category: "service.streetlight", department: committee, created: at(-10 * day), due: at(-8 * day), handled: at(-8 * day), status: .closed),
            Spec(name: "B", grid: 2, category: "service.streetlight", department: committee, created: at(-10 * day), due: at(-9 * day), handled: at(-7 * day), status: .archived),
            Spec(name: "C", grid: 1, category: "service.streetlight", department: committee, created: at(-6 * day), due: at(-1 * day), handled: nil, status: .assigned),
            Spec(name: "G", grid: 2, category: "service.streetlight", department: nil, created: at(-2 * day), due: at(-1 * day), handled: nil, status: .rejected),
            Spec(name: "D", grid: 3, category: "market.food", department: nil, created: at(-4 * day), due: at(1 * day), handled: nil, status: .reported),
            Spec(name: "E", grid: 4, category: "market.food", department: market, created: at(-3 * day), due: at(-2 * day), handled: at(-2.5 * day), status: .closed),
            Spec(name: "H", grid: 3, category: "market.food", department: market, created: at(-5 * day), due: at(-4 * day), handled: at(-3 * day), status: .handled),
            Spec(name: "F", grid: 4, category: "service.streetlight", department: committee2, created: at(-40 * day), due: at(-35 * day), handled: at(-39 * day), status: .closed),
        ]
    }

    /// The case as its timeline leaves it: the steps of the flow up to `status`.
    static func history(_ spec: Spec, id: Int64, city: TinyCity) throws -> HistoricalCase {
        let category = try city.category(spec.category)
        let areas = try #require(city.directory.path(ofGrid: city.grids[spec.grid - 1].id))
        var steps: [(CaseAction, CaseStatus, Date)] = [(.report, .reported, spec.created)]
        switch spec.status {
        case .reported:
            break
        case .rejected:
            steps.append((.reject, .rejected, spec.created.addingTimeInterval(hour)))
        case .assigned, .handled, .closed, .archived:
            steps.append((.accept, .accepted, spec.created.addingTimeInterval(hour)))
            steps.append((.dispatch, .assigned, spec.created.addingTimeInterval(2 * hour)))
            if let handled = spec.handled {
                steps.append((.start, .inProgress, spec.created.addingTimeInterval(3 * hour)))
                steps.append((.feedBack, .handled, handled))
            }
            if spec.status == .closed || spec.status == .archived {
                steps.append((.verifyPass, .verified, spec.handled!.addingTimeInterval(hour)))
                steps.append((.close, .closed, spec.handled!.addingTimeInterval(2 * hour)))
            }
            if spec.status == .archived {
                steps.append((.archive, .archived, spec.handled!.addingTimeInterval(3 * hour)))
            }
        default:
            Issue.record("no history written for \(spec.status)")
        }
        var events: [TimelineEvent] = []
        var from: CaseStatus?
        for (action, to, at) in steps {
            events.append(
                TimelineEvent(
                    caseID: id, sequence: 0, action: action, fromStatus: from, toStatus: to, actorUserID: nil, actorPostID: nil,
                    actorRole: nil, atMillis: at.millisecondsSince1970, note: nil, details: [:], previousHash: ""))
            from = to
        }
        let file = CaseFile(
            id: id, status: spec.status, version: events.count, categoryID: category.id, areas: areas,
            handlingLevel: category.handlingLevel, handlingAreaID: areas[category.handlingLevel],
            departmentID: spec.department?.id, handledAt: spec.handled,
            closedAt: spec.status == .closed || spec.status == .archived ? spec.handled!.addingTimeInterval(2 * hour) : nil)
        return HistoricalCase(
            file: file, platform: category.platform, channel: .citizen, title: "案件 \(spec.name)", description: "", address: nil,
            location: nil, reporter: Reporter(), dueAt: spec.due, events: events)
    }

    struct Fixture {
        var city: TinyCity
        var store: SQLDeadlineFigureStore
        var specs: [Spec]

        var village1: Int64 { city.directory.path(ofGrid: city.grids[0].id)!.village }
        var village2: Int64 { city.directory.path(ofGrid: city.grids[2].id)!.village }
        var town: Int64 { city.directory.path(ofGrid: city.grids[0].id)!.town }
        func department(of name: String) -> Int64? { specs.first { $0.name == name }?.department?.id }

        /// The rows keyed by group id (0 for the unassigned row).
        func figures(
            _ level: AdminLevel, _ areaIDs: [Int64], department: Int64? = nil, _ grouping: DeadlineFigureGrouping, from: Date? = nil,
            before: Date? = nil
        ) async throws -> [Int64: DeadlineFigureRow] {
            let rows = try await store.deadlineFigures(
                DeadlineFigureQuery(
                    areaLevel: level, areaIDs: areaIDs, departmentID: department, grouping: grouping, from: from, before: before,
                    now: TinyCity.now))
            #expect(Set(rows.map(\.groupID)).count == rows.count, "one row per group")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.groupID ?? 0, $0) })
        }
    }

    static func withFixture(_ kind: OneGridDatabase.Kind, _ body: (Fixture) async throws -> Void) async throws {
        try await TinyCity.with(kind) { city in
            let specs = try specs(city)
            try await city.cases.importHistory(
                try specs.enumerated().map { index, spec in try history(spec, id: Int64(index + 1), city: city) })
            try await body(Fixture(city: city, store: SQLDeadlineFigureStore(database: city.database), specs: specs))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aTownSeesOneRowPerVillageWithEveryFigure(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            let rows = try await fixture.figures(.village, [fixture.village1, fixture.village2], .area)
            #expect(Set(rows.keys) == [fixture.village1, fixture.village2])

            let first = try #require(rows[fixture.village1])
            #expect(first.received == 4, "A, B, C, G")
            #expect(first.closed == 2, "A closed, B archived")
            #expect(first.closedOnTime == 1, "A, fed back at the very moment it fell due; B two days late")
            #expect(first.onTimeRate == 0.5)
            #expect(first.overdue == 1, "C; G is rejected, not owed")
            #expect(first.handled == 2)
            #expect(first.averageHandlingSeconds == 60 * Self.hour, "(48 h + 72 h) / 2")

            let second = try #require(rows[fixture.village2])
            #expect(second.received == 4, "D, E, H, F")
            #expect(second.closed == 2, "E, F")
            #expect(second.closedOnTime == 2)
            #expect(second.onTimeRate == 1)
            #expect(second.overdue == 1, "H waits for verification past its due time; D is not due yet")
            #expect(second.handled == 3)
            #expect(second.averageHandlingSeconds == (12 + 48 + 24) * Self.hour / 3, "E 12 h, H 48 h, F 24 h")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func thePeriodCountsCasesReportedWithinIt(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            // Whole days: from the day 30 days ago through yesterday (TinyCity.now is early morning).
            let rows = try await fixture.figures(
                .village, [fixture.village1, fixture.village2], .area, from: Self.at(-30 * Self.day), before: TinyCity.now)
            let second = try #require(rows[fixture.village2])
            #expect(second.received == 3, "F came 40 days ago")
            #expect(second.closed == 1 && second.closedOnTime == 1)
            #expect(second.averageHandlingSeconds == (12 + 48) * Self.hour / 2)
            #expect(rows[fixture.village1]?.received == 4)

            // The end is exclusive: a period ending on A's and B's report day leaves them out.
            let early = try await fixture.figures(
                .village, [fixture.village1, fixture.village2], .area, from: Self.at(-30 * Self.day), before: Self.at(-10 * Self.day))
            #expect(early.isEmpty, "\(early)")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func perDepartmentTheUnassignedMakeARowOfTheirOwn(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            let committee = try #require(fixture.department(of: "A"))
            let market = try #require(fixture.department(of: "E"))
            let rows = try await fixture.figures(.town, [fixture.town], .department)
            #expect(Set(rows.keys) == [committee, market, try #require(fixture.department(of: "F")), 0])
            #expect(rows[committee] == DeadlineFigureRow(
                groupID: committee, received: 3, closed: 2, closedOnTime: 1, overdue: 1, handled: 2, averageHandlingSeconds: 60 * Self.hour))
            #expect(rows[market] == DeadlineFigureRow(
                groupID: market, received: 2, closed: 1, closedOnTime: 1, overdue: 1, handled: 2, averageHandlingSeconds: 30 * Self.hour))
            let unassigned = try #require(rows[0])
            #expect(unassigned.groupID == nil)
            #expect(unassigned.received == 2 && unassigned.closed == 0 && unassigned.overdue == 0, "D not yet due, G rejected")
            #expect(unassigned.onTimeRate == nil && unassigned.averageHandlingSeconds == nil)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func eachScopeCountsOnlyItsOwnCases(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            let grids = fixture.city.grids.map(\.id)
            // A village sees its grids: A and C lie in grid 1, B and G in grid 2.
            let village = try await fixture.figures(.grid, [grids[0], grids[1]], .area)
            #expect(Set(village.keys) == [grids[0], grids[1]])
            #expect(village[grids[0]]?.received == 2 && village[grids[0]]?.overdue == 1)
            #expect(village[grids[1]]?.received == 2 && village[grids[1]]?.closed == 1 && village[grids[1]]?.closedOnTime == 0)

            // A department sees what it was assigned, wherever it lies.
            let market = try #require(fixture.department(of: "E"))
            let own = try await fixture.figures(.village, [fixture.village1, fixture.village2], department: market, .area)
            #expect(Set(own.keys) == [fixture.village2])
            #expect(own[fixture.village2]?.received == 2)

            #expect(try await fixture.figures(.town, [], .department).isEmpty)
        }
    }

    /// The running totals follow every kind of step (a dispatch moves a case to its department, a
    /// failed check reopens it, a second feedback moves its handling time, a close counts it) and
    /// always agree with counting the case rows one by one.
    @Test(arguments: TestDatabases.kinds)
    func theTotalsFollowEveryStepAndAgreeWithTheCases(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            // Assessment's four cases in the first grid (one reworked and closed, one rejected, one
            // in progress, one accepted), and one left as reported in the other village.
            let cases = try await AssessmentTests.fourCases(city)
            let other = try await city.report(inGrid: 3, at: AssessmentTests.at(minutes: -3 * 24 * 60)).id
            #expect(try await city.cases.record(id: cases.a)?.file.status == .closed)
            #expect(try await city.cases.record(id: other)?.file.status == .reported)

            // Counted one by one, as the figures define them, two months on when every open case is late.
            struct Case: Decodable {
                var status: String
                var villageId: Int64
                var departmentId: Int64?
                var createdAt: Int64
                var dueAt: Int64
                var handledAt: Int64?
            }
            let now = AssessmentTests.judgedAt
            let stored = try await city.database.reader.select()
                .columns("status", "village_id", "department_id", "created_at", "due_at", "handled_at").from("cases")
                .all(decoding: Case.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
            #expect(stored.count == 5)
            func expected(_ group: (Case) -> Int64) -> [Int64: DeadlineFigureRow] {
                var rows: [Int64: (row: DeadlineFigureRow, handlingMillis: Int64)] = [:]
                for item in stored {
                    let id = group(item)
                    var (row, millis) = rows[id] ?? (DeadlineFigureRow(groupID: id == 0 ? nil : id), 0)
                    let status = try! #require(CaseStatus(rawValue: item.status))
                    row.received += 1
                    if status == .closed || status == .archived {
                        row.closed += 1
                        if let handled = item.handledAt, handled <= item.dueAt { row.closedOnTime += 1 }
                    }
                    if status.isOpen && item.dueAt < now.millisecondsSince1970 { row.overdue += 1 }
                    if let handled = item.handledAt {
                        row.handled += 1
                        millis += handled - item.createdAt
                    }
                    row.averageHandlingSeconds = row.handled > 0 ? Double(millis) / Double(row.handled) / 1000 : nil
                    rows[id] = (row, millis)
                }
                return rows.mapValues(\.row)
            }
            let store = SQLDeadlineFigureStore(database: city.database)
            let path = try #require(city.directory.path(ofGrid: city.grids[0].id))
            let villages = city.directory.children(of: path.town).map(\.id)
            func figures(_ level: AdminLevel, _ ids: [Int64], _ grouping: DeadlineFigureGrouping) async throws -> [Int64: DeadlineFigureRow] {
                let rows = try await store.deadlineFigures(DeadlineFigureQuery(areaLevel: level, areaIDs: ids, grouping: grouping, now: now))
                return Dictionary(uniqueKeysWithValues: rows.map { ($0.groupID ?? 0, $0) })
            }
            let byVillage = try await figures(.village, villages, .area)
            #expect(byVillage == expected(\.villageId))
            #expect(byVillage[path.village]?.closed == 1 && byVillage[path.village]?.handled == 1)
            let byDepartment = try await figures(.town, [path.town], .department)
            #expect(byDepartment == expected { $0.departmentId ?? 0 })
            #expect(byDepartment[0]?.received == 3, "B, rejected, D, accepted, and the other, reported: none dispatched")
        }
    }
}
