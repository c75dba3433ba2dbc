import Foundation
import OneGridDomain
import SQLKit

extension SQLCaseStore {
    public func verifyTimelines() async throws -> (checkedCases: Int, findings: [AuditFinding]) {
        struct Head: Decodable {
            var id: Int64
            var eventCount: Int
            var lastHash: String
        }
        var findings: [AuditFinding] = []
        var checked = 0
        var after: Int64 = 0
        // A page of cases at a time, with their events: memory stays flat at any size.
        while true {
            let heads = try await database.reader.select().columns("id", "event_count", "last_hash").from("cases")
                .where("id", .greaterThan, after).orderBy("id").limit(1000).all(decoding: Head.self, with: .snake)
            guard let last = heads.last else { break }
            let events = try await database.reader.select().columns("*").from("case_events")
                .where("case_id", .greaterThan, after).where("case_id", .lessThanOrEqual, last.id)
                .orderBy("case_id").orderBy("sequence").all(decoding: EventRow.self, with: .spelledOut)
            let byCase = Dictionary(grouping: events, by: \.caseId)
            for head in heads {
                findings += Self.audit(head.id, events: byCase[head.id] ?? [], eventCount: head.eventCount, lastHash: head.lastHash)
            }
            checked += heads.count
            after = last.id
        }
        return (checked, findings)
    }

    static func audit(_ caseID: Int64, events: [EventRow], eventCount: Int, lastHash: String) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        var previous = TimelineEvent.genesisHash
        for (index, row) in events.enumerated() {
            let expectedSequence = index + 1
            if row.sequence != expectedSequence {
                findings.append(AuditFinding(caseID: caseID, sequence: expectedSequence, problem: "event removed (sequence jumps to \(row.sequence))"))
                return findings
            }
            guard let stored = try? row.stored() else {
                findings.append(AuditFinding(caseID: caseID, sequence: row.sequence, problem: "event unreadable"))
                return findings
            }
            if stored.event.previousHash != previous {
                findings.append(AuditFinding(caseID: caseID, sequence: row.sequence, problem: "chain broken: previous hash does not match"))
            }
            if TimelineHasher.hash(stored.event) != stored.hash {
                findings.append(AuditFinding(caseID: caseID, sequence: row.sequence, problem: "event edited: content does not match its hash"))
            }
            previous = stored.hash
        }
        if events.count != eventCount {
            findings.append(AuditFinding(caseID: caseID, sequence: nil, problem: "the case records \(eventCount) events, the timeline holds \(events.count)"))
        } else if previous != lastHash {
            findings.append(AuditFinding(caseID: caseID, sequence: nil, problem: "the timeline's last hash differs from the case's record"))
        }
        return findings
    }
}
