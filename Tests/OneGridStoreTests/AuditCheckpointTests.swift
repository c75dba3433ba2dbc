import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// Signed checkpoints of every chain's head: a timeline rewritten and re-hashed after one was
/// saved verifies on its own, but no longer passes through the signed head.
@Suite struct AuditCheckpointTests {
    /// Rewrites a case's timeline from `sequence` on as a forger with the database's password
    /// would: the event's note changed, every hash after it recomputed, the case's head updated.
    static func rehash(_ caseID: Int64, from sequence: Int, note: String, city: TinyCity) async throws {
        var previous = TimelineEvent.genesisHash
        var events: [StoredEvent] = []
        for stored in try await city.cases.timeline(caseID: caseID) {
            var event = stored.event
            if event.sequence == sequence { event.note = note }
            event.previousHash = previous
            let sealed = TimelineHasher.seal(event)
            events.append(sealed)
            previous = sealed.hash
        }
        let rewritten = events
        try await city.database.transaction { db in
            for stored in rewritten {
                try await db.update("case_events").set("note", to: SQLBind(stored.event.note)).set("previous_hash", to: SQLBind(stored.event.previousHash))
                    .set("hash", to: SQLBind(stored.hash)).where("case_id", .equal, caseID).where("sequence", .equal, stored.event.sequence).run()
            }
            try await db.update("cases").set("last_hash", to: SQLBind(rewritten.last?.hash)).where("id", .equal, caseID).run()
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aChainRehashedAfterACheckpointIsReported(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-checkpoints-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let keyPath = folder.appendingPathComponent("key/audit.key").path
            let rewritten = try await CaseAuditTests.caseWithFiveEvents(city, title: "改写")
            let untouched = try await CaseAuditTests.caseWithFiveEvents(city, title: "不动")
            try await city.services.deadlineSettings.setYellowShare(0.7, by: try await city.principal("admin"))

            let checkpoints = try AuditCheckpoints(database: city.database, keyPath: keyPath, folder: folder.appendingPathComponent("out").path)
            let first = try #require(try await checkpoints.checkpoint(at: TinyCity.now).last)
            let permissions = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
            #expect(permissions == 0o600, "the signing key is its owner's alone")
            let saved = try SignedCheckpoint(document: try Data(contentsOf: first))
            #expect(saved.isValid)
            #expect(saved.checkpoint.heads.count == 2 && saved.checkpoint.adminLog.hasPrefix("1:"))
            #expect(try await city.database.verify(against: saved).isEmpty)

            // A later checkpoint lists the timelines changed since (and, looking back a margin of
            // event ids, the few before: here all), and chains to the first.
            try await city.act(.verifyPass, on: untouched, as: "gridworker1", at: TinyCity.now.addingTimeInterval(600))
            let second = try SignedCheckpoint(document: try Data(contentsOf: try #require(try await checkpoints.checkpoint(at: TinyCity.now).last)))
            #expect(second.checkpoint.heads.contains { $0.hasPrefix("\(untouched):6:") }, "\(second.checkpoint.heads)")
            #expect(second.checkpoint.previousRoot == saved.checkpoint.root && second.isValid)

            try await Self.rehash(rewritten, from: 2, note: "补记", city: city)
            #expect(try await city.cases.verifyTimelines().findings.isEmpty, "re-hashed whole, the chain alone looks intact")
            let findings = try await city.database.verify(against: saved)
            #expect(findings.count == 1 && findings[0].hasPrefix("case \(rewritten) event 5"), "\(findings)")
            #expect(try await city.database.verify(against: second).map { $0.hasPrefix("case \(rewritten) event 5") } == [true])

            // The administrators' log likewise: its one act rewritten (who changed the setting) and
            // re-hashed, with its head, verifies alone but not against the checkpoint.
            var act = try #require(try await city.services.adminActs().first)
            act.userID = try await city.principal("village1").user.id
            let (forgedUser, forgedHash) = (act.userID, act.hash)
            try await city.database.transaction { db in
                try await db.update("admin_acts").set("user_id", to: SQLBind(forgedUser)).set("hash", to: SQLBind(forgedHash))
                    .where("sequence", .equal, 1).run()
                try await db.update("admin_log_head").set("hash", to: SQLBind(forgedHash)).where("id", .equal, 1).run()
            }
            #expect(try await AdminLog.verify(in: city.database).findings.isEmpty)
            #expect(try await city.database.verify(against: saved).contains { $0.hasPrefix("administrators' act 1") })

            // Nor can the checkpoint be edited to match: its signature no longer holds.
            var forged = saved
            forged.checkpoint.heads = try await city.cases.timeline(caseID: rewritten).suffix(1).map { "\(rewritten):5:\($0.hash)" }
                + saved.checkpoint.heads.filter { !$0.hasPrefix("\(rewritten):") }
            #expect(!forged.isValid)
            #expect(try await city.database.verify(against: forged).first?.contains("signature") == true)
        }
    }

    /// More events than one checkpoint covers are signed as several, in a row, each of its
    /// bounded size and chained to the one before, the last reaching the latest event.
    @Test(arguments: TestDatabases.kinds)
    func manyEventsAreSignedAsSeveralChainedCheckpoints(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-checkpoints-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            var cases: [Int64] = []
            for title in ["一", "二", "三"] { cases.append(try await CaseAuditTests.caseWithFiveEvents(city, title: title)) }
            struct Event: Decodable {
                var id: Int64
                var caseId: Int64
                var sequence: Int
                var hash: String
            }
            let events = try await city.database.reader.select().columns("id", "case_id", "sequence", "hash").from("case_events")
                .orderBy("id").all(decoding: Event.self, keyDecodingStrategy: .convertFromSnakeCase)
            #expect(events.count == 15)

            let checkpoints = try AuditCheckpoints(database: city.database, keyPath: folder.appendingPathComponent("audit.key").path, folder: folder.path)
            let files = try await checkpoints.checkpoint(at: TinyCity.now, events: 4)
            let signed = try files.map { try SignedCheckpoint(document: Data(contentsOf: $0)) }
            #expect(signed.map(\.checkpoint.sequence) == [1, 2, 3, 4], "15 events, 4 to a checkpoint")
            #expect(signed.map(\.checkpoint.throughEventID) == [events[3].id, events[7].id, events[11].id, events[14].id])
            for (index, checkpoint) in signed.enumerated() {
                #expect(checkpoint.isValid)
                #expect(checkpoint.checkpoint.previousRoot == (index == 0 ? TimelineEvent.genesisHash : signed[index - 1].checkpoint.root))
                // Each lists the head, as of its last event, of every timeline it covers.
                let covered = events.filter { $0.id <= checkpoint.checkpoint.throughEventID }
                let heads = Dictionary(covered.map { ($0.caseId, $0) }) { _, later in later }.values
                #expect(checkpoint.checkpoint.heads == heads.sorted { $0.caseId < $1.caseId }.map { "\($0.caseId):\($0.sequence):\($0.hash)" })
                #expect(try await city.database.verify(against: checkpoint).isEmpty)
            }
            #expect(signed.last?.checkpoint.heads.count == cases.count)

            // Caught up, the next run signs one checkpoint, which reaches the latest event again.
            #expect(try await checkpoints.checkpoint(at: TinyCity.now, events: 4).count == 1)
        }
    }
}
