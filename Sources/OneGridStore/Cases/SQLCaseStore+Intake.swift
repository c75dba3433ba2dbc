import Foundation
import OneGridDomain
import SQLKit

extension SQLCaseStore {
    public func create(_ drafts: [CaseDraft]) async throws -> [Intake] {
        try await database.transaction { db in
            // Replays first: a key seen before (in an earlier transaction or earlier in this
            // batch) returns its case instead of a new one.
            var outcomes = [Outcome?](repeating: nil, count: drafts.count)
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
            // A hundred rows of every column stay well under SQLite's 32,766 bound values.
            for chunk in rows.chunked(into: 100) {
                try await db.insert(into: "cases").columns(CaseRow.columns).rows(chunk.map(\.values)).run()
            }
            try await insert(events, on: db)
            try await CaseSearch.index(rows.map { ($0.id ?? 0, $0.title, $0.description) }, kind: database.kind, on: db)
            try await FigureLedger(reports: rows, events: events).write(on: db)
            try await AlertSchedule.insert(rows.map { ($0.id ?? 0, $0.nextAlertAt) }, on: db)
            try await SQLOpen311Store.record(
                zip(fresh, ids).compactMap { index, id in drafts[index].open311.map { (id, $0) } }, on: db)
            try await SQLCitizenStore.record(
                zip(fresh, ids).compactMap { index, id in
                    drafts[index].citizen.map { (id, $0, drafts[index].createdAt.millisecondsSince1970) }
                }, on: db)
            for index in claimedInBatch.values {
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
    }

    private enum Outcome {
        case created(CaseRow)
        case replay(CaseRecord)
        /// The same key earlier in this batch, at this index.
        case replayOfBatch(Int)
    }
}
