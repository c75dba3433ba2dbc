import Foundation
import OneGridDomain
import OneGridStore
import Testing

/// `create`: cases land where routing sends them, each with its report event, once per retry key.
@Suite struct CaseIntakeTests {
    static let walkthroughCategories = [
        "service.streetlight", "market.food", "dispute.neighbour", "hazard.fire", "petition.appeal",
    ]

    @Test(arguments: TestDatabases.kinds)
    func aReportIsStoredWhereRoutingSendsIt(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let citizen = try await city.principal("citizen1")
            for (index, code) in Self.walkthroughCategories.enumerated() {
                let gridNumber = index % city.grids.count + 1
                let draft = try city.draft(code, inGrid: gridNumber, by: citizen)
                let intake = try #require(try await city.cases.create([draft]).first)
                let file = intake.record.file
                let category = try city.category(code)

                #expect(!intake.isReplay)
                #expect(file.areas == city.directory.path(ofGrid: city.grids[gridNumber - 1].id), "\(code)")
                #expect(file.areas == draft.routing.areas)
                #expect(file.handlingLevel == draft.routing.handlingLevel, "\(code)")
                #expect(file.handlingLevel == min(category.handlingLevel, .village), "at the category's level, a grid's at its village")
                #expect(file.handlingAreaID == file.areas[file.handlingLevel])
                #expect(file.suggestedDepartmentID == draft.routing.suggestedDepartmentID)
                let suggested = try #require(file.suggestedDepartmentID.flatMap { city.directory.departments[$0] }, "\(code)")
                #expect(suggested.kind == category.departmentKind)
                #expect(file.areas[suggested.level] == suggested.areaID, "the suggested department serves the place")
                #expect(file.status == .reported)
                #expect(file.version == 1)
                #expect(file.categoryID == category.id)
                #expect(file.reporterUserID == citizen.user.id)
                #expect(intake.record.platform == category.platform)
                #expect(intake.record.location == city.point(inGrid: gridNumber))
                #expect(intake.record.reporter.phone == citizen.user.phone, "a citizen reports as themselves")
                #expect(intake.record.createdAt == TinyCity.now)
                #expect(intake.record.dueAt == draft.dueAt)
                #expect(intake.record.eventCount == 1)
                #expect(try await city.cases.record(id: file.id) == intake.record, "what create returns is what is stored")
            }
            #expect(try await city.count("cases") == Self.walkthroughCategories.count)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func everyCaseStartsItsTimelineWithTheReport(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let worker = try await city.principal("gridworker1")
            let draft = try city.draft("service.streetlight", by: worker, channel: .gridWorker)
            let record = try await city.cases.create([draft])[0].record
            let timeline = try await city.cases.timeline(caseID: record.id)
            let report = try #require(timeline.first)
            #expect(timeline.count == 1)
            #expect(report.event.caseID == record.id)
            #expect(report.event.sequence == 1)
            #expect(report.event.action == .report)
            #expect(report.event.fromStatus == nil)
            #expect(report.event.toStatus == .reported)
            #expect(report.event.actorUserID == worker.user.id)
            #expect(report.event.actorPostID == worker.post.id)
            #expect(report.event.actorRole == .gridWorker)
            #expect(report.event.at == TinyCity.now)
            #expect(report.event.details["channel"] == "gridWorker")
            #expect(report.event.previousHash == TimelineEvent.genesisHash)
            #expect(report.hash == TimelineHasher.hash(report.event))
            #expect(record.reporter.userID == nil, "a grid worker reports for someone else")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aBatchCreatesEveryCaseInOrder(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let citizen = try await city.principal("citizen1")
            let drafts = try (1...4).map { try city.draft("service.streetlight", inGrid: $0, title: "第\($0)盏", by: citizen) }
            let intakes = try await city.cases.create(drafts)
            #expect(intakes.map(\.record.title) == drafts.map(\.title))
            let ids = intakes.map(\.record.id)
            #expect(ids == ids.sorted() && Set(ids).count == 4, "fresh, increasing ids: \(ids)")
            #expect(try await city.count("cases") == 4)
            #expect(try await city.count("case_events") == 4)
        }
    }

    /// A batch's writes go to PostgreSQL as one statement outside a transaction: a part that
    /// fails last (a foreign key, checked as the statement ends) must take every other part
    /// with it, as a rolled-back transaction does on SQLite.
    @Test(arguments: TestDatabases.kinds)
    func aBatchFailingInItsLastPartLeavesNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let citizen = try await city.principal("citizen1")
            var drafts = try (1...3).map { try city.draft("service.streetlight", inGrid: $0, by: citizen) }
            drafts[2].open311 = Open311Submission(keyID: 999_999, extras: Open311Extras(email: "a@example.org"))
            await #expect(throws: (any Error).self) { try await city.cases.create(drafts) }
            for table in ["cases", "case_events", "case_alerts", "figure_ledger", "deadline_ledger", "open311_requests"] {
                #expect(try await city.count(table) == 0, "\(table) keeps nothing of the failed batch")
            }
            let written = try await city.cases.create(Array(drafts.prefix(2)))
            #expect(written.count == 2, "the writer goes on after the failure")
            #expect(try await city.count("cases") == 2)
        }
    }

    // MARK: Idempotency keys

    @Test(arguments: TestDatabases.kinds)
    func aRetriedKeyReturnsTheFirstCase(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let hotline = try await city.principal("hotline")
            let first = try await city.cases.create([
                try city.draft("service.streetlight", title: "首次", by: hotline, channel: .hotline, idempotencyKey: "12345-0001")
            ])[0]
            let retry = try await city.cases.create([
                try city.draft("service.streetlight", title: "重试", by: hotline, channel: .hotline, idempotencyKey: "12345-0001")
            ])[0]
            #expect(!first.isReplay)
            #expect(retry.isReplay)
            #expect(retry.record == first.record, "the retry gets the first case back, unchanged")
            #expect(try await city.count("cases") == 1)
            #expect(try await city.count("case_events") == 1)

            // The key is the caller's: another user's same key is another case.
            let citizen = try await city.principal("citizen1")
            let other = try await city.cases.create([
                try city.draft("service.streetlight", by: citizen, idempotencyKey: "12345-0001")
            ])[0]
            #expect(!other.isReplay)
            #expect(other.record.id != first.record.id)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aKeyRepeatedInOneBatchCreatesOneCase(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let hotline = try await city.principal("hotline")
            let drafts = try ["A", "B", "A"].map {
                try city.draft("service.streetlight", title: $0, by: hotline, channel: .hotline, idempotencyKey: "key-\($0)")
            }
            let intakes = try await city.cases.create(drafts)
            #expect(intakes.map(\.isReplay) == [false, false, true])
            #expect(intakes[2].record.id == intakes[0].record.id)
            #expect(intakes[2].record.eventCount == 1)
            #expect(try await city.count("cases") == 2)
            #expect(try await city.cases.timeline(caseID: intakes[0].record.id).count == 1)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aKeySentFromSeveralTasksAtOnceCreatesOneCase(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let hotline = try await city.principal("hotline")
            let draft = try city.draft("service.streetlight", by: hotline, channel: .hotline, idempotencyKey: "burst")
            let intakes = try await withThrowingTaskGroup(of: Intake.self) { group in
                for _ in 0..<6 { group.addTask { try await city.cases.create([draft])[0] } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(intakes.map(\.record.id)).count == 1)
            #expect(intakes.filter { !$0.isReplay }.count == 1)
            #expect(try await city.count("cases") == 1)
            #expect(try await city.count("case_events") == 1)
        }
    }
}
