import Foundation
import OneGridDomain
import OneGridStore
import SQLKit
import Synchronization
import Testing

/// The deadline sweep's promise: every urge, supervision and escalation once per clock, with two
/// sweepers at once and after a sweep that died half-way.
@Suite struct CaseStoreSweepTests {
    static let planner = DeadlinePlanner(calendar: WorkCalendar())

    /// `count` street-light reports whose acceptance clocks run from `TinyCity.now`.
    static func reports(_ count: Int, in city: TinyCity) async throws -> [Int64] {
        let citizen = try await city.principal("citizen1")
        let drafts = try (0..<count).map { index in
            try city.draft("service.streetlight", title: "路灯不亮 \(index)", by: citizen)
        }
        return try await city.cases.create(drafts).map(\.record.id)
    }

    /// Long after every acceptance clock ran out.
    static let late = TinyCity.now.addingTimeInterval(30 * 86_400)

    static func alerts(of caseID: Int64, in city: TinyCity) async throws -> [CaseAction] {
        try await city.cases.timeline(caseID: caseID).map(\.event.action).filter { [.urge, .supervise, .escalate].contains($0) }
    }

    @Test(arguments: TestDatabases.kinds)
    func twoSweepersAtOnceActOncePerClock(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let ids = try await Self.reports(12, in: city)
            let categories = city.directory.categories
            async let first = city.cases.sweepDeadlines(now: Self.late, planner: Self.planner, categories: categories, batchSize: 5)
            async let second = city.cases.sweepDeadlines(now: Self.late, planner: Self.planner, categories: categories, batchSize: 5)
            let written = try await first + second
            #expect(written == ids.count * 2, "an urge and a supervision per acceptance clock")
            for id in ids {
                #expect(try await Self.alerts(of: id, in: city) == [.urge, .supervise])
            }
            #expect(try await city.cases.sweepDeadlines(now: Self.late, planner: Self.planner, categories: categories) == 0)
            #expect(try await city.cases.casesDueForAlert(at: Self.late, after: nil, limit: 100).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds, [Dying.Moment.beforeWriting, .afterCommitting])
    func aSweepThatDiesHalfWayIsFinishedOnceByTheNext(kind: OneGridDatabase.Kind, moment: Dying.Moment) async throws {
        try await TinyCity.with(kind) { city in
            let ids = try await Self.reports(6, in: city)
            let categories = city.directory.categories
            let dying = Dying(store: city.cases, diesOnCall: 2, moment: moment)
            await #expect(throws: Dying.Died.self) {
                try await dying.sweepDeadlines(now: Self.late, planner: Self.planner, categories: categories, batchSize: 2)
            }
            // A restarted server sweeps again.
            _ = try await city.cases.sweepDeadlines(now: Self.late, planner: Self.planner, categories: categories, batchSize: 2)
            for id in ids {
                #expect(try await Self.alerts(of: id, in: city) == [.urge, .supervise])
            }
        }
    }

    /// The sweeper's schedule (`case_alerts`) and each case row's next look, as pairs.
    static func nextLooks(in city: TinyCity) async throws -> (schedule: [Int64: Int64], rows: [Int64: Int64]) {
        struct Look: Decodable {
            var id: Int64
            var at: Int64
        }
        let schedule = try await city.database.reader.raw("SELECT case_id AS id, next_alert_at AS at FROM case_alerts")
            .all(decoding: Look.self)
        let rows = try await city.database.reader.raw("SELECT id, next_alert_at AS at FROM cases WHERE next_alert_at IS NOT NULL")
            .all(decoding: Look.self)
        return (Dictionary(uniqueKeysWithValues: schedule.map { ($0.id, $0.at) }), Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.at) }))
    }

    @Test(arguments: TestDatabases.kinds)
    func theScheduleFollowsEveryStep(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let ids = try await Self.reports(3, in: city)
            let category = try city.category("service.streetlight")
            func step(_ action: CaseAction, on id: Int64) async throws {
                try await city.act(action, on: id, as: "village1", input: CaseActionInput(note: "核实情况"))
            }
            var looks = try await Self.nextLooks(in: city)
            #expect(looks.schedule == looks.rows && Set(looks.schedule.keys) == Set(ids), "every new clock is scheduled")

            try await step(.accept, on: ids[0])  // a new handling clock: a new first look
            try await step(.suspend, on: ids[0])  // stopped: nothing to look at
            try await step(.reject, on: ids[1])  // closed: nothing to look at
            _ = try await city.cases.sweepDeadlines(now: Self.late, planner: Self.planner, categories: city.directory.categories)
            looks = try await Self.nextLooks(in: city)
            #expect(looks.schedule == looks.rows)
            #expect(looks.schedule.isEmpty, "urged and supervised, the acceptance clock has nothing left: \(looks)")

            try await step(.resume, on: ids[0])  // running again: scheduled again
            looks = try await Self.nextLooks(in: city)
            #expect(looks.schedule == looks.rows && Set(looks.schedule.keys) == [ids[0]])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aYellowClockIsUrgedAndNotYetSupervised(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try #require(try await Self.reports(1, in: city).first)
            let clock = try #require(try await city.cases.record(id: id)?.file.clock)
            let yellow = clock.yellowAt.addingTimeInterval(1)
            #expect(try await city.cases.sweepDeadlines(now: yellow, planner: Self.planner, categories: city.directory.categories) == 1)
            let file = try #require(try await city.cases.record(id: id)?.file)
            #expect(file.alertSent == .urge)
            #expect(file.nextAlertAt == clock.dueAt, "the next look is at the due time")
            #expect(try await Self.alerts(of: id, in: city) == [.urge])
            #expect(try await city.count("notifications", where: id) > 0, "the urge reached an inbox")
        }
    }
}

/// A case store whose sweep dies on its n-th batch, before writing it or right after it
/// committed: what a server killed in the middle of a sweep leaves behind.
struct Dying: CaseStore {
    enum Moment: Sendable, CaseIterable { case beforeWriting, afterCommitting }
    struct Died: Error {}

    let store: any CaseStore
    let diesOnCall: Int
    let moment: Moment
    private let calls = Counter()

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func next() -> Int { value.add(1, ordering: .relaxed).newValue }
    }

    init(store: any CaseStore, diesOnCall: Int, moment: Moment) {
        self.store = store
        self.diesOnCall = diesOnCall
        self.moment = moment
    }

    func applySystemSteps(_ steps: [SystemStep], at now: Date) async throws -> Int {
        let call = calls.next()
        if call == diesOnCall, moment == .beforeWriting { throw Died() }
        let written = try await store.applySystemSteps(steps, at: now)
        if call == diesOnCall { throw Died() }
        return written
    }

    func create(_ drafts: [CaseDraft]) async throws -> [Intake] { try await store.create(drafts) }
    func record(id: Int64) async throws -> CaseRecord? { try await store.record(id: id) }
    func list(_ query: CaseQuery, scope: CaseScope, now: Date) async throws -> CasePage {
        try await store.list(query, scope: scope, now: now)
    }
    func timeline(caseID: Int64) async throws -> [StoredEvent] { try await store.timeline(caseID: caseID) }
    func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date,
        decide: @escaping @Sendable (CaseFile) throws -> CaseTransition
    ) async throws -> CaseRecord {
        try await store.perform(caseID: caseID, expectedVersion: expectedVersion, by: actor, at: now, decide: decide)
    }
    func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date, idempotencyKey: String,
        decide: @escaping @Sendable (CaseFile) throws -> CaseTransition
    ) async throws -> (record: CaseRecord, isReplay: Bool) {
        try await store.perform(
            caseID: caseID, expectedVersion: expectedVersion, by: actor, at: now, idempotencyKey: idempotencyKey, decide: decide)
    }
    func casesDueForAlert(at now: Date, after cursor: AlertCursor?, limit: Int) async throws -> [CaseRecord] {
        try await store.casesDueForAlert(at: now, after: cursor, limit: limit)
    }
    func recordDisclosure(caseID: Int64, by actor: Principal, field: String, at now: Date) async throws {
        try await store.recordDisclosure(caseID: caseID, by: actor, field: field, at: now)
    }
    func disclosures(caseID: Int64) async throws -> [Disclosure] { try await store.disclosures(caseID: caseID) }
    func verifyTimelines() async throws -> (checkedCases: Int, findings: [AuditFinding]) { try await store.verifyTimelines() }
    func openCasesByStatus() async throws -> [CaseStatus: Int] { try await store.openCasesByStatus() }
}
