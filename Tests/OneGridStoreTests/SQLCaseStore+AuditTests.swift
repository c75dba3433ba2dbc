import Foundation
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// Timelines read back in the order the steps were taken, and `verifyTimelines` catches what a
/// person with database access might do to them. Disclosures of personal data are kept.
@Suite struct CaseAuditTests {
    /// A case taken through four steps (five events), with each step a minute apart.
    static func caseWithFiveEvents(_ city: TinyCity, title: String) async throws -> Int64 {
        let id = try await city.report(title: title).id
        let steps: [(CaseAction, String, CaseActionInput)] = [
            (.accept, "village1", CaseActionInput()),
            (.dispatch, "village1", CaseActionInput()),
            (.start, "handler.village1", CaseActionInput()),
            (.feedBack, "handler.village1", CaseActionInput(note: "已修复")),
        ]
        for (minute, (action, username, input)) in steps.enumerated() {
            try await city.act(action, on: id, as: username, input: input, at: TinyCity.now.addingTimeInterval(Double(minute + 1) * 60))
        }
        return id
    }

    @Test(arguments: TestDatabases.kinds)
    func theTimelineFollowsTheStepsNotTheClocks(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            // Two servers whose clocks disagree: the second step is stamped earlier than the first.
            try await city.act(.accept, on: id, as: "village1", at: TinyCity.now.addingTimeInterval(120))
            try await city.act(.dispatch, on: id, as: "village1", at: TinyCity.now.addingTimeInterval(60))
            let timeline = try await city.cases.timeline(caseID: id)
            #expect(timeline.map(\.event.action) == [.report, .accept, .dispatch])
            #expect(timeline.map(\.event.sequence) == [1, 2, 3])
            #expect(try await city.cases.timeline(caseID: 404).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func cleanTimelinesHaveNoFindings(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            for title in ["甲", "乙", "丙"] { _ = try await Self.caseWithFiveEvents(city, title: title) }
            _ = try await city.report(title: "只有上报")
            let audit = try await city.cases.verifyTimelines()
            #expect(audit.checkedCases == 4)
            #expect(audit.findings.isEmpty, "\(audit.findings)")
        }
    }

    /// One case left alone and one for each kind of tampering, all in one database: each finding
    /// names its case and event, and the clean case has none.
    @Test(arguments: TestDatabases.kinds)
    func tamperedTimelinesAreReported(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            var created: [String: Int64] = [:]
            for name in ["clean", "edited", "rehashed", "tailRemoved", "middleRemoved"] {
                created[name] = try await Self.caseWithFiveEvents(city, title: name)
            }
            let ids = created

            try await city.database.transaction { db in
                try await db.raw(
                    "UPDATE case_events SET note = \(bind: "已修复（改）") WHERE case_id = \(bind: ids["edited"]!) AND sequence = 5"
                ).run()
            }
            // A forger who recomputes the edited event's own hash still breaks the next link.
            let original = try #require(try await city.cases.timeline(caseID: ids["rehashed"]!).first { $0.event.sequence == 3 })
            var forged = original.event
            forged.details["departmentID"] = "999999"
            let forgedDetails = String(decoding: try JSONEncoder.sortedKeys.encode(forged.details), as: UTF8.self)
            let forgedHash = TimelineHasher.hash(forged)
            try await city.database.transaction { db in
                try await db.raw(
                    """
                    UPDATE case_events SET details = \(bind: forgedDetails), hash = \(bind: forgedHash)
                    WHERE case_id = \(bind: ids["rehashed"]!) AND sequence = 3
                    """
                ).run()
                try await db.raw("DELETE FROM case_events WHERE case_id = \(bind: ids["tailRemoved"]!) AND sequence = 5").run()
                try await db.raw("DELETE FROM case_events WHERE case_id = \(bind: ids["middleRemoved"]!) AND sequence = 3").run()
            }

            let audit = try await city.cases.verifyTimelines()
            #expect(audit.checkedCases == 5)
            let byCase = Dictionary(grouping: audit.findings, by: \.caseID)
            func findings(_ name: String) -> [AuditFinding] { byCase[ids[name]!] ?? [] }

            #expect(findings("clean").isEmpty)
            #expect(findings("edited").map(\.sequence) == [5])
            #expect(findings("edited").first?.problem.contains("edited") == true, "\(findings("edited"))")
            #expect(findings("rehashed").map(\.sequence) == [4], "the forged event itself hashes right")
            #expect(findings("rehashed").first?.problem.contains("chain broken") == true, "\(findings("rehashed"))")
            #expect(findings("tailRemoved").map(\.sequence) == [nil], "only the count on the case shows a lost tail")
            #expect(findings("tailRemoved").first?.problem.contains("5 events") == true, "\(findings("tailRemoved"))")
            #expect(findings("middleRemoved").map(\.sequence) == [3])
            #expect(findings("middleRemoved").first?.problem.contains("removed") == true, "\(findings("middleRemoved"))")
            #expect(audit.findings.count == 4)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func disclosuresAreRecordedPerCase(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            let other = try await city.report(title: "另一件").id
            let dispatcher = try await city.principal("village1")
            let hotline = try await city.principal("hotline")
            try await city.cases.recordDisclosure(caseID: id, by: dispatcher, field: "reporterPhone", at: TinyCity.now)
            try await city.cases.recordDisclosure(
                caseID: id, by: hotline, field: "reporterIDNumber", at: TinyCity.now.addingTimeInterval(30))

            let disclosures = try await city.cases.disclosures(caseID: id)
            #expect(disclosures.map(\.field) == ["reporterPhone", "reporterIDNumber"])
            #expect(disclosures.map(\.userID) == [dispatcher.user.id, hotline.user.id])
            #expect(disclosures.map(\.postID) == [dispatcher.post.id, hotline.post.id])
            #expect(disclosures.map(\.at) == [TinyCity.now, TinyCity.now.addingTimeInterval(30)])
            #expect(disclosures.allSatisfy { $0.caseID == id })
            #expect(try await city.cases.disclosures(caseID: other).isEmpty)
        }
    }
}

extension JSONEncoder {
    /// How the store writes an event's details: keys sorted.
    static let sortedKeys: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// A case row changed behind OneGrid's back, every event intact: replaying the timeline shows it.
@Suite struct CaseRowAuditTests {
    @Test(arguments: TestDatabases.kinds)
    func aRowThatDisagreesWithItsTimelineIsReported(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let closed = try await CaseAuditTests.caseWithFiveEvents(city, title: "被改成已结")
            let reassigned = try await CaseAuditTests.caseWithFiveEvents(city, title: "被换了部门")
            let clean = try await CaseAuditTests.caseWithFiveEvents(city, title: "没动过")
            #expect(try await city.cases.verifyTimelines().findings.isEmpty)
            try await city.database.transaction { db in
                try await db.raw("UPDATE cases SET status = 'closed', version = 9 WHERE id = \(bind: closed)").run()
                try await db.raw("UPDATE cases SET department_id = 999999 WHERE id = \(bind: reassigned)").run()
            }
            let audit = try await city.cases.verifyTimelines()
            let byCase = Dictionary(grouping: audit.findings, by: \.caseID)
            #expect(byCase[clean] == nil)
            #expect(byCase[closed]?.map(\.problem) == [
                "the case is closed but its timeline ends handled", "the case is at version 9 but its timeline gives 5",
            ])
            #expect(byCase[reassigned]?.count == 1)
            #expect(byCase[reassigned]?.first?.problem.contains("department 999999") == true, "\(audit.findings)")
        }
    }
}
