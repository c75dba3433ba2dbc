import Foundation
import OneGridDomain
import SQLKit

extension SQLCaseStore {
    public func verifyTimelines() async throws -> (checkedCases: Int, findings: [AuditFinding]) {
        var findings: [AuditFinding] = []
        var checked = 0
        var after: Int64 = 0
        // A page of cases at a time, with their events: memory stays flat at any size.
        while true {
            let heads = try await database.reader.select().columns(AuditedRow.CodingKeys.allCases.map(\.rawValue)).from("cases")
                .where("id", .greaterThan, after).orderBy("id").limit(1000).all(decoding: AuditedRow.self)
            guard let last = heads.last else { break }
            let events = try await database.reader.select().columns("*").from("case_events")
                .where("case_id", .greaterThan, after).where("case_id", .lessThanOrEqual, last.id)
                .orderBy("case_id").orderBy("sequence").all(decoding: EventRow.self, with: .spelledOut)
            let byCase = Dictionary(grouping: events, by: \.caseId)
            for head in heads {
                findings += Self.audit(head, events: byCase[head.id] ?? [])
            }
            checked += heads.count
            after = last.id
        }
        return (checked, findings)
    }

    /// What the audit reads of a case row: its timeline's head, and what replaying the timeline
    /// must give.
    struct AuditedRow: Decodable {
        var id: Int64
        var eventCount: Int
        var lastHash: String
        var status: String
        var version: Int
        var departmentId: Int64?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, status, version
            case eventCount = "event_count"
            case lastHash = "last_hash"
            case departmentId = "department_id"
        }
    }

    static func audit(_ row: AuditedRow, events: [EventRow]) -> [AuditFinding] {
        let (caseID, eventCount, lastHash) = (row.id, row.eventCount, row.lastHash)
        var findings: [AuditFinding] = []
        var replayed: [TimelineEvent] = []
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
            replayed.append(stored.event)
        }
        if events.count != eventCount {
            findings.append(AuditFinding(caseID: caseID, sequence: nil, problem: "the case records \(eventCount) events, the timeline holds \(events.count)"))
        } else if previous != lastHash {
            findings.append(AuditFinding(caseID: caseID, sequence: nil, problem: "the timeline's last hash differs from the case's record"))
        }
        // A broken chain is reported as such; the row is compared with a timeline that holds.
        if findings.isEmpty, let outcome = TimelineOutcome(replaying: replayed) {
            findings += disagreements(of: row, with: outcome).map { AuditFinding(caseID: caseID, sequence: nil, problem: $0) }
        }
        return findings
    }

    /// Where the row says something its timeline does not.
    private static func disagreements(of row: AuditedRow, with outcome: TimelineOutcome) -> [String] {
        func describe(_ department: Int64?) -> String { department.map { "department \($0)" } ?? "no department" }
        var problems: [String] = []
        if row.status != outcome.status.rawValue {
            problems.append("the case is \(row.status) but its timeline ends \(outcome.status.rawValue)")
        }
        if row.version != outcome.version {
            problems.append("the case is at version \(row.version) but its timeline gives \(outcome.version)")
        }
        if row.departmentId != outcome.departmentID {
            problems.append("the case is held by \(describe(row.departmentId)) but its timeline gives \(describe(outcome.departmentID))")
        }
        return problems
    }
}
