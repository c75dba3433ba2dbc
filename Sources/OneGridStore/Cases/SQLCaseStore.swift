public import Foundation
public import OneGridDomain
import SQLKit
import Synchronization

public struct SQLCaseStore: CaseStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    // MARK: Intake

    public func create(_ drafts: [CaseDraft]) async throws -> [Intake] {
        try await database.transaction { db in
            // Replays first: a key seen before (in an earlier transaction or earlier in this
            // batch) returns its case instead of a new one.
            var outcomes = [Outcome?](repeating: nil, count: drafts.count)
            var claimedInBatch: [String: Int] = [:]
            for (index, draft) in drafts.enumerated() {
                guard let key = draft.idempotencyKey, let userID = draft.createdBy?.user.id else { continue }
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
                    TimelineEvent(
                        caseID: id, sequence: 1, action: .report, fromStatus: nil, toStatus: .reported,
                        actorUserID: draft.createdBy?.user.id, actorPostID: draft.createdBy?.post.id,
                        actorRole: draft.createdBy?.post.role, atMillis: row.createdAt, note: nil,
                        details: ["channel": draft.channel.rawValue, "categoryID": String(draft.category.id)],
                        previousHash: TimelineEvent.genesisHash))
                row.eventCount = 1
                row.lastHash = event.hash
                rows.append(row)
                events.append(EventRow(event))
                outcomes[index] = .created(row)
            }
            // 50 columns × 100 rows stays well under SQLite's 32,766 bound values.
            for chunk in rows.chunked(into: 100) {
                try await db.insert(into: "cases").columns(CaseRow.columns).rows(chunk.map(\.values)).run()
            }
            try await insert(events, on: db)
            try await AlertSchedule.insert(rows.map { ($0.id ?? 0, $0.nextAlertAt) }, on: db)
            for index in claimedInBatch.values {
                guard case .created(let row) = outcomes[index], let userID = drafts[index].createdBy?.user.id else { continue }
                try await db.update("intake_keys").set("case_id", to: row.id)
                    .where("user_id", .equal, userID).where("key", .equal, drafts[index].idempotencyKey).run()
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

    private func insert(_ events: [EventRow], on db: any SQLDatabase) async throws {
        for chunk in events.chunked(into: 500) {
            try await db.insert(into: "case_events").columns(EventRow.columns).rows(chunk.map(\.values)).run()
        }
    }

    // MARK: Reading

    public func record(id: Int64) async throws -> CaseRecord? {
        try await record(id: id, on: database.reader)
    }

    private func record(id: Int64, on db: any SQLDatabase) async throws -> CaseRecord? {
        guard let row = try await db.select().columns("*").from("cases").where("id", .equal, id)
            .first(decoding: CaseRow.self, with: .spelledOut)
        else { return nil }
        return try row.record(assists: try await assists(caseID: id, on: db))
    }

    private func assists(caseID: Int64, on db: any SQLDatabase) async throws -> [CaseFile.Assist] {
        try await assists(caseIDs: [caseID], on: db)[caseID] ?? []
    }

    /// The assists of several cases in one query: a joint case reads the same in a list as alone.
    private func assists(caseIDs: [Int64], on db: any SQLDatabase) async throws -> [Int64: [CaseFile.Assist]] {
        struct Row: Decodable {
            var caseId: Int64
            var departmentId: Int64
            var reportedAt: Int64?
        }
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await db.select().columns("case_id", "department_id", "reported_at").from("case_assists")
            .where("case_id", .in, caseIDs).orderBy("department_id")
            .all(decoding: Row.self, with: .snake)
        return Dictionary(grouping: rows, by: \.caseId).mapValues { rows in
            rows.map { CaseFile.Assist(departmentID: $0.departmentId, reportedAt: $0.reportedAt.map(Date.init(millisecondsSince1970:))) }
        }
    }

    public func list(_ query: CaseQuery, scope: CaseScope, now: Date) async throws -> CasePage {
        let select = database.reader.select().columns("*").from("cases")
        switch scope {
        case .area(let level, let id):
            select.where(SQLIdentifier("\(level.rawValue)_id"), .equal, SQLBind(id))
        case .department(let id):
            select.where { group in
                group.where("department_id", .equal, id)
                    .orWhere(
                        SQLIdentifier("id"), .in,
                        SQLGroupExpression(
                            database.reader.select().column("case_id").from("case_assists")
                                .where("department_id", .equal, id).select))
            }
        case .reporter(let userID):
            select.where("reporter_user_id", .equal, userID)
        case .nothing:
            return CasePage(cases: [], nextAfterID: nil)
        }
        if let area = query.area { select.where(SQLIdentifier("\(area.level.rawValue)_id"), .equal, SQLBind(area.id)) }
        if !query.statuses.isEmpty { select.where("status", .in, query.statuses.map(\.rawValue)) }
        if !query.categoryIDs.isEmpty { select.where("category_id", .in, query.categoryIDs) }
        if let platform = query.platform { select.where("platform", .equal, platform.rawValue) }
        if let channel = query.channel { select.where("channel", .equal, channel.rawValue) }
        if let department = query.departmentID { select.where("department_id", .equal, department) }
        let openStatuses = CaseStatus.allCases.filter(\.isOpen).map(\.rawValue)
        switch query.overdue {
        case true?:
            select.where("due_at", .lessThan, now.millisecondsSince1970).where("status", .in, openStatuses)
        case false?:
            select.where { $0.where("due_at", .greaterThanOrEqual, now.millisecondsSince1970).orWhere("status", .notIn, openStatuses) }
        case nil:
            break
        }
        if let text = query.text, !text.isEmpty {
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            // ESCAPE names the backslash on both databases, so % and _ in the text match literally.
            select.where(SQLQueryString("(title LIKE \(bind: pattern) ESCAPE '\\' OR description LIKE \(bind: pattern) ESCAPE '\\')"))
        }
        if let from = query.createdFrom { select.where("created_at", .greaterThanOrEqual, from.millisecondsSince1970) }
        if let before = query.createdBefore { select.where("created_at", .lessThan, before.millisecondsSince1970) }
        if let after = query.afterID { select.where("id", .lessThan, after) }
        let rows = try await select.orderBy("id", .descending).limit(query.limit + 1)
            .all(decoding: CaseRow.self, with: .spelledOut)
        let shown = rows.prefix(query.limit)
        let assists = try await assists(caseIDs: shown.compactMap(\.id), on: database.reader)
        let page = try shown.map { try $0.record(assists: assists[$0.id ?? 0] ?? []) }
        return CasePage(cases: page, nextAfterID: rows.count > query.limit ? page.last?.id : nil)
    }

    public func timeline(caseID: Int64) async throws -> [StoredEvent] {
        try await database.reader.select().columns("*").from("case_events").where("case_id", .equal, caseID)
            .orderBy("sequence").all(decoding: EventRow.self, with: .spelledOut).map { try $0.stored() }
    }

    // MARK: Actions

    public func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date,
        decide: @escaping @Sendable (CaseFile) throws -> CaseTransition
    ) async throws -> CaseRecord {
        try await database.transaction { db in
            guard let row = try await db.select().columns("*").from("cases").where("id", .equal, caseID)
                .first(decoding: CaseRow.self, with: .spelledOut)
            else { throw DomainError.notFound("case \(caseID)") }
            let current = try row.record(assists: try await assists(caseID: caseID, on: db))
            if let expectedVersion, expectedVersion != current.file.version {
                throw Self.conflict(current)
            }
            let transition = try decide(current.file)
            guard let written = try await write(transition, over: row, current: current.file, by: actor, at: now, on: db) else {
                throw Self.conflict(try await record(id: caseID, on: db) ?? current)
            }
            try await insert([written.event], on: db)
            return written.record
        }
    }

    /// The sealed event of a step, continuing a timeline whose head is `head`.
    private static func event(
        _ transition: CaseTransition, caseID: Int64, following head: (count: Int, hash: String), by actor: Principal?, at now: Date
    ) -> StoredEvent {
        TimelineHasher.seal(
            TimelineEvent(
                caseID: caseID, sequence: head.count + 1, action: transition.action, fromStatus: transition.from,
                toStatus: transition.file.status, actorUserID: actor?.user.id, actorPostID: actor?.post.id,
                actorRole: actor?.post.role, atMillis: now.millisecondsSince1970, note: transition.note,
                details: transition.details, previousHash: head.hash))
    }

    /// Writes one step: the case row under the version it was decided on, its assists and what
    /// its event sets off; the event row is returned for the caller to insert (alone, or with a
    /// batch's others in one statement). Nil when someone changed the case meanwhile, which the
    /// version guard detects on both databases without holding a lock across the decision.
    private func write(
        _ transition: CaseTransition, over original: CaseRow, current: CaseFile, by actor: Principal?, at now: Date,
        on db: any SQLDatabase
    ) async throws -> (row: CaseRow, record: CaseRecord, event: EventRow)? {
        var row = original
        let event = Self.event(transition, caseID: current.id, following: (row.eventCount, row.lastHash), by: actor, at: now)
        row.apply(transition.file)
        row.updatedAt = now.millisecondsSince1970
        row.eventCount += 1
        row.lastHash = event.hash
        let update = db.update("cases")
        for (column, value) in zip(CaseRow.changeableColumns, row.changeableValues) {
            update.set(SQLIdentifier(column), to: SQLBind(value))
        }
        let written = try await update.where("id", .equal, current.id).where("version", .equal, current.version)
            .returning("id").first()
        guard written != nil else { return nil }
        if row.nextAlertAt != original.nextAlertAt {
            try await AlertSchedule.update([(current.id, row.nextAlertAt)], on: db)
        }
        if transition.file.assists != current.assists {
            try await db.delete(from: "case_assists").where("case_id", .equal, current.id).run()
            for assist in transition.file.assists {
                try await db.insert(into: "case_assists").columns("case_id", "department_id", "reported_at")
                    .values(SQLBind(current.id), SQLBind(assist.departmentID), SQLBind(assist.reportedAt?.millisecondsSince1970))
                    .run()
            }
        }
        try await Outbox.record([(event, transition.file)], on: db)
        return (row, try row.record(assists: transition.file.assists), EventRow(event))
    }

    // MARK: Deadline sweeps

    public func casesDueForAlert(at now: Date, after cursor: AlertCursor?, limit: Int) async throws -> [CaseRecord] {
        // The schedule's index gives the page; a row value compares on both databases.
        var query: SQLQueryString =
            "SELECT cases.* FROM case_alerts a JOIN cases ON cases.id = a.case_id WHERE a.next_alert_at <= \(bind: now.millisecondsSince1970)"
        if let cursor {
            query += " AND (a.next_alert_at, a.case_id) > (\(bind: cursor.nextAlertAt.millisecondsSince1970), \(bind: cursor.caseID))"
        }
        query += " ORDER BY a.next_alert_at, a.case_id LIMIT \(literal: limit)"
        let rows = try await database.reader.raw(query).all(decoding: CaseRow.self, with: .spelledOut)
        let assists = try await assists(caseIDs: rows.compactMap(\.id), on: database.reader)
        return try rows.map { try $0.record(assists: assists[$0.id ?? 0] ?? []) }
    }

    public func applySystemSteps(_ steps: [SystemStep], at now: Date) async throws -> Int {
        guard !steps.isEmpty else { return 0 }
        // Urges and supervisions change only the clock's bookkeeping: they are sealed here, on
        // the timeline head each step was decided on, before the writer is taken, and written in
        // one guarded update per 500. Anything else (escalation) reads its row and takes the
        // one-step path.
        var sealed: [Int64: [(event: StoredEvent, file: CaseFile)]] = [:]
        var bookkeeping: [[any Encodable & Sendable]] = []
        var others: [SystemStep] = []
        for step in steps {
            guard let last = step.transitions.last, step.transitions.allSatisfy({ $0.action == .urge || $0.action == .supervise })
            else {
                others.append(step)
                continue
            }
            var head = (count: step.eventCount, hash: step.lastHash)
            sealed[step.caseID] = step.transitions.map { transition in
                let event = Self.event(transition, caseID: step.caseID, following: head, by: nil, at: now)
                head = (head.count + 1, event.hash)
                return (event, transition.file)
            }
            bookkeeping.append([
                step.caseID, step.decidedOnVersion, last.file.version, now.millisecondsSince1970, head.count, head.hash,
                last.file.alertSent?.rawValue, last.file.nextAlertAt?.millisecondsSince1970,
            ])
        }
        // A lost sweep commit is found again by the next sweep: each is redone whole or was whole.
        return try await database.transaction(.redoable) { [sealed, bookkeeping, others] db in
            let columns = [
                ("id", "BIGINT"), ("old_version", "INTEGER"), ("version", "INTEGER"), ("updated_at", "BIGINT"),
                ("event_count", "INTEGER"), ("last_hash", "TEXT"), ("alert_sent", "TEXT"), ("next_alert_at", "BIGINT"),
            ].map { ValuesTable.Column(name: $0.0, type: $0.1) }
            var outbox: [(event: StoredEvent, file: CaseFile)] = []
            for chunk in bookkeeping.chunked(into: 500) {
                let written = Mutex<[Int64]>([])
                // A case another sweeper or a person has moved past its version is skipped: the
                // next sweep looks at it again.
                try await db.execute(
                    sql: ValuesTable(
                        name: "v", columns: columns, rows: Array(chunk),
                        body: "UPDATE cases SET version = v.version, updated_at = v.updated_at, event_count = v.event_count, "
                            + "last_hash = v.last_hash, alert_sent = v.alert_sent, next_alert_at = v.next_alert_at "
                            + "FROM v WHERE cases.id = v.id AND cases.version = v.old_version RETURNING cases.id")
                ) { row in
                    if let id = try? row.decode(column: "id", as: Int64.self) { written.withLock { $0.append(id) } }
                }
                let ids = written.withLock { $0 }
                for id in ids { outbox += sealed[id] ?? [] }
                try await AlertSchedule.update(
                    ids.map { id in (id, sealed[id]?.last?.file.nextAlertAt?.millisecondsSince1970) }, on: db)
            }
            try await Outbox.record(outbox, on: db)
            var events = outbox.map { EventRow($0.event) }
            events += try await applyOneByOne(others, at: now, on: db)
            try await insert(events, on: db)
            return events.count
        }
    }

    /// Steps that change more than the clock's bookkeeping, each through `write` over its row.
    private func applyOneByOne(_ steps: [SystemStep], at now: Date, on db: any SQLDatabase) async throws -> [EventRow] {
        guard !steps.isEmpty else { return [] }
        let ids = steps.map(\.caseID)
        var rows: [Int64: CaseRow] = [:]
        for chunk in ids.chunked(into: 500) {
            for row in try await db.select().columns("*").from("cases").where("id", .in, Array(chunk))
                .all(decoding: CaseRow.self, with: .spelledOut)
            {
                rows[row.id ?? 0] = row
            }
        }
        let assists = try await assists(caseIDs: ids, on: db)
        var events: [EventRow] = []
        for step in steps {
            guard var row = rows[step.caseID] else { continue }
            var current = try row.record(assists: assists[step.caseID] ?? []).file
            guard current.version == step.decidedOnVersion else { continue }
            for transition in step.transitions {
                guard let next = try await write(transition, over: row, current: current, by: nil, at: now, on: db) else { break }
                events.append(next.event)
                (row, current) = (next.row, next.record.file)
            }
        }
        return events
    }

    private static func conflict(_ current: CaseRecord) -> DomainError {
        DomainError(
            .versionConflict,
            "case \(current.id) was changed by someone else: it is now version \(current.file.version), \(current.file.status.rawValue); reload and try again",
            field: "version", currentVersion: current.file.version)
    }

    // MARK: Disclosures

    public func recordDisclosure(caseID: Int64, by actor: Principal, field: String, at now: Date) async throws {
        try await database.transaction { db in
            try await db.insert(into: "disclosures").columns("case_id", "user_id", "post_id", "field", "at")
                .values(SQLBind(caseID), SQLBind(actor.user.id), SQLBind(actor.post.id), SQLBind(field), SQLBind(now.millisecondsSince1970))
                .run()
        }
    }

    public func disclosures(caseID: Int64) async throws -> [Disclosure] {
        struct Row: Decodable {
            var caseId: Int64
            var userId: Int64
            var postId: Int64
            var field: String
            var at: Int64
        }
        return try await database.reader.select().columns("case_id", "user_id", "post_id", "field", "at")
            .from("disclosures").where("case_id", .equal, caseID).orderBy("id")
            .all(decoding: Row.self, with: .snake)
            .map { Disclosure(caseID: $0.caseId, userID: $0.userId, postID: $0.postId, field: $0.field, at: Date(millisecondsSince1970: $0.at)) }
    }

    // MARK: Audit

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
