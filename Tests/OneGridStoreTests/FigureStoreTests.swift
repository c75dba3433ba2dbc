import Foundation
import OneGridDemo
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// The figures' ledger is written with every case change: what it reads equals what the cases
/// and their timelines say, counted by hand on a few steps and by SQL after a bulk import.
@Suite struct FigureStoreTests {
    static let month = FigureMonth(TinyCity.now, in: FigureMonth.cityTimeZone)

    static func at(minutes: Double) -> Date { TinyCity.now.addingTimeInterval(minutes * 60) }

    @Test(arguments: TestDatabases.kinds)
    func stepsAddUpPerAreaAsCountedByHand(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            // A: the whole flow with a rework, rated satisfied, closed. B: rejected. C: stays open
            // in another village. D: in A's grid, a hotline report accepted and left there.
            let a = try await city.report(inGrid: 1).id
            let b = try await city.report(inGrid: 2).id
            let c = try await city.report("market.food", inGrid: 3).id
            let d = try await city.cases.create([try city.draft("service.streetlight", inGrid: 1, by: try await city.principal("hotline"), channel: .hotline)])[0]
                .record.id
            let steps: [(Int64, CaseAction, String, CaseActionInput)] = [
                (a, .accept, "village1", CaseActionInput()),
                (a, .dispatch, "village1", CaseActionInput()),
                (a, .start, "handler.village1", CaseActionInput()),
                (a, .feedBack, "handler.village1", CaseActionInput(note: "已更换灯泡")),
                (a, .verifyFail, "gridworker1", CaseActionInput(note: "还有一盏不亮")),
                (a, .feedBack, "handler.village1", CaseActionInput(note: "已全部修复")),
                (a, .verifyPass, "gridworker1", CaseActionInput()),
                (a, .rate, "citizen1", CaseActionInput(rating: .satisfied)),
                (a, .close, "village1", CaseActionInput()),
                (b, .reject, "village1", CaseActionInput(note: "重复上报")),
                (d, .accept, "village1", CaseActionInput()),
            ]
            for (minute, (id, action, username, input)) in steps.enumerated() {
                try await city.act(action, on: id, as: username, input: input, at: Self.at(minutes: Double(minute + 1)))
            }

            let store = SQLFigureStore(database: city.database)
            let path = try #require(city.directory.path(ofGrid: city.grids[0].id))
            let otherVillage = try #require(city.directory.path(ofGrid: city.grids[2].id)).village
            let monthly = try await store.monthly(
                areaIDs: [path.city, path.village, path.grid, otherVillage], months: Self.month...Self.month)
            let cityTotals = try #require(monthly[path.city]?[Self.month])
            #expect(cityTotals[.received] == 4)
            #expect(cityTotals[.received, "citizen"] == 3)
            #expect(cityTotals[.received, "hotline"] == 1)
            #expect(cityTotals[.accepted] == 2)
            #expect(cityTotals[.rejected] == 1)
            #expect(cityTotals.cancelled == 1)
            #expect(cityTotals[.dispatched] == 1)
            #expect(cityTotals[.handled] == 1, "the rework's feedback is not a second handling")
            #expect(cityTotals[.verified] == 2)
            #expect(cityTotals[.reworked] == 1)
            #expect(cityTotals[.closed, "village"] == 1)
            #expect(cityTotals[.rated, "satisfied"] == 1)
            #expect(cityTotals.closureRate == 0.5)
            #expect(cityTotals.reworkRate == 0.5)
            #expect(cityTotals.satisfaction == 1)
            #expect(cityTotals.shareClosed(at: .village) == 1)
            #expect(cityTotals[.open] == 2, "C and D")

            let village = try #require(monthly[path.village]?[Self.month])
            #expect(village[.received] == 3, "A, B and D")
            #expect(monthly[path.grid]?[Self.month]?[.received] == 2, "A and D")
            #expect(monthly[otherVillage]?[Self.month]?[.received] == 1)
            #expect(monthly[otherVillage]?[Self.month]?[.closed] == 0)
            #expect(monthly[path.city]?[Self.month.adding(months: -1)] == nil, "nothing happened the month before")

            let open = try await store.open(areaIDs: [path.city, path.village, otherVillage])
            #expect(open == [path.city: 2, path.village: 1, otherVillage: 1])
            let openBefore = try await store.open(areaIDs: [path.city], through: Self.month.adding(months: -1))
            #expect(openBefore[path.city] ?? 0 == 0, "nothing was open at the end of the month before")
            #expect(try await store.open(areaIDs: [path.city], through: Self.month) == [path.city: 2])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func overdueCasesComeFromTheOpenCasesPastDue(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let first = try await city.report(inGrid: 1, at: Self.at(minutes: -10 * 24 * 60))
            let second = try await city.report(inGrid: 1, at: Self.at(minutes: -5 * 24 * 60))
            let rejected = try await city.report(inGrid: 2, at: Self.at(minutes: -10 * 24 * 60))
            _ = try await city.report(inGrid: 4)
            try await city.act(.reject, on: rejected.id, as: "village1", input: CaseActionInput(note: "无效"), at: TinyCity.now)
            let store = SQLFigureStore(database: city.database)

            let byGrid = try await store.overdueByGrid(at: TinyCity.now)
            #expect(byGrid == [city.grids[0].id: 2], "the rejected one is no longer open; the fresh one is not due")
            let path = try #require(city.directory.path(ofGrid: city.grids[0].id))
            let town = try #require(city.directory.areas[path.town])
            let worst = try await store.worstOverdue(in: town, at: TinyCity.now, limit: 10)
            #expect(worst.map(\.id) == [first.id, second.id], "oldest due first")
            #expect(try await store.received(in: town, onDayOf: TinyCity.now) == 1, "the one reported today")
            #expect(
                try await store.received(in: town, since: Self.at(minutes: -10 * 24 * 60 - 1), before: Self.at(minutes: -6 * 24 * 60)) == 2,
                "the two reported ten days ago, not the later ones")
            #expect(worst.allSatisfy { $0.createdAt < TinyCity.now }, "each with the day it was reported, for its number")
        }
    }

    /// After the demo's bulk import every count per village equals a recount over the stored
    /// cases and events, and the received per month equals the cases' report months.
    @Test(arguments: TestDatabases.kinds)
    func theLedgerOfAnImportEqualsARecountOfTheRecord(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            _ = try await DemoCity.build(into: database, size: .tiny, cases: 1500, now: TinyCity.now)
            let directory = try await SQLHierarchyStore(database: database).loadDirectory()
            let store = SQLFigureStore(database: database)
            let villages = directory.areas.values.filter { $0.level == .village }.map(\.id)
            let all = FigureMonth(year: 2000, month: 1)...FigureMonth(year: 2100, month: 12)
            let ledger = try await store.monthly(areaIDs: villages, months: all).mapValues { months in
                months.values.reduce(into: FigureTotals()) { $0.add($1) }
            }
            let recount = try await Self.recount(database)
            #expect(recount.count == villages.count)
            for village in villages {
                let stored = try #require(ledger[village])
                let counted = try #require(recount[village])
                for count in FigureCount.allCases where count != .open {
                    #expect(stored[count] == counted[count], "\(count) in village \(village)")
                }
                for level in AdminLevel.allCases {
                    #expect(stored[.closed, level.rawValue] == counted[.closed, level.rawValue])
                }
                for platform in Platform.allCases {
                    #expect(stored[.dispatched, platform.rawValue] == counted[.dispatched, platform.rawValue])
                }
                for rating in Rating.allCases {
                    #expect(stored[.rated, rating.rawValue] == counted[.rated, rating.rawValue])
                }
                for channel in Channel.allCases {
                    #expect(stored[.received, channel.rawValue] == counted[.received, channel.rawValue])
                    #expect(stored[.handled, channel.rawValue] == counted[.handled, channel.rawValue])
                }
            }
            #expect(ledger.values.reduce(0) { $0 + $1[.received] } == 1500)
            #expect(ledger.values.reduce(0) { $0 + $1[.closed] } > 0, "the demo's history closes cases")
            let open = try await store.open(areaIDs: villages)
            let openCounted = try await Self.openCases(database)
            #expect(open.filter { $0.value != 0 } == openCounted)
            #expect(
                try await store.open(areaIDs: villages, through: all.upperBound) == open,
                "the stock kept over all time equals its months' changes added up")
            // As on a database kept before the stock over all time: counted from the months alone.
            let openCasesNow = try #require(Migrator.all.first { $0.name == "038_open_cases_now" })
            try await database.transaction { db in
                try await db.delete(from: "figure_ledger").where("month", .equal, 0).run()
                try await openCasesNow.prepare(on: db)
            }
            #expect(try await store.open(areaIDs: villages) == open)

            // Months: the received per month of the city equal the cases' report months.
            let cityID = try #require(directory.areas.values.first { $0.level == .city }).id
            let cityMonthly = try #require(try await store.monthly(areaIDs: [cityID], months: all)[cityID])
            let created = try await database.reader.select().column("created_at").from("cases")
                .all(decodingColumn: "created_at", as: Int64.self)
            let byMonth = Dictionary(grouping: created) { FigureMonth(Date(millisecondsSince1970: $0), in: FigureMonth.cityTimeZone) }
                .mapValues(\.count)
            #expect(cityMonthly.mapValues { $0[.received] }.filter { $0.value != 0 } == byMonth)
            // A month's own closed cases are booked in the month they were reported, whenever closed.
            let closedCreated = try await database.reader.select().column("created_at").from("cases")
                .where("status", .in, [CaseStatus.closed.rawValue, CaseStatus.archived.rawValue])
                .all(decodingColumn: "created_at", as: Int64.self)
            let closedByReportMonth = Dictionary(grouping: closedCreated) {
                FigureMonth(Date(millisecondsSince1970: $0), in: FigureMonth.cityTimeZone)
            }.mapValues(\.count)
            #expect(cityMonthly.mapValues { $0[.closedOfReported] }.filter { $0.value != 0 } == closedByReportMonth)
            #expect(cityMonthly.values.allSatisfy { ($0.closureRate ?? 0) <= 1 }, "no month closes more of its own than it accepted")
        }
    }

    /// Every flow count per village, by SQL over `cases` and `case_events` alone.
    static func recount(_ database: OneGridDatabase) async throws -> [Int64: FigureTotals] {
        struct Row: Decodable {
            var village: Int64
            var dimension: String?
            var value: Int
        }
        let from = "FROM case_events e JOIN cases c ON c.id = e.case_id"
        let accepted = "e.action = 'accept' OR (e.action = 'solveOnSpot' AND e.from_status = 'reported')"
        let handled = "e.action = 'solveOnSpot' OR (e.action = 'feedBack' AND NOT EXISTS (SELECT 1 FROM case_events f "
            + "WHERE f.case_id = e.case_id AND f.action = 'verifyFail' AND f.sequence < e.sequence))"
        // Over all months, a report month's own steps add up to the same as the steps' months.
        let queries: [(FigureCount, String, String)] = [
            (.received, "c.channel", "e.action = 'report'"),
            (.accepted, "''", accepted),
            (.acceptedOfReported, "''", accepted),
            (.rejected, "''", "e.action = 'reject'"),
            (.guided, "''", "e.action = 'guide'"),
            (.merged, "''", "e.action = 'merge'"),
            (.dispatched, "c.platform", "e.action IN ('dispatch', 'dualDispatch', 'jointDispatch')"),
            (.handled, "c.channel", handled),
            (.handledOfReported, "c.channel", handled),
            (.verified, "''", "e.action IN ('verifyPass', 'verifyFail')"),
            (.reworked, "''", "e.action = 'verifyFail'"),
            (.closed, "COALESCE(c.final_level, '')", "e.action = 'close'"),
            (.closedOfReported, "''", "e.action = 'close'"),
            (.closedOnTime, "''", "e.action = 'close' AND c.handled_at <= c.due_at"),
            (.rated, "COALESCE(c.rating, '')", "e.action = 'rate'"),
            (.returned, "''", "e.action = 'return'"),
            (.escalated, "''", "e.action = 'escalate'"),
        ]
        var totals: [Int64: FigureTotals] = [:]
        for (count, dimension, condition) in queries {
            // The test's own constants, never input.
            // PostgreSQL refuses a constant in GROUP BY.
            let sql = "SELECT c.village_id AS village, \(dimension) AS dimension, COUNT(*) AS value \(from) "
                + "WHERE \(condition) GROUP BY c.village_id" + (dimension == "''" ? "" : ", \(dimension)")
            let rows = try await database.reader.raw(SQLQueryString(stringLiteral: sql)).all(decoding: Row.self)
            for row in rows { totals[row.village, default: FigureTotals()].add(count, row.dimension ?? "", row.value) }
        }
        return totals
    }

    static func openCases(_ database: OneGridDatabase) async throws -> [Int64: Int] {
        struct Row: Decodable {
            var village: Int64
            var value: Int
        }
        let open = CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)
        let rows = try await database.reader.select().column(SQLColumn("village_id"), as: "village")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "value")
            .from("cases").where("status", .in, open).groupBy("village_id").all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.village, $0.value) })
    }
}
