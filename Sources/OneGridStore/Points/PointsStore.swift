import Crypto
public import Foundation
public import OneGridDomain
import SQLKit

/// A household's standing in its village's scheme.
public struct PointsBalance: Sendable, Hashable {
    public var householdID: Int64
    /// What it holds now: earned, less deducted and spent.
    public var balance: Int
    /// Everything it earned, for the ranking's second column.
    public var earned: Int
}

/// Villages' points rules and their ledgers.
public protocol PointsStore: Sendable {
    func rules(villageID: Int64) async throws -> [PointsRule]
    func rule(id: Int64) async throws -> PointsRule?
    func add(_ rule: PointsRule, at now: Date) async throws -> PointsRule
    /// Retires a rule (once); "not found" inside the transaction when there is none.
    func retire(ruleID: Int64, at now: Date) async throws -> PointsRule
    /// Appends an entry to its village's chain; the entry as written. A redemption is checked
    /// against the balance inside the same transaction, so two spends cannot both pass.
    func append(_ entry: PointsEntry) async throws -> PointsEntry
    /// Appends entries in their order in one transaction (a village's history brought in at once).
    func append(contentsOf entries: [PointsEntry]) async throws
    func balance(householdID: Int64) async throws -> Int
    /// The village's households by balance, highest first.
    func ranking(villageID: Int64, limit: Int) async throws -> [PointsBalance]
    /// The village's entries, newest first; a household's only when given.
    func ledger(villageID: Int64, householdID: Int64?, limit: Int) async throws -> [PointsEntry]
    /// Recomputes the village's chain: how many entries, and each finding.
    func verify(villageID: Int64) async throws -> (entries: Int, findings: [String])
}

public struct SQLPointsStore: PointsStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    struct RuleRow: Codable {
        var id: Int64
        var villageId: Int64
        var name: String
        var points: Int
        var retiredAt: Int64?

        var rule: PointsRule {
            PointsRule(id: id, villageID: villageId, name: name, points: points, retiredAt: retiredAt.map(Date.init(millisecondsSince1970:)))
        }
    }

    struct EntryRow: Codable {
        var villageId: Int64
        var sequence: Int64
        var householdId: Int64
        var kind: String
        var ruleId: Int64?
        var points: Int
        var note: String
        var userId: Int64
        var postId: Int64
        var at: Int64
        var previousHash: String
        var hash: String

        func entry() throws -> PointsEntry {
            PointsEntry(
                villageID: villageId, sequence: sequence, householdID: householdId, kind: try stored(PointsEntryKind.self, kind), ruleID: ruleId,
                points: points, note: note, userID: userId, postID: postId, atMillis: at, previousHash: previousHash)
        }
    }

    static func hash(_ entry: PointsEntry) -> String { SHA256.hash(data: entry.canonical).hexEncoded }

    public func rules(villageID: Int64) async throws -> [PointsRule] {
        try await database.reader.select().columns("*").from("points_rules").where("village_id", .equal, villageID)
            .orderBy("points", .descending).orderBy("id").all(decoding: RuleRow.self, with: .snake).map(\.rule)
    }

    public func rule(id: Int64) async throws -> PointsRule? {
        try await database.reader.select().columns("*").from("points_rules").where("id", .equal, id)
            .first(decoding: RuleRow.self, with: .snake)?.rule
    }

    public func add(_ rule: PointsRule, at now: Date) async throws -> PointsRule {
        let id = try await database.transaction { db in
            try await db.insert(into: "points_rules").columns("village_id", "name", "points", "created_at")
                .values(SQLBind(rule.villageID), SQLBind(rule.name), SQLBind(rule.points), SQLBind(now.millisecondsSince1970))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
        }
        guard let id else { throw StoreError.corrupt("inserting a points rule returned no id") }
        var added = rule
        added.id = id
        return added
    }

    public func retire(ruleID: Int64, at now: Date) async throws -> PointsRule {
        try await database.transaction { db in
            try await db.update("points_rules").set("retired_at", to: SQLBind(now.millisecondsSince1970))
                .where("id", .equal, ruleID).where("retired_at", .is, SQLLiteral.null).run()
            guard let row = try await db.select().columns("*").from("points_rules").where("id", .equal, ruleID)
                .first(decoding: RuleRow.self, with: .snake)
            else { throw DomainError.notFound("points rule \(ruleID)", field: "ruleID") }
            return row.rule
        }
    }

    public func append(_ entry: PointsEntry) async throws -> PointsEntry {
        try await database.transaction { db in try await Self.append(entry, on: db) }
    }

    public func append(contentsOf entries: [PointsEntry]) async throws {
        try await database.transaction { db in
            for entry in entries { _ = try await Self.append(entry, on: db) }
        }
    }

    static func append(_ entry: PointsEntry, on db: any SQLDatabase) async throws -> PointsEntry {
        try await db.insert(into: "points_heads").columns("village_id", "sequence", "hash")
            .values(SQLBind(entry.villageID), SQLBind(0), SQLBind(TimelineEvent.genesisHash))
            .ignoringConflicts(with: ["village_id"]).run()
        struct Head: Decodable {
            var sequence: Int64
            var hash: String
        }
        // The head's update first: it holds the village's chain until the commit.
        guard
            let head = try await db.update("points_heads").set("sequence", to: SQLRaw("sequence + 1"))
                .where("village_id", .equal, entry.villageID).returning("sequence", "hash").first(decoding: Head.self)
        else { throw StoreError.corrupt("the points chain of village \(entry.villageID) has no head") }
        if entry.kind == .redemption {
            let held = try await balance(householdID: entry.householdID, on: db)
            guard held + entry.points >= 0 else {
                throw DomainError.invalid(field: "points", "the household holds \(held) points; it cannot spend \(-entry.points)")
            }
        }
        var written = entry
        written.sequence = head.sequence
        written.previousHash = head.hash
        let hash = Self.hash(written)
        try await db.insert(into: "points_entries")
            .columns(
                "village_id", "sequence", "household_id", "kind", "rule_id", "points", "note", "user_id", "post_id", "at",
                "previous_hash", "hash"
            )
            .values(
                SQLBind(written.villageID), SQLBind(written.sequence), SQLBind(written.householdID), SQLBind(written.kind.rawValue),
                SQLBind(written.ruleID), SQLBind(written.points), SQLBind(written.note), SQLBind(written.userID), SQLBind(written.postID),
                SQLBind(written.atMillis), SQLBind(written.previousHash), SQLBind(hash)
            ).run()
        try await db.update("points_heads").set("hash", to: SQLBind(hash)).where("village_id", .equal, entry.villageID).run()
        return written
    }

    static func balance(householdID: Int64, on db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLIdentifier("points")), SQLLiteral.numeric("0")), as: "n")
            .from("points_entries").where("household_id", .equal, householdID)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    public func balance(householdID: Int64) async throws -> Int {
        try await Self.balance(householdID: householdID, on: database.reader)
    }

    public func ranking(villageID: Int64, limit: Int) async throws -> [PointsBalance] {
        struct Row: Decodable {
            var householdId: Int64
            var balance: Int
            var earned: Int
        }
        return try await database.reader.select().column("household_id")
            .column(SQLFunction("SUM", args: SQLIdentifier("points")), as: "balance")
            .column(SQLRaw("SUM(CASE WHEN points > 0 THEN points ELSE 0 END)"), as: "earned")
            .from("points_entries").where("village_id", .equal, villageID).groupBy("household_id")
            .orderBy(SQLIdentifier("balance"), SQLDirection.descending).orderBy(SQLIdentifier("earned"), SQLDirection.descending).orderBy("household_id")
            .limit(limit).all(decoding: Row.self, with: .snake)
            .map { PointsBalance(householdID: $0.householdId, balance: $0.balance, earned: $0.earned) }
    }

    public func ledger(villageID: Int64, householdID: Int64?, limit: Int) async throws -> [PointsEntry] {
        let select = database.reader.select().columns("*").from("points_entries").where("village_id", .equal, villageID)
        if let householdID { select.where("household_id", .equal, householdID) }
        return try await select.orderBy("sequence", .descending).limit(limit).all(decoding: EntryRow.self, with: .snake).map { try $0.entry() }
    }

    public func verify(villageID: Int64) async throws -> (entries: Int, findings: [String]) {
        var findings: [String] = []
        var previous = TimelineEvent.genesisHash
        var expected: Int64 = 1
        while true {
            let rows = try await database.reader.select().columns("*").from("points_entries").where("village_id", .equal, villageID)
                .where("sequence", .greaterThanOrEqual, expected).orderBy("sequence").limit(1000).all(decoding: EntryRow.self, with: .snake)
            guard !rows.isEmpty else { break }
            for row in rows {
                guard row.sequence == expected else {
                    findings.append("points entry \(expected): removed (the ledger jumps to \(row.sequence))")
                    return (Int(expected - 1), findings)
                }
                guard let entry = try? row.entry() else {
                    findings.append("points entry \(row.sequence): unreadable")
                    return (Int(expected), findings)
                }
                if row.previousHash != previous { findings.append("points entry \(row.sequence): chain broken: previous hash does not match") }
                if Self.hash(entry) != row.hash { findings.append("points entry \(row.sequence): edited: content does not match its hash") }
                previous = row.hash
                expected += 1
            }
        }
        struct Head: Decodable {
            var sequence: Int64
            var hash: String
        }
        let head = try await database.reader.select().columns("sequence", "hash").from("points_heads").where("village_id", .equal, villageID)
            .first(decoding: Head.self)
        if let head, head.sequence != expected - 1 || head.hash != previous {
            findings.append("the ledger's head records \(head.sequence) entries ending \(head.hash.prefix(12)); it holds \(expected - 1)")
        }
        return (Int(expected - 1), findings)
    }
}
