public import Foundation
public import OneGridDomain
import SQLKit

extension SQLCaseStore {
    public func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date,
        decide: @escaping @Sendable (CaseFile) throws -> CaseTransition
    ) async throws -> CaseRecord {
        try await database.transaction { db in
            try await perform(caseID: caseID, expectedVersion: expectedVersion, by: actor, at: now, on: db, decide: decide)
        }
    }

    public func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date, idempotencyKey: String,
        decide: @escaping @Sendable (CaseFile) throws -> CaseTransition
    ) async throws -> (record: CaseRecord, isReplay: Bool) {
        try await database.transaction { db in
            // Claimed in the step's transaction: a step refused or rolled back leaves the key free
            // for the retry, and two sends at once find one claim (the second waits for the first).
            let claimed = try await db.insert(into: "step_keys")
                .columns("user_id", "key", "case_id", "version", "created_at")
                .values(
                    SQLBind(actor.user.id), SQLBind(idempotencyKey), SQLBind(caseID), SQLLiteral.null,
                    SQLBind(now.millisecondsSince1970))
                .ignoringConflicts(with: ["user_id", "key"])
                .returning("key").first()
            guard claimed != nil else {
                let earlier = try await db.select().column("case_id").from("step_keys")
                    .where("user_id", .equal, actor.user.id).where("key", .equal, idempotencyKey)
                    .first(decodingColumn: "case_id", as: Int64.self)
                guard earlier == caseID else {
                    throw DomainError.invalid(
                        field: "Idempotency-Key", "this key was sent with a step on case \(earlier.map(String.init) ?? "?"); a new step needs a new key")
                }
                guard let record = try await record(id: caseID, on: db) else { throw DomainError.notFound("case \(caseID)") }
                return (record, true)
            }
            let taken = try await perform(caseID: caseID, expectedVersion: expectedVersion, by: actor, at: now, on: db, decide: decide)
            try await db.update("step_keys").set("version", to: taken.file.version)
                .where("user_id", .equal, actor.user.id).where("key", .equal, idempotencyKey).run()
            return (taken, false)
        }
    }

    /// One step inside the caller's transaction: how another store records a step on a case's
    /// timeline together with its own writes (the petition procedure's steps).
    func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date, on db: any SQLDatabase,
        decide: (CaseFile) throws -> CaseTransition
    ) async throws -> CaseRecord {
        let (row, current) = try await forStep(caseID: caseID, on: db)
        if let expectedVersion, expectedVersion != current.file.version {
            throw Self.conflict(current)
        }
        return try await commit(try decide(current.file), over: row, current: current, by: actor, at: now, on: db)
    }

    /// A case as a step inside a transaction reads it: its row and its record.
    func forStep(caseID: Int64, on db: any SQLDatabase) async throws -> (row: CaseRow, record: CaseRecord) {
        guard let row = try await db.select().columns("*").from("cases").where("id", .equal, caseID)
            .first().map({ try CaseRow(row: $0) })
        else { throw DomainError.notFound("case \(caseID)") }
        return (row, try row.record(assists: try await assists(caseID: caseID, on: db)))
    }

    /// Writes a step decided on `current` with its event and figures, or refuses it as a conflict
    /// when someone changed the case meanwhile: what `perform` and the mediation store's steps
    /// (which record theirs on the case's timeline) share.
    func commit(
        _ transition: CaseTransition, over row: CaseRow, current: CaseRecord, by actor: Principal, at now: Date,
        on db: any SQLDatabase
    ) async throws -> CaseRecord {
        guard let written = try await write(transition, over: row, current: current.file, by: actor, at: now, on: db) else {
            throw Self.conflict(try await record(id: current.id, on: db) ?? current)
        }
        try await StatementGroup.run(on: db) { group in
            Self.insert([written.event], into: &group)
            written.figures.write(into: &group)
        }
        return written.record
    }

    /// The sealed event of a step, continuing a timeline whose head is `head`.
    static func event(
        _ transition: CaseTransition, caseID: Int64, following head: (count: Int, hash: String), by actor: Principal?, at now: Date
    ) -> StoredEvent {
        TimelineHasher.seal(
            TimelineEvent(
                transition, caseID: caseID, sequence: head.count + 1, by: actor?.post, atMillis: now.millisecondsSince1970,
                previousHash: head.hash))
    }

    /// Writes one step: the case row under the version it was decided on, its assists and what
    /// its event sets off; the event row is returned for the caller to insert (alone, or with a
    /// batch's others in one statement), and its figures for the caller to add once per
    /// transaction, so that the ledger's rows are locked in one sorted pass and two transactions
    /// never wait on each other. Nil when someone changed the case meanwhile, which the version
    /// guard detects on both databases without holding a lock across the decision.
    func write(
        _ transition: CaseTransition, over original: CaseRow, current: CaseFile, by actor: Principal?, at now: Date,
        on db: any SQLDatabase
    ) async throws -> (row: CaseRow, record: CaseRecord, event: EventRow, figures: FigureLedger)? {
        var row = original
        let event = Self.event(transition, caseID: current.id, following: (row.eventCount, row.lastHash), by: actor, at: now)
        row.apply(transition.file)
        row.updatedAt = now.millisecondsSince1970
        row.eventCount += 1
        row.lastHash = event.hash
        let update = db.update("cases")
        for column in CaseRow.changeable {
            update.set(SQLIdentifier(column.stringValue), to: SQLBind(row.value(column)))
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
        let record = try row.record(assists: transition.file.assists)
        var figures = FigureLedger(event.event, before: current, after: record)
        figures.deadlines.move(from: original, to: row)
        return (row, record, EventRow(event), figures)
    }

    private static func conflict(_ current: CaseRecord) -> DomainError {
        DomainError(
            .versionConflict,
            "case \(current.id) was changed by someone else: it is now version \(current.file.version), \(current.file.status.rawValue); reload and try again",
            field: "version", currentVersion: current.file.version)
    }
}
