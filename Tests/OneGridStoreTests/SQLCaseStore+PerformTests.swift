import Foundation
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// `perform`: one step, one transaction: the case, its assists and one chained event, or nothing.
@Suite struct CasePerformTests {
    static let later = TinyCity.now.addingTimeInterval(3_600)

    @Test(arguments: TestDatabases.kinds)
    func aStepWritesTheStatusAnEventAndTheNextLink(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let reported = try await city.report()
            let dispatcher = try await city.principal("village1")
            let accepted = try await city.act(.accept, on: reported.id, as: "village1", input: CaseActionInput(note: "已受理"), at: Self.later)

            #expect(accepted.file.status == .accepted)
            #expect(accepted.file.version == 2)
            #expect(accepted.file.acceptedAt == Self.later)
            #expect(accepted.updatedAt == Self.later)
            #expect(accepted.eventCount == 2)
            #expect(try await city.cases.record(id: reported.id) == accepted, "what perform returns is what is stored")

            let timeline = try await city.cases.timeline(caseID: reported.id)
            #expect(timeline.count == 2)
            let step = try #require(timeline.last)
            #expect(step.event.sequence == 2)
            #expect(step.event.action == .accept)
            #expect(step.event.fromStatus == .reported)
            #expect(step.event.toStatus == .accepted)
            #expect(step.event.actorUserID == dispatcher.user.id)
            #expect(step.event.actorPostID == dispatcher.post.id)
            #expect(step.event.actorRole == .dispatcher)
            #expect(step.event.at == Self.later)
            #expect(step.event.note == "已受理")
            #expect(step.event.previousHash == timeline[0].hash)
            #expect(step.hash == TimelineHasher.hash(step.event))
        }
    }

    /// The README's walkthrough, rework included: every field the steps set survives the store.
    @Test(arguments: TestDatabases.kinds)
    func theWholeFlowIsStoredStepByStep(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            let worker = try await city.principal("gridworker1")
            let handler = try await city.principal("handler.village1")
            let steps: [(CaseAction, String, CaseActionInput)] = [
                (.accept, "village1", CaseActionInput()),
                (.dualDispatch, "village1", CaseActionInput(watcherUserID: worker.user.id)),
                (.start, "handler.village1", CaseActionInput()),
                (.feedBack, "handler.village1", CaseActionInput(note: "已更换灯泡", evidence: ["photo:1.jpg", "photo:2.jpg"])),
                (.verifyFail, "gridworker1", CaseActionInput(note: "还有一盏不亮")),
                (.feedBack, "handler.village1", CaseActionInput(note: "已全部修复")),
                (.verifyPass, "gridworker1", CaseActionInput()),
                (.rate, "citizen1", CaseActionInput(rating: .satisfied)),
                (.close, "village1", CaseActionInput()),
                (.archive, "village1", CaseActionInput()),
            ]
            var record = try #require(try await city.cases.record(id: id))
            for (minute, (action, username, input)) in steps.enumerated() {
                record = try await city.act(
                    action, on: id, as: username, input: input, at: TinyCity.now.addingTimeInterval(Double(minute + 1) * 60))
            }

            #expect(record.file.status == .archived)
            #expect(record.file.version == steps.count + 1)
            #expect(record.file.departmentID == handler.post.departmentID)
            #expect(record.file.watcherUserID == worker.user.id)
            #expect(record.file.reworkCount == 1)
            #expect(record.file.finalLevel == .village)
            #expect(record.file.rating == .satisfied)
            #expect(record.file.closedAt == TinyCity.now.addingTimeInterval(9 * 60))
            #expect(try await city.cases.record(id: id) == record)

            let timeline = try await city.cases.timeline(caseID: id)
            #expect(timeline.map(\.event.action) == [.report] + steps.map(\.0))
            #expect(timeline.map(\.event.sequence) == Array(1...steps.count + 1))
            for (earlier, later) in zip(timeline, timeline.dropFirst()) {
                #expect(later.event.previousHash == earlier.hash)
                #expect(later.event.fromStatus == earlier.event.toStatus)
            }
            #expect(timeline[4].event.details["evidence"] == "photo:1.jpg\nphoto:2.jpg")
            #expect(timeline[8].event.details["rating"] == "satisfied")
        }
    }

    /// 吹哨报到 through the store: the assists are rows of their own, updated as each reports and
    /// removed when the case goes back.
    @Test(arguments: TestDatabases.kinds)
    func jointHandlingKeepsItsAssists(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report("market.food", title: "农贸市场售卖过期食品").id
            let town = try #require(city.grids.first.flatMap { city.directory.path(ofGrid: $0.id) }).town
            let police = try #require(city.directory.department(kind: "police", areaID: town))
            let enforcement = try #require(city.directory.department(kind: "enforcement", areaID: town))
            let townArea = try #require(city.directory.areas[town])
            _ = try await city.addUser(id: 1_000_001, username: "test.police", role: .departmentHandler, area: townArea, department: police)
            _ = try await city.addUser(
                id: 1_000_002, username: "test.enforcement", role: .departmentHandler, area: townArea, department: enforcement)

            try await city.act(.accept, on: id, as: "town1")
            let assigned = try await city.act(
                .jointDispatch, on: id, as: "town1", input: CaseActionInput(assistingDepartmentIDs: [police.id, enforcement.id]))
            #expect(assigned.file.assists.map(\.departmentID).sorted() == [police.id, enforcement.id].sorted())
            #expect(try await city.cases.record(id: id)?.file.assists == assigned.file.assists)
            #expect(try await city.count("case_assists", where: id) == 2)

            try await city.act(.start, on: id, as: "handler.town1.market")
            let early = await #expect(throws: DomainError.self) {
                try await city.act(.feedBack, on: id, as: "handler.town1.market", input: CaseActionInput(note: "已查扣"))
            }
            #expect(early?.code == .notAllowedInState)

            try await city.act(.reportAssist, on: id, as: "test.police", at: Self.later)
            let stored = try #require(try await city.cases.record(id: id))
            #expect(stored.file.assists.first { $0.departmentID == police.id }?.reportedAt == Self.later)
            #expect(stored.file.assists.first { $0.departmentID == enforcement.id }?.reportedAt == nil)

            try await city.act(.reportAssist, on: id, as: "test.enforcement")
            let handled = try await city.act(.feedBack, on: id, as: "handler.town1.market", input: CaseActionInput(note: "已查扣并立案"))
            #expect(handled.file.status == .handled)
            #expect(handled.file.finalLevel == .town)

            // Sent back after a failed check, then returned as not theirs: the assists go with it.
            try await city.act(.verifyFail, on: id, as: "town1", input: CaseActionInput(note: "仍在售卖"))
            let returned = try await city.act(.return, on: id, as: "handler.town1.market", input: CaseActionInput(note: "应由执法中队主办"))
            #expect(returned.file.assists.isEmpty)
            #expect(try await city.count("case_assists", where: id) == 0)
        }
    }

    // MARK: Concurrency

    @Test(arguments: TestDatabases.kinds)
    func ofTwoStepsAtOnceExactlyOneWins(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            for round in 0..<3 {
                let id = try await city.report(title: "第\(round)次").id
                let outcomes = await withTaskGroup(of: Result<CaseRecord, any Error>.self) { group in
                    group.addTask {
                        await outcome { try await city.act(.accept, on: id, as: "village1", expectedVersion: 1) }
                    }
                    group.addTask {
                        await outcome {
                            try await city.act(.reject, on: id, as: "town1", input: CaseActionInput(note: "无效举报"), expectedVersion: 1)
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let winners = outcomes.compactMap { try? $0.get() }
                let losers = outcomes.compactMap { outcome -> DomainError? in
                    guard case .failure(let error) = outcome else { return nil }
                    return error as? DomainError
                }
                #expect(winners.count == 1, "round \(round): \(outcomes)")
                #expect(losers.count == 1, "round \(round): \(outcomes)")
                #expect(losers.first?.code == .versionConflict)
                #expect(losers.first?.currentVersion == 2)
                let stored = try #require(try await city.cases.record(id: id))
                #expect(stored == winners.first)
                #expect(try await city.cases.timeline(caseID: id).count == 2)
            }
        }
    }

    /// On PostgreSQL two writers can read the same version at once; the version guard of the
    /// UPDATE must then turn the later one away. Here a transaction holds the case's row after
    /// changing it, a step reads the old version and blocks on the row, and loses when it commits.
    @Test(.enabled(if: TestDatabases.kinds.contains(.postgres)))
    func aStepThatReadAnOlderVersionLosesAtTheWrite() async throws {
        try await TinyCity.with(.postgres) { city in
            let id = try await city.report().id
            struct StepNeverBlocked: Error {}
            let step = try await city.database.transaction { db in
                try await db.raw("UPDATE cases SET version = version + 1 WHERE id = \(bind: id)").run()
                let step = Task { try await city.act(.accept, on: id, as: "village1") }
                // Wait until the step's UPDATE is queued behind this transaction's row lock.
                var waited = 0
                while try await Self.lockWaits(city.database) == 0 {
                    guard waited < 200 else { throw StepNeverBlocked() }
                    try await Task.sleep(for: .milliseconds(50))
                    waited += 1
                }
                return step
            }
            let error = await #expect(throws: DomainError.self) { try await step.value }
            #expect(error?.code == .versionConflict)
            #expect(error?.currentVersion == 2)
            #expect(try await city.cases.timeline(caseID: id).count == 1)
            #expect(try await city.cases.record(id: id)?.file.status == .reported)
        }
    }

    static func lockWaits(_ database: OneGridDatabase) async throws -> Int {
        try await database.reader.raw(
            "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    // MARK: Nothing written

    @Test(arguments: TestDatabases.kinds)
    func aDecisionThatThrowsWritesNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            let before = try await city.act(.accept, on: id, as: "village1")
            let actor = try await city.principal("village1")

            let refused = await #expect(throws: DomainError.self) {
                try await city.act(.start, on: id, as: "village1", at: Self.later)
            }
            #expect(refused?.code == .notAllowedInState)
            struct Interrupted: Error {}
            await #expect(throws: Interrupted.self) {
                try await city.cases.perform(caseID: id, expectedVersion: nil, by: actor, at: Self.later) { _ in throw Interrupted() }
            }

            #expect(try await city.cases.record(id: id) == before, "version, status and updatedAt unchanged")
            #expect(try await city.cases.timeline(caseID: id).count == 2)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aStaleVersionIsRefusedBeforeDeciding(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            try await city.act(.accept, on: id, as: "village1")
            let actor = try await city.principal("village1")
            let decided = Flag()
            let error = await #expect(throws: DomainError.self) {
                try await city.cases.perform(caseID: id, expectedVersion: 1, by: actor, at: Self.later) { file in
                    decided.raise()
                    return try CaseWorkflow.decide(
                        .reject, on: file, input: CaseActionInput(note: "重复"), by: actor.post, context: CaseActionContext(now: Self.later))
                }
            }
            #expect(error?.code == .versionConflict)
            #expect(error?.currentVersion == 2)
            #expect(error?.message.contains("accepted") == true, "the refusal says what the case is now")
            #expect(!decided.isRaised)
            #expect(try await city.cases.record(id: id)?.file.status == .accepted)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func anUnknownCaseIsNotFound(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let actor = try await city.principal("village1")
            let error = await #expect(throws: DomainError.self) {
                try await city.cases.perform(caseID: 404, expectedVersion: nil, by: actor, at: Self.later) { _ in
                    Issue.record("decided on a case that does not exist")
                    throw CancellationError()
                }
            }
            #expect(error?.code == .notFound)
            #expect(try await city.cases.record(id: 404) == nil)
        }
    }

    /// The event is written after the case: if it cannot be, the case must not move either.
    @Test(arguments: TestDatabases.kinds)
    func aWriteThatFailsHalfWayLeavesTheCaseAsItWas(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            let before = try await city.act(.accept, on: id, as: "village1")
            // An event already holding the next sequence makes the step's own event collide.
            try await city.database.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO case_events (case_id, sequence, action, to_status, at, details, previous_hash, hash)
                    VALUES (\(bind: id), 3, 'dispatch', 'assigned', 0, '{}', 'x', 'y')
                    """
                ).run()
            }
            await #expect(throws: (any Error).self) { try await city.act(.dispatch, on: id, as: "village1") }
            #expect(try await city.cases.record(id: id) == before)
        }
    }
}
