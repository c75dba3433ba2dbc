import OneGridDomain
import SQLKit

/// What makes the record hold against guessing and rewriting:
/// - `sign_in_failures`: every wrong password of the last hour, per subject (an account, an
///   address), in the database so that every server sharing it counts the same failures.
/// - `admin_acts`: the administrators' own acts, one hash chain (`AdminLog`), and its head in
///   `admin_log_head`, one row whose update serialises appends across servers.
/// - `audit_checkpoints`: the signed checkpoints of every chain's head (`AuditCheckpoints`), each
///   also written as a file an auditor copies.
struct Migration013AuditTrail: Migration {
    let name = "013_audit_trail"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "sign_in_failures")
            .column("subject", type: .text, .notNull)
            // Which attempt wrote it: a success takes back its own address row, no other.
            .column("attempt", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "sign_in_failures_subject_at").on("sign_in_failures").column("subject").column("at").run()
        try await db.create(index: "sign_in_failures_at").on("sign_in_failures").column("at").run()

        try await db.create(table: "admin_acts")
            .column("sequence", type: .bigint, .primaryKey(autoIncrement: false))
            .column("at", type: .bigint, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("act", type: .text, .notNull)
            .column("subject", type: .text, .notNull)
            .column("details", type: .text, .notNull)
            .column("previous_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await db.create(table: "admin_log_head")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("sequence", type: .bigint, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await db.insert(into: "admin_log_head").columns("id", "sequence", "hash")
            .values(SQLBind(1), SQLBind(0), SQLBind(TimelineEvent.genesisHash)).run()

        try await db.create(table: "audit_checkpoints")
            .column("sequence", type: .bigint, .primaryKey(autoIncrement: false))
            .column("at", type: .bigint, .notNull)
            .column("through_event_id", type: .bigint, .notNull)
            .column("root", type: .text, .notNull)
            // The signed checkpoint as written to its file, byte for byte.
            .column("document", type: .text, .notNull)
            .run()
    }
}
