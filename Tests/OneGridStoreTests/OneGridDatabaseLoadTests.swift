import Foundation
import Logging
import OneGridDomain
@testable import OneGridStore
import SQLKit
import Synchronization
import Testing

/// Writes beside heavy reads: a write never waits behind them, a read past its time limit gives
/// up with its own error, and the dispatcher's lists are answered from indexes.
@Suite struct OneGridDatabaseLoadTests {
    /// A read that keeps a connection busy for seconds: counting to millions on SQLite (CPU, as a
    /// heavy figure does), a sleep on PostgreSQL (a connection held, as a long report does).
    static func slowRead(_ kind: OneGridDatabase.Kind) -> SQLQueryString {
        switch kind {
        case .sqlite: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) AS c FROM n"
        case .postgres: "SELECT 1 AS c FROM pg_sleep(3)"
        }
    }

    static func probeWrite(_ database: OneGridDatabase, _ value: Int) async throws {
        try await database.transaction { db in
            try await db.raw("INSERT INTO load_probe (value) VALUES (\(bind: value))").run()
        }
    }

    static func createProbe(_ database: OneGridDatabase) async throws {
        try await database.transaction { db in
            try await db.raw("CREATE TABLE load_probe (value INTEGER NOT NULL)").run()
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aWriteCompletesWhileFourSlowReadsRun(kind: OneGridDatabase.Kind) async throws {
        // The reads must end on their own however busy the machine: four counts to millions on
        // two shared cores can pass the default limit.
        try await TestDatabases.withDatabase(kind, migrated: false, readTimeLimit: .seconds(120)) { database in
            try await Self.createProbe(database)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await database.reader.raw(Self.slowRead(kind)).run() }
                }
                // Let the reads take their connections first.
                try await Task.sleep(for: .milliseconds(300))
                let started = ContinuousClock.now
                try await Self.probeWrite(database, 1)
                let took = ContinuousClock.now - started
                #expect(took < .seconds(2), "a write beside four slow reads took \(took)")
                try await group.waitForAll()
            }
            let count = try await database.reader.raw("SELECT count(*) AS c FROM load_probe").first(decodingColumn: "c", as: Int.self)
            #expect(count == 1)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aReadPastItsLimitAnswersReadTimedOutAndLocksNothing(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind, migrated: false, readTimeLimit: .milliseconds(200)) { database in
            try await Self.createProbe(database)
            let started = ContinuousClock.now
            await #expect(throws: ReadTimedOut.self) {
                try await database.reader.raw(Self.slowRead(kind)).run()
            }
            #expect(ContinuousClock.now - started < .seconds(2), "the caller waits no longer than the limit")
            // Nothing is locked: the next write lands, and reads are answered again.
            try await Self.probeWrite(database, 1)
            let count = try await database.reader.raw("SELECT count(*) AS c FROM load_probe").first(decodingColumn: "c", as: Int.self)
            #expect(count == 1)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func reportsTakeTurnsInTheirLaneAndLeaveTheReadersFree(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind, migrated: false, readTimeLimit: .seconds(120)) { database in
            try await Self.createProbe(database)
            // A report that holds the lane until told to finish.
            let (released, release) = AsyncStream<Void>.makeStream()
            let second = Flag()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await database.reportReader.withSession { db in
                        _ = try await db.raw("SELECT count(*) AS c FROM load_probe").all()
                        for await _ in released { break }
                    }
                }
                try await Task.sleep(for: .milliseconds(200))
                group.addTask {
                    _ = try await database.reportReader.raw("SELECT count(*) AS c FROM load_probe").all()
                    second.raise()
                }
                // All four readers serve the lists while the lane is held.
                try await withThrowingTaskGroup(of: Void.self) { lists in
                    for _ in 0..<4 {
                        lists.addTask { _ = try await database.reader.raw("SELECT count(*) AS c FROM load_probe").all() }
                    }
                    try await lists.waitForAll()
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(!second.isRaised, "a second report ran beside the first")
                release.yield()
                try await group.waitForAll()
                #expect(second.isRaised)
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aReportWaitingPastItsLimitAnswersReadTimedOut(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind, migrated: false, readTimeLimit: .milliseconds(300)) { database in
            try await Self.createProbe(database)
            await #expect(throws: ReadTimedOut.self) {
                try await database.reportReader.raw(Self.slowRead(kind)).run()
            }
            // A write never waits for the lane, which serves again once the runaway read ends
            // (SQLite's statement runs to its end; asks meanwhile time out in their turn).
            try await Self.probeWrite(database, 1)
            var count: Int?
            for _ in 0..<100 where count == nil {
                do {
                    count = try await database.reportReader.raw("SELECT count(*) AS c FROM load_probe").first(decodingColumn: "c", as: Int.self)
                } catch is ReadTimedOut {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(count == 1)
        }
    }

    @Test func theReportsLaneRestsInProportionToItsReadsOnlyWhileWritesCome() {
        let busy = Pacing(share: 0.25, writesUnderWay: { true })
        #expect(busy.rest(after: .milliseconds(100)) == .milliseconds(300))
        #expect(busy.rest(after: .seconds(10)) == .seconds(2), "a long report delays the next by at most two seconds")
        #expect(Pacing(share: 0.25, writesUnderWay: { false }).rest(after: .milliseconds(100)) == nil)
    }

    #if os(Linux)
    /// An export's formatting runs only on time the requests' threads leave: a thread niced to 10
    /// kept its core for the rest of its slice when intake's threads woke.
    @Test func theReportsLaneRunsOnlyOnTimeTheOthersLeave() async {
        let policy = await withTaskExecutorPreference(ReportsExecutor.shared) { sched_getscheduler(0) }
        #expect(policy == idleSchedulingPolicy)
        #expect(sched_getscheduler(0) != idleSchedulingPolicy, "the test's own thread is not idle-scheduled")
    }
    #endif

    /// PostgreSQL's lane cannot be given a lower priority: it yields to writes by resting.
    @Test(arguments: TestDatabases.kinds.filter { $0 == .postgres })
    func onPostgreSQLAReportBesideWritesLeavesTheLaneRestingBeforeTheNext(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind, migrated: false, readTimeLimit: .seconds(30)) { database in
            func nextReportWaits() async throws -> Duration {
                try await database.reportReader.raw("SELECT 1 AS c FROM pg_sleep(0.2)").run()
                let asked = ContinuousClock.now
                _ = try await database.reportReader.raw("SELECT 1 AS c").all()
                return ContinuousClock.now - asked
            }
            try await Self.createProbe(database)
            // Rests three times the 0.2 s read (a quarter of the lane's time is for reading).
            let besideWrites = try await nextReportWaits()
            #expect(besideWrites >= .milliseconds(500), "the next report waited only \(besideWrites)")
            try await Task.sleep(for: .milliseconds(1_200))
            let alone = try await nextReportWaits()
            #expect(alone < besideWrites, "without writes the lane reads without pause (\(alone))")
        }
    }

    final class Flag: Sendable {
        private let raised = Atomic<Bool>(false)
        var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
        func raise() { raised.store(true, ordering: .sequentiallyConsistent) }
    }

    /// Each list a dispatcher opens, by the index it should be read from.
    static let listsAndIndexes: [(name: String, index: String, query: @Sendable (inout CaseQuery, Int64) -> Void, within: AdminLevel)] = [
        ("overdue, city-wide", "cases_open_by_due", { query, _ in query.overdue = true }, .city),
        ("overdue, a county", "cases_open_county_due", { query, _ in query.overdue = true }, .county),
        ("a status", "cases_status_id", { query, _ in query.statuses = [.reported] }, .city),
        // A status few cases hold, within a town: not the town's every case newest first.
        ("a status in a town", "cases_status_id", { query, _ in query.statuses = [.accepted] }, .town),
        ("a category", "cases_category_id_id", { query, _ in query.categoryIDs = [1] }, .city),
        ("a department", "cases_department_id_id", { query, _ in query.departmentID = 1 }, .city),
        ("an area", "cases_county_id_id", { query, county in query.area = (level: .county, id: county) }, .city),
        ("most urgent first, city-wide", "cases_open_by_due", { query, _ in query.order = .urgent }, .city),
        ("most urgent first, a county", "cases_open_county_due", { query, _ in query.order = .urgent }, .county),
        // A town dispatcher's queue, its statuses most urgent first, and the town's overdue.
        ("a town's queue, most urgent first", "cases_open_town_due", { query, _ in query.order = .urgent; query.statuses = [.reported, .accepted, .assigned] }, .town),
        ("overdue, a town", "cases_open_town_due", { query, _ in query.overdue = true }, .town),
        ("text", "case_search", { query, _ in query.text = "路灯不亮" }, .city),
        // Open311's requests: a report-time window, latest reported first.
        ("latest reported", "cases_created_at_id", { query, _ in query.reportedWindow() }, .city),
        ("latest reported, a service", "cases_category_created", { query, _ in query.reportedWindow(); query.categoryIDs = [1] }, .city),
        ("latest reported, open", "cases_open_created", { query, _ in query.reportedWindow(); query.statuses = CaseStatus.allCases.filter(\.isOpen) }, .city),
        // The open cases alike one at hand (`CaseReading.alike`): its grid, category and week.
        ("alike", "cases_open_grid_category", { query, _ in query = .alike(gridID: 1, categoryID: 1, around: TinyCity.now) }, .city),
    ]

    /// On an empty table PostgreSQL reads a list of several equalities from the index of any one
    /// of them: all read a few rows.
    static let postgresAlternatives: [String: [String]] = [
        "alike": ["cases_category_id_id", "cases_category_created", "cases_grid_id_id"], "a status in a town": ["cases_town_id_id"],
    ]

    @Test(arguments: TestDatabases.kinds)
    func theDispatchersListsUseAnIndex(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let path = city.directory.path(ofGrid: city.grids[0].id)!
            let store = city.cases
            for list in Self.listsAndIndexes {
                var query = CaseQuery()
                list.query(&query, path.county)
                let listed = query
                let scope: CaseScope = .area(level: list.within, id: path[list.within])
                let plan = try await city.database.transaction { db in
                    // The query `list` reads: one arm per status where it merges them, else the one select.
                    let select: any SQLExpression = try store.statusByStatus(listed, scope: scope, now: TinyCity.now, on: db)
                        ?? #require(store.listSelect(listed, scope: scope, now: TinyCity.now, on: db)).query
                    switch kind {
                    case .sqlite:
                        return try await db.raw("EXPLAIN QUERY PLAN \(select)")
                            .all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
                    case .postgres:
                        // A handful of rows: without this the planner rightly reads the table whole.
                        try await db.raw("SET LOCAL enable_seqscan = off").run()
                        return try await db.raw("EXPLAIN \(select)")
                            .all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
                    }
                }
                // PostgreSQL has no statistics to write ahead (SQLite's come with migration 012):
                // on this empty table open cases cost the same read from any partial index of
                // them (the county's, the city's by due time or by report time), and it takes
                // any. All read only open cases.
                let openCaseIndexes = ["cases_open_by_due", "cases_open_county_due", "cases_open_town_due", "cases_open_created", "cases_open_grid_category"]
                var readFrom = kind == .postgres && openCaseIndexes.contains(list.index) ? openCaseIndexes : [list.index]
                if kind == .postgres { readFrom += Self.postgresAlternatives[list.name] ?? [] }
                #expect(readFrom.contains { plan.contains($0) }, "\(list.name) on \(kind): \(plan)")
                // Walking an index in order up to a page is fine; reading the table whole never is.
                let scansTheTable = plan.split(separator: "\n").contains { line in
                    line.hasSuffix("SCAN cases") || line.contains("Seq Scan on cases")
                }
                #expect(!scansTheTable, "\(list.name) on \(kind): \(plan)")
                // The open cases alike are read a page of the index in its order, not every match sorted.
                if list.name == "alike", kind == .sqlite { #expect(!plan.contains("TEMP B-TREE"), "alike on sqlite: \(plan)") }
            }
            // A grid's list on several statuses is one query: an arm per status would walk the
            // grid's cases once per status.
            var gridList = CaseQuery()
            gridList.area = (level: .grid, id: city.grids[0].id)
            gridList.statuses = [.reported, .accepted, .assigned]
            #expect(store.statusByStatus(gridList, scope: .area(level: .city, id: path[.city]), now: TinyCity.now, on: city.database.reader) == nil)
        }
    }
}

extension OneGridDatabaseLoadTests {
    /// A dispatcher's queue, its open statuses most urgent first, states the open cases'
    /// condition for SQLite, which uses the partial indexes only then, and not for PostgreSQL,
    /// whose planner proves it from the statuses and, told it again, expects a hundredth of the
    /// rows and sorts them all (173 ms instead of 0.7 ms at 10,000,000 cases).
    @Test(arguments: TestDatabases.kinds)
    func aQueueOfOpenStatusesStatesTheOpenConditionOnlyWhereItIsNeeded(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            var query = CaseQuery()
            query.order = .urgent
            query.statuses = [.reported, .accepted, .handled, .verified, .rated]
            var mixed = query
            mixed.statuses.append(.closed)
            let scope = CaseScope.area(level: .city, id: city.directory.path(ofGrid: city.grids[0].id)![.city])
            func text(of expression: any SQLExpression) -> String {
                var serializer = SQLSerializer(database: city.database.reader)
                expression.serialize(to: &serializer)
                return serializer.sql
            }
            func sql(_ query: CaseQuery) throws -> String {
                text(of: try #require(city.cases.listSelect(query, scope: scope, now: TinyCity.now, on: city.database.reader)).select)
            }
            let condition = text(of: OpenCases.predicate)
            let openOnly = try sql(query)
            #expect(openOnly.contains(condition) == (kind == .sqlite), "\(kind): \(openOnly)")
            // A closed status among them: the urgent order still keeps to the open cases.
            let withClosed = try sql(mixed)
            #expect(withClosed.contains(condition), "\(kind): \(withClosed)")
            let reported = try await city.report()
            let page = try await city.cases.list(query, scope: scope, now: TinyCity.now)
            #expect(page.cases.map(\.id) == [reported.id])
        }
    }
}

extension OneGridDatabaseLoadTests {
    /// A report read without pause beside a busy writer always held an older frame of SQLite's
    /// write-ahead log, which was then never reused from its start: the soak's log passed 27 GB.
    /// Past its limit it is truncated, the reports' lane waited for and held meanwhile.
    @Test func theWriteAheadLogIsTruncatedBesideReportsThatNeverPause() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-wal-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let limit: Int64 = 256 << 10
        let database = try await OneGridDatabase.openSQLite(
            path: path, readTimeLimit: .seconds(30), logger: Logger(label: "test"), walLimit: limit, walCheckEvery: 8)
        try await Self.createProbe(database)
        let done = Flag()
        let reports = Task {
            // Each read holds its snapshot of the table for a few milliseconds, one after another.
            while !done.isRaised {
                _ = try await database.reportReader.raw(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT (SELECT count(*) FROM load_probe) + count(*) AS c FROM n"
                ).all()
            }
        }
        var largest: Int64 = 0
        func logSize() -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.int64Value ?? 0
        }
        // About 8 MB of frames written in all, a page or more a commit.
        for value in 0..<2_000 {
            try await database.transaction { db in
                try await db.raw("INSERT INTO load_probe (value) VALUES (\(bind: value)), (\(bind: String(repeating: "x", count: 2_000)))").run()
            }
            largest = max(largest, logSize())
        }
        done.raise()
        _ = try? await reports.value
        try await database.shutdown()
        #expect(largest < 4 << 20, "the log grew to \(largest) bytes against a limit of \(limit)")
    }
}

extension OneGridDatabaseLoadTests {
    /// The command room's overdue per grid, read twice a second while a hotline is busy: from
    /// the few past due by due time, never by walking every open case in an index ordered by grid.
    @Test func theOverduePerGridAreReadByDueTime() async throws {
        try await TinyCity.with(.sqlite) { city in
            let plan = try await Self.sqlitePlan(in: city) { SQLFigureStore.overdueByGrid(at: TinyCity.now, on: $0) }
            #expect(plan.contains("cases_open_by_due (due_at<?)"), "\(plan)")
        }
    }

    /// SQLite's plan of the query `select` builds, a line a step.
    static func sqlitePlan(in city: TinyCity, of select: @escaping @Sendable (any SQLDatabase) -> SQLSelectBuilder) async throws -> String {
        try await city.database.transaction { db in
            try await db.raw("EXPLAIN QUERY PLAN \(select(db).query)")
                .all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
        }
    }
}

extension OneGridDatabaseLoadTests {
    /// The risk judgement's count of police incidents at households' addresses, every half minute:
    /// SQLite joins by nested loops, and without an index on the address it read every household
    /// against every incident (minutes at 100,000 demo cases, past the reports lane's limit).
    @Test func incidentsAtAddressesFindEachHouseholdByItsAddress() async throws {
        try await TinyCity.with(.sqlite) { city in
            let plan = try await Self.sqlitePlan(in: city) { SQLRiskStore.incidentsAtAddresses(since: TinyCity.now, on: $0) }
            #expect(plan.contains("households_address"), "\(plan)")
            #expect(!plan.split(separator: "\n").contains { $0.hasSuffix("SCAN households") }, "\(plan)")
        }
    }
}

extension OneGridDatabaseLoadTests {
    /// A count that runs for many seconds on SQLite, past any wait of these tests.
    static let runawayRead: SQLQueryString =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000000) SELECT count(*) AS c FROM n"

    /// `onegrid serve` stopped (SIGTERM) while a report given up at its limit still ran crashed
    /// at the end of its shutdown bound: closing waited for that statement, which SQLite was left
    /// to finish. Closing now leaves a busy reader to the process's end, and its writes are safe.
    @Test func closingDoesNotWaitForAReadGivenUpAtItsLimit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-close-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try await OneGridDatabase.open(path, readTimeLimit: .milliseconds(200))
        try await Self.createProbe(database)
        await #expect(throws: ReadTimedOut.self) { try await database.reportReader.raw(Self.runawayRead).run() }
        try await Self.probeWrite(database, 1)
        let started = ContinuousClock.now
        try await database.shutdown()
        #expect(ContinuousClock.now - started < .seconds(3), "closing waited for the runaway read")
        // What was written is in the file.
        let reopened = try await OneGridDatabase.open(path)
        let count = try await reopened.reader.raw("SELECT count(*) AS c FROM load_probe").first(decodingColumn: "c", as: Int.self)
        try await reopened.shutdown()
        #expect(count == 1)
    }

    /// A cancelled caller stops waiting for its read at once: a request gone, or a service
    /// told to stop, is not held until the read's time limit.
    @Test(arguments: TestDatabases.kinds)
    func aCancelledReadStopsWaitingAtOnce(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind, migrated: false, readTimeLimit: .seconds(60)) { database in
            let read = Task { try await database.reportReader.raw(Self.slowRead(kind)).run() }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            read.cancel()
            await #expect(throws: CancellationError.self) { try await read.value }
            #expect(ContinuousClock.now - started < .seconds(1))
            // A read asked for in a task cancelled already: its cancellation comes before it
            // waits, and it must still be answered (a server failing to start hung here).
            let late = Task {
                while !Task.isCancelled { await Task.yield() }
                try await database.reportReader.raw("SELECT 1 AS c").run()
            }
            late.cancel()
            await #expect(throws: CancellationError.self) { try await late.value }
        }
    }
}

extension CaseQuery {
    /// Open311's default: the last 90 days, latest reported first.
    fileprivate mutating func reportedWindow() {
        order = .reported
        createdBefore = TinyCity.now
        createdFrom = TinyCity.now.addingTimeInterval(-90 * 86_400)
    }
}

extension OneGridDatabaseLoadTests {
    /// The risk judgement reads the open disputes and petitions every half minute. Answered from
    /// the cases' side, SQLite walked every open case by status and held their row ids: 20 MB and
    /// 20 s a round at 822,000 open street-light reports, none of them a matter.
    @Test func theRiskRoundReadsTheMattersNotEveryOpenCase() async throws {
        try await TinyCity.with(.sqlite) { city in
            for table in ["disputes", "petitions"] {
                for coloured: Set<Int64> in [[], [1, 2]] {
                    let plan = try await Self.sqlitePlan(in: city) {
                        SQLRiskStore.matterCases(joining: table, extra: [], coloured: coloured, on: $0)
                    }
                    #expect(plan.contains("SCAN \(table)"), "\(plan)")
                    #expect(plan.contains("SEARCH cases USING INTEGER PRIMARY KEY"), "\(plan)")
                    #expect(!plan.contains("cases_status_id"), "\(plan)")
                }
            }
        }
    }

    /// The readers open before migrations run and load the schema's statistics then; rows
    /// written to sqlite_stat1 alone never reached them, and a server upgraded to migration 039
    /// went on walking every open case until it was restarted.
    @Test func statisticsAMigrationWritesReachTheReadersAlreadyOpen() async throws {
        try await TestDatabases.withDatabase(.sqlite, migrated: false) { database in
            try await Migrator(migrations: Array(Migrator.all.prefix { $0.name != Migration039MattersBesideCases().name })).migrate(database)
            let reader = database.reportReader
            func plan() async throws -> String {
                try await reader.raw("EXPLAIN QUERY PLAN \(SQLRiskStore.matterCases(joining: "petitions", extra: [], coloured: [], on: reader).query)")
                    .all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
            }
            let before = try await plan()
            #expect(before.contains("cases_status_id"), "\(before)")
            try await Migrator().migrate(database)
            // A statement that reads finds the schema changed and reloads it; an EXPLAIN reads nothing.
            _ = try await reader.raw("SELECT COUNT(*) AS n FROM petitions").all()
            let after = try await plan()
            #expect(after.contains("SCAN petitions"), "\(after)")
        }
    }
}
