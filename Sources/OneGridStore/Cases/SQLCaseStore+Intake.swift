import Foundation
import OneGridDomain
import SQLKit

extension SQLCaseStore {
    public func create(_ drafts: [CaseDraft]) async throws -> [Intake] {
        let unclaimed = [Outcome?](repeating: nil, count: drafts.count)
        // Without idempotency keys nothing is read before the batch is written: one statement
        // on PostgreSQL, which needs no transaction around it. A hundred cases' rows of every
        // kind stay well under its 65,535 bound values, so the group is never cut in two.
        if drafts.count <= 100, drafts.allSatisfy({ $0.intakeClaim == nil }) {
            return try await database.oneStatement { db in try await write(drafts, outcomes: unclaimed, claimed: [:], on: db) }
        }
        return try await database.transaction { db in
            // Replays first: a key seen before (in an earlier transaction or earlier in this
            // batch) returns its case instead of a new one.
            var outcomes = unclaimed
            var claimedInBatch: [String: Int] = [:]
            for (index, draft) in drafts.enumerated() {
                guard case let (userID, key)? = draft.intakeClaim else { continue }
                let scoped = "\(userID)/\(key)"
                if let first = claimedInBatch[scoped] {
                    outcomes[index] = .replayOfBatch(first)
                    continue
                }
                let claimed = try await db.insert(into: "intake_keys")
                    .columns("user_id", "key", "case_id", "created_at")
                    .values(SQLBind(userID), SQLBind(key), SQLLiteral.null, SQLBind(draft.createdAt.millisecondsSince1970))
                    .ignoringConflicts(with: ["user_id", "key"])
                    .returning("key").first()
                if claimed == nil {
                    let caseID = try await db.select().column("case_id").from("intake_keys")
                        .where("user_id", .equal, userID).where("key", .equal, key)
                        .first(decodingColumn: "case_id", as: Int64?.self) ?? nil
                    guard let caseID, let earlier = try await record(id: caseID, on: db) else {
                        throw StoreError.corrupt("idempotency key '\(key)' has no case")
                    }
                    outcomes[index] = .replay(earlier)
                } else {
                    claimedInBatch[scoped] = index
                }
            }
            return try await write(drafts, outcomes: outcomes, claimed: claimedInBatch, on: db)
        }
    }

    /// Writes the drafts not replayed (`outcomes` nil), then gives the claimed keys their cases.
    private func write(_ drafts: [CaseDraft], outcomes: [Outcome?], claimed: [String: Int], on db: any SQLDatabase) async throws -> [Intake] {
        var outcomes = outcomes
        // New cases: ids reserved up front, so each report event is sealed before the row is
        // written and the whole batch goes in a few multi-row statements.
        let fresh = drafts.indices.filter { outcomes[$0] == nil }
        let ids = try await database.reserveIDs(fresh.count, of: "cases", on: db)
        var rows: [CaseRow] = []
        var events: [EventRow] = []
        for (index, id) in zip(fresh, ids) {
            let draft = drafts[index]
            var row = CaseRow(draft: draft)
            row.id = id
            let event = TimelineHasher.seal(
                .report(
                    caseID: id, by: draft.createdBy?.post, atMillis: row.createdAt, channel: draft.channel,
                    categoryID: draft.category.id, evidence: draft.evidence))
            row.eventCount = 1
            row.lastHash = event.hash
            rows.append(row)
            events.append(EventRow(event))
            outcomes[index] = .created(row)
        }
        // The rows and all that goes with them: one statement on PostgreSQL.
        var group = StatementGroup(on: db)
        // A hundred rows of every column stay well under SQLite's 32,766 bound values.
        for chunk in rows.chunked(into: 100) {
            group.append(db.insert(into: "cases").columns(CaseRow.columns).rows(chunk.map(\.values)))
        }
        Self.insert(events, into: &group)
        CaseSearch.index(rows.map { ($0.id ?? 0, $0.title, $0.description) }, kind: database.kind, into: &group)
        try FigureLedger(reports: rows, events: events).write(into: &group)
        AlertSchedule.insert(rows.map { ($0.id ?? 0, $0.nextAlertAt) }, into: &group)
        SQLOpen311Store.record(zip(fresh, ids).compactMap { index, id in drafts[index].open311.map { (id, $0) } }, into: &group)
        SQLCitizenStore.record(
            zip(fresh, ids).compactMap { index, id in
                drafts[index].citizen.map { (id, $0, drafts[index].createdAt.millisecondsSince1970) }
            }, into: &group)
        try await group.run()
        for index in claimed.values {
            guard case .created(let row) = outcomes[index], case let (userID, key)? = drafts[index].intakeClaim else { continue }
            try await db.update("intake_keys").set("case_id", to: row.id)
                .where("user_id", .equal, userID).where("key", .equal, key).run()
        }
        return try outcomes.map { outcome in
            switch outcome {
            case .created(let row)?: return Intake(record: try row.record(assists: []), isReplay: false)
            case .replay(let record)?: return Intake(record: record, isReplay: true)
            case .replayOfBatch(let first)?:
                guard case .created(let row)? = outcomes[first] else { throw StoreError.corrupt("a replayed key lost its case") }
                return Intake(record: try row.record(assists: []), isReplay: true)
            case nil: throw StoreError.corrupt("an intake was neither created nor replayed")
            }
        }
    }

    private enum Outcome {
        case created(CaseRow)
        case replay(CaseRecord)
        /// The same key earlier in this batch, at this index.
        case replayOfBatch(Int)
    }
}
