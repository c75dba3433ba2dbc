public import Foundation
public import OneGridDomain
import SQLKit

/// An Open311 API key as the administrator sees it: never the key itself, which is shown once.
public struct Open311Key: Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// The post the key speaks for: its role gives the intake channel, its user the actor.
    public var postID: Int64
    /// The jurisdiction: the area the key reports into and reads, the post's or one inside it.
    public var areaID: Int64
    public var requestsPerMinute: Int
    public var createdAt: Date
    public var revokedAt: Date?
}

/// What a GeoReport request carries beyond the case it creates. Personal data: stored, never sent.
public struct Open311Extras: Sendable, Hashable {
    public var mediaURL: String?
    public var email: String?
    public var deviceID: String?
    public var accountID: String?

    public init(mediaURL: String? = nil, email: String? = nil, deviceID: String? = nil, accountID: String? = nil) {
        self.mediaURL = mediaURL
        self.email = email
        self.deviceID = deviceID
        self.accountID = accountID
    }
}

/// A GeoReport request's extras with the key that sent them, kept with the case it creates.
public struct Open311Submission: Sendable, Hashable {
    public var keyID: Int64
    public var extras: Open311Extras

    public init(keyID: Int64, extras: Open311Extras) {
        self.keyID = keyID
        self.extras = extras
    }
}

/// Open311's keys and what its requests bring with them.
public protocol Open311Store: Sendable {
    /// Saves a key under its hash; the post and area are the caller's to have checked.
    func issue(name: String, keyHash: String, postID: Int64, areaID: Int64, requestsPerMinute: Int, at now: Date) async throws -> Open311Key
    /// The post a key is issued for.
    func post(id: Int64) async throws -> Post?
    /// Every key, revoked ones too, oldest first.
    func keys() async throws -> [Open311Key]
    /// Marks a key revoked (once); "not found" when there is no such key, inside the
    /// transaction, so an administrators' log entry recorded with it is not written either.
    func revoke(id: Int64, at now: Date) async throws -> Open311Key
    /// The unrevoked key with this hash and the principal it speaks for, unless its user is
    /// disabled or its post removed.
    func client(keyHash: String) async throws -> (key: Open311Key, principal: Principal)?
    /// The media URLs of those of these cases that came with one.
    func mediaURLs(caseIDs: [Int64]) async throws -> [Int64: String]
    /// The case a user's intake key names, once it is written.
    func caseID(intakeKey: String, userID: Int64) async throws -> Int64?
    /// The steps that changed the status of cases in an area (`level`'s column equal to `areaID`),
    /// taken in `[from, before)`, oldest first, at most `limit`.
    func statusChanges(level: AdminLevel, areaID: Int64, from: Date, before: Date, limit: Int) async throws -> [StoredEvent]
}

public struct SQLOpen311Store: Open311Store {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    struct KeyRow: Codable {
        var id: Int64
        var keyHash: String
        var name: String
        var postId: Int64
        var areaId: Int64
        var requestsPerMinute: Int
        var createdAt: Int64
        var revokedAt: Int64?

        var key: Open311Key {
            Open311Key(
                id: id, name: name, postID: postId, areaID: areaId, requestsPerMinute: requestsPerMinute,
                createdAt: Date(millisecondsSince1970: createdAt), revokedAt: revokedAt.map(Date.init(millisecondsSince1970:)))
        }
    }

    public func issue(name: String, keyHash: String, postID: Int64, areaID: Int64, requestsPerMinute: Int, at now: Date) async throws -> Open311Key {
        let millis = now.millisecondsSince1970
        let id = try await database.transaction { db in
            try await db.insert(into: "open311_keys")
                .columns("key_hash", "name", "post_id", "area_id", "requests_per_minute", "created_at")
                .values(SQLBind(keyHash), SQLBind(name), SQLBind(postID), SQLBind(areaID), SQLBind(requestsPerMinute), SQLBind(millis))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
        }
        guard let id else { throw StoreError.corrupt("inserting an Open311 key returned no id") }
        return Open311Key(
            id: id, name: name, postID: postID, areaID: areaID, requestsPerMinute: requestsPerMinute,
            createdAt: Date(millisecondsSince1970: millis), revokedAt: nil)
    }

    public func post(id: Int64) async throws -> Post? {
        try await database.reader.select().columns("*").from("posts").where("id", .equal, id)
            .first(decoding: SQLPeopleStore.PostRow.self, with: .snake)?.post()
    }

    public func keys() async throws -> [Open311Key] {
        try await database.reader.select().columns("*").from("open311_keys").orderBy("id")
            .all(decoding: KeyRow.self, with: .snake).map(\.key)
    }

    public func revoke(id: Int64, at now: Date) async throws -> Open311Key {
        try await database.transaction { db in
            try await db.update("open311_keys").set("revoked_at", to: now.millisecondsSince1970)
                .where("id", .equal, id).where("revoked_at", .is, SQLLiteral.null).run()
            guard let row = try await db.select().columns("*").from("open311_keys").where("id", .equal, id)
                .first(decoding: KeyRow.self, with: .snake)
            else { throw DomainError.notFound("Open311 key \(id)", field: "id") }
            return row.key
        }
    }

    public func client(keyHash: String) async throws -> (key: Open311Key, principal: Principal)? {
        let reader = database.reader
        guard
            let key = try await reader.select().columns("*").from("open311_keys")
                .where("key_hash", .equal, keyHash).where("revoked_at", .is, SQLLiteral.null)
                .first(decoding: KeyRow.self, with: .snake)?.key,
            let post = try await post(id: key.postID),
            let user = try await reader.select().columns("*").from("users")
                .where("id", .equal, post.userID).where("disabled_at", .is, SQLLiteral.null)
                .first(decoding: SQLPeopleStore.UserRow.self, with: .snake)?.user
        else { return nil }
        return (key, Principal(user: user, post: post))
    }

    /// Keeps new cases' Open311 extras, on intake's transaction: the case and its extras are
    /// written together or not at all.
    static func record(_ submissions: [(caseID: Int64, submission: Open311Submission)], into group: inout StatementGroup) {
        guard !submissions.isEmpty else { return }
        group.append(group.database.insert(into: "open311_requests")
            .columns("case_id", "key_id", "media_url", "email", "device_id", "account_id")
            .rows(submissions.map { caseID, submission in
                let extras = submission.extras
                return [any SQLExpression]([
                    SQLBind(caseID), SQLBind(submission.keyID), SQLBind(extras.mediaURL), SQLBind(extras.email), SQLBind(extras.deviceID),
                    SQLBind(extras.accountID),
                ])
            })
            )
    }

    public func mediaURLs(caseIDs: [Int64]) async throws -> [Int64: String] {
        struct Row: Decodable {
            var caseId: Int64
            var mediaUrl: String
        }
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await database.reader.select().columns("case_id", "media_url").from("open311_requests")
            .where("case_id", .in, caseIDs).where("media_url", .isNot, SQLLiteral.null)
            .all(decoding: Row.self, with: .snake)
        return Dictionary(rows.map { ($0.caseId, $0.mediaUrl) }) { first, _ in first }
    }

    public func caseID(intakeKey: String, userID: Int64) async throws -> Int64? {
        try await database.reader.select().column("case_id").from("intake_keys")
            .where("user_id", .equal, userID).where("key", .equal, intakeKey)
            .first(decodingColumn: "case_id", as: Int64?.self) ?? nil
    }

    public func statusChanges(level: AdminLevel, areaID: Int64, from: Date, before: Date, limit: Int) async throws -> [StoredEvent] {
        let inArea = database.reader.select().column("id").from("cases")
            .where(SQLIdentifier("\(level.rawValue)_id"), .equal, SQLBind(areaID))
        return try await database.reader.select().columns("*").from("case_events")
            .where("at", .greaterThanOrEqual, from.millisecondsSince1970).where("at", .lessThan, before.millisecondsSince1970)
            // A report is the request itself, not an update of it; other steps count when they
            // moved the status.
            .where("from_status", .isNot, SQLLiteral.null).where(SQLIdentifier("from_status"), .notEqual, SQLIdentifier("to_status"))
            .where(SQLIdentifier("case_id"), .in, SQLGroupExpression(inArea.select))
            .orderBy("at").orderBy("case_id").orderBy("sequence").limit(limit)
            .all(decoding: EventRow.self, with: .spelledOut).map { try $0.stored() }
    }
}
