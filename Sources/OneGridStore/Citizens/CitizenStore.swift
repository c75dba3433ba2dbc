public import Foundation
public import OneGridDomain
import SQLKit

/// What the public portal keeps beside a case it reported, written in the case's transaction.
public struct CitizenSubmission: Sendable, Hashable {
    /// The SHA-256 of the follow link's token; the token itself is shown once and never stored.
    public var tokenHash: String
    /// Whether the reporter stays anonymous to the public (the centre still sees the contact).
    public var anonymous: Bool
    /// The network address and the device cookie the report came from.
    public var address: String
    public var device: String

    public init(tokenHash: String, anonymous: Bool, address: String, device: String) {
        self.tokenHash = tokenHash
        self.anonymous = anonymous
        self.address = address
        self.device = device
    }
}

/// A report made on the public portal, as kept beside its case.
public struct CitizenReport: Sendable, Hashable {
    public var caseID: Int64
    public var anonymous: Bool
    public var address: String
    public var device: String
    public var createdAt: Date
    /// When a dispatcher marked it as abuse.
    public var abuseAt: Date?
    /// When the reporter asked for the case to be looked at again, and why.
    public var lookAgainAt: Date?
    public var lookAgainNote: String?
}

/// Where a blocked report came from.
public enum CitizenSourceKind: String, Sendable, Codable, CaseIterable {
    case address, device
}

/// A source refused new reports until a time, because of a report marked as abuse.
public struct CitizenBlock: Sendable, Hashable {
    public var kind: CitizenSourceKind
    public var source: String
    public var until: Date
    public var caseID: Int64
    public var byUserID: Int64
    public var createdAt: Date
}

/// One thing a citizen is told, waiting for (or done with) its senders.
public struct CitizenNotice: Sendable, Hashable {
    public var id: Int64
    public var caseID: Int64
    public var kind: CitizenNoticeKind
    public var at: Date
    public var attempts: Int
}

/// A case as the public list and map show it: no text, no person, no department.
public struct PublicReportRow: Sendable, Hashable {
    public var caseID: Int64
    public var categoryID: Int64
    public var townID: Int64
    public var villageID: Int64
    public var status: CaseStatus
    public var createdAt: Date
    public var location: GeoPoint?
}

/// The citizen's portal: its reports, the blocks on abusive sources, and the notices to citizens.
public protocol CitizenStore: Sendable {
    /// The report whose follow token hashes to `tokenHash`.
    func report(tokenHash: String) async throws -> CitizenReport?
    func report(caseID: Int64) async throws -> CitizenReport?
    /// When the reports from the address and from the device since `since` were made, oldest first.
    func reportTimes(address: String, device: String, since: Date) async throws -> (address: [Date], device: [Date])
    /// The block on the address or the device in force at `now` that lasts longest.
    func block(address: String, device: String, at now: Date) async throws -> CitizenBlock?
    /// Marks a portal report as abuse and blocks its address and device until `until`, in one
    /// transaction; "not found" when the case did not come through the portal.
    func markAbuse(caseID: Int64, byUserID: Int64, until: Date, at now: Date) async throws -> [CitizenBlock]
    /// Records the reporter's request to look at the case again and puts `message` in the inbox
    /// of the dispatchers of the centre of `centreAreaID`, in one transaction; false when one was
    /// already made.
    func recordLookAgain(caseID: Int64, note: String?, centreAreaID: Int64, message: String, at now: Date) async throws -> Bool
    /// The portal's account, a citizen post over `areaID` that nobody signs in as: the actor of
    /// the portal's reports, and their reporter, so the steps a reporter may take are its.
    func portalPrincipal(areaID: Int64, at now: Date) async throws -> Principal
    /// Cases reported since `since`, newest first, leaving out `hiddenCategoryIDs`, within the
    /// area whose `level` column is `areaID` when given.
    func publicReports(
        since: Date, hiddenCategoryIDs: Set<Int64>, level: AdminLevel?, areaID: Int64?, limit: Int
    ) async throws -> [PublicReportRow]
    /// The notices due at `now`, kept from other senders for `lease`.
    func claimDueNotices(now: Date, limit: Int, lease: TimeInterval) async throws -> [CitizenNotice]
    /// The senders that have passed on each of these notices.
    func senders(ofNotices ids: [Int64]) async throws -> [Int64: Set<String>]
    /// Records that `sender` passed the notice on.
    func markSent(noticeID: Int64, sender: String, at now: Date) async throws
    func markDelivered(noticeID: Int64, at now: Date) async throws
    /// Records a failed round; a nil `nextAttemptAt` gives up.
    func markFailed(noticeID: Int64, error: String, attempts: Int, nextAttemptAt: Date?) async throws
    /// A case's notices that `sender` passed on, oldest first.
    func notices(caseID: Int64, sentBy sender: String?) async throws -> [CitizenNotice]
}

public struct SQLCitizenStore: CitizenStore {
    let database: OneGridDatabase
    /// The portal account's username; its display name is what staff see as the actor.
    static let portalUsername = "citizen-portal"

    public init(database: OneGridDatabase) {
        self.database = database
    }

    struct ReportRow: Codable {
        var caseId: Int64
        var anonymous: Int
        var address: String
        var device: String
        var createdAt: Int64
        var abuseAt: Int64?
        var lookAgainAt: Int64?
        var lookAgainNote: String?

        var report: CitizenReport {
            CitizenReport(
                caseID: caseId, anonymous: anonymous != 0, address: address, device: device,
                createdAt: Date(millisecondsSince1970: createdAt), abuseAt: abuseAt.map(Date.init(millisecondsSince1970:)),
                lookAgainAt: lookAgainAt.map(Date.init(millisecondsSince1970:)), lookAgainNote: lookAgainNote)
        }
    }

    struct BlockRow: Codable {
        var sourceKind: String
        var source: String
        var until: Int64
        var caseId: Int64
        var byUserId: Int64
        var createdAt: Int64

        func block() throws -> CitizenBlock {
            CitizenBlock(
                kind: try stored(CitizenSourceKind.self, sourceKind), source: source, until: Date(millisecondsSince1970: until),
                caseID: caseId, byUserID: byUserId, createdAt: Date(millisecondsSince1970: createdAt))
        }
    }

    struct NoticeRow: Codable {
        var id: Int64
        var caseId: Int64
        var kind: String
        var at: Int64
        var attempts: Int

        func notice() throws -> CitizenNotice {
            CitizenNotice(
                id: id, caseID: caseId, kind: try stored(CitizenNoticeKind.self, kind), at: Date(millisecondsSince1970: at),
                attempts: attempts)
        }
    }

    /// Keeps what the portal brought beside the cases just written, in their transaction.
    static func record(_ submissions: [(caseID: Int64, submission: CitizenSubmission, at: Int64)], into group: inout StatementGroup) {
        guard !submissions.isEmpty else { return }
        group.append(group.database.insert(into: "citizen_reports")
            .columns("case_id", "token_hash", "anonymous", "address", "device", "created_at")
            .rows(
                submissions.map { item -> [any SQLExpression] in
                    let s = item.submission
                    return [SQLBind(item.caseID), SQLBind(s.tokenHash), SQLBind(s.anonymous ? 1 : 0), SQLBind(s.address), SQLBind(s.device), SQLBind(item.at)]
                }
            ))
    }

    /// The notices a batch of written events sets off for citizens: a step `CitizenNoticeKind`
    /// names, on a case a citizen reported. Written in the events' transaction, so a notice exists
    /// exactly when its step does.
    static func recordNotices(_ written: [(event: StoredEvent, file: CaseFile)], on db: any SQLDatabase) async throws {
        let rows: [[any Encodable & Sendable]] = written.compactMap { stored, file in
            CitizenNoticeKind(stored.event.action).map { [file.id, $0.rawValue, stored.event.atMillis] }
        }
        guard !rows.isEmpty else { return }
        let columns = [("case_id", "BIGINT"), ("kind", "TEXT"), ("at", "BIGINT")].map { ValuesTable.Column(name: $0.0, type: $0.1) }
        for chunk in rows.chunked(into: 500) {
            try await db.execute(
                sql: ValuesTable(
                    name: "n", columns: columns, rows: Array(chunk),
                    body: "INSERT INTO citizen_notices (case_id, kind, at, attempts, next_attempt_at) "
                        + "SELECT n.case_id, n.kind, n.at, 0, n.at FROM n JOIN cases c ON c.id = n.case_id "
                        + "AND c.channel = \(bind: Channel.citizen.rawValue)")
            ) { _ in }
        }
    }

    public func report(tokenHash: String) async throws -> CitizenReport? {
        try await database.reader.select().columns("*").from("citizen_reports").where("token_hash", .equal, tokenHash)
            .first(decoding: ReportRow.self, with: .snake)?.report
    }

    public func report(caseID: Int64) async throws -> CitizenReport? {
        try await database.reader.select().columns("*").from("citizen_reports").where("case_id", .equal, caseID)
            .first(decoding: ReportRow.self, with: .snake)?.report
    }

    public func reportTimes(address: String, device: String, since: Date) async throws -> (address: [Date], device: [Date]) {
        // The writer's view: a report just made through another request must count at once.
        try await database.transaction { db in
            func times(_ column: String, _ value: String) async throws -> [Date] {
                try await db.select().column("created_at").from("citizen_reports").where(SQLIdentifier(column), .equal, value)
                    .where("created_at", .greaterThan, since.millisecondsSince1970).orderBy("created_at")
                    .all(decodingColumn: "created_at", as: Int64.self).map(Date.init(millisecondsSince1970:))
            }
            return (try await times("address", address), try await times("device", device))
        }
    }

    public func block(address: String, device: String, at now: Date) async throws -> CitizenBlock? {
        try await database.reader.select().columns("*").from("citizen_blocks")
            .where("until", .greaterThan, now.millisecondsSince1970)
            .where { either in
                either.where { $0.where("source_kind", .equal, CitizenSourceKind.address.rawValue).where("source", .equal, address) }
                    .orWhere { $0.where("source_kind", .equal, CitizenSourceKind.device.rawValue).where("source", .equal, device) }
            }
            .all(decoding: BlockRow.self, with: .snake).map { try $0.block() }.max { $0.until < $1.until }
    }

    public func markAbuse(caseID: Int64, byUserID: Int64, until: Date, at now: Date) async throws -> [CitizenBlock] {
        try await database.transaction { db in
            guard
                let row = try await db.update("citizen_reports").set("abuse_at", to: now.millisecondsSince1970)
                    .set("abuse_by_user_id", to: byUserID).where("case_id", .equal, caseID).returning("address", "device")
                    .first()
            else { throw DomainError.notFound("citizen report of case \(caseID)", field: "id") }
            let sources: [(CitizenSourceKind, String)] = [
                (.address, try row.decode(column: "address", as: String.self)), (.device, try row.decode(column: "device", as: String.self)),
            ]
            let blocks = sources.map {
                CitizenBlock(kind: $0.0, source: $0.1, until: until, caseID: caseID, byUserID: byUserID, createdAt: now)
            }
            try await db.insert(into: "citizen_blocks").columns("source_kind", "source", "until", "case_id", "by_user_id", "created_at")
                .rows(
                    blocks.map { block -> [any SQLExpression] in
                        [SQLBind(block.kind.rawValue), SQLBind(block.source), SQLBind(block.until.millisecondsSince1970), SQLBind(block.caseID),
                         SQLBind(block.byUserID), SQLBind(block.createdAt.millisecondsSince1970)]
                    }
                ).run()
            return blocks
        }
    }

    public func recordLookAgain(caseID: Int64, note: String?, centreAreaID: Int64, message: String, at now: Date) async throws -> Bool {
        try await database.transaction { db in
            guard
                try await db.update("citizen_reports").set("look_again_at", to: now.millisecondsSince1970).set("look_again_note", to: note)
                    .where("case_id", .equal, caseID).where("look_again_at", .is, SQLLiteral.null).returning("case_id").first() != nil
            else { return false }
            // A review request (复查) in the inbox, as a petitioner's is: the centre decides to reopen.
            let insert: SQLQueryString =
                "INSERT INTO notifications (user_id, case_id, kind, message, created_at) SELECT user_id, CAST(\(bind: caseID) AS BIGINT), "
                        + "CAST(\(bind: NoticeKind.requestReview.rawValue) AS TEXT), CAST(\(bind: message) AS TEXT), "
                        + "CAST(\(bind: now.millisecondsSince1970) AS BIGINT) FROM posts "
                + "WHERE area_id = \(bind: centreAreaID) AND role = \(bind: Role.dispatcher.rawValue)"
            try await db.execute(sql: insert) { _ in }
            return true
        }
    }

    public func portalPrincipal(areaID: Int64, at now: Date) async throws -> Principal {
        if let found = try await portal() { return found }
        do {
            try await database.transaction { db in
                let userID = try await SQLPeopleStore.nextID(of: "users", on: db)
                // A password hash no password matches, and disabled: nobody signs in as the portal.
                try await db.insert(into: "users").columns("id", "username", "display_name", "password_hash", "created_at", "disabled_at")
                    .values(
                        SQLBind(userID), SQLBind(Self.portalUsername), SQLBind("群众门户"), SQLBind("!"),
                        SQLBind(now.millisecondsSince1970), SQLBind(now.millisecondsSince1970)
                    ).run()
                let postID = try await SQLPeopleStore.nextID(of: "posts", on: db)
                let level = try await db.select().column("level").from("areas").where("id", .equal, areaID)
                    .first(decodingColumn: "level", as: String.self) ?? AdminLevel.city.rawValue
                try await db.insert(into: "posts").columns("id", "user_id", "role", "area_id", "area_level")
                    .values(SQLBind(postID), SQLBind(userID), SQLBind(Role.citizen.rawValue), SQLBind(areaID), SQLBind(level)).run()
            }
        } catch {
            // Another server made it first: theirs is the one.
            guard let found = try await portal() else { throw error }
            return found
        }
        guard let found = try await portal() else { throw StoreError.corrupt("the portal's account was not written") }
        return found
    }

    private func portal() async throws -> Principal? {
        struct Row: Codable {
            var userId: Int64
            var displayName: String
            var postId: Int64
            var areaId: Int64
            var areaLevel: String
        }
        let found = try await database.reader.select()
            .column(SQLColumn("id", table: "u"), as: "user_id").column(SQLColumn("display_name", table: "u"))
            .column(SQLColumn("id", table: "p"), as: "post_id").column(SQLColumn("area_id", table: "p")).column(SQLColumn("area_level", table: "p"))
            .from(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("posts"), as: SQLIdentifier("p")), on: SQLColumn("user_id", table: "p"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("username", table: "u"), .equal, SQLBind(Self.portalUsername))
            .first(decoding: Row.self, with: .snake)
        guard let row = found else { return nil }
        let user = User(id: row.userId, username: Self.portalUsername, displayName: row.displayName, phone: nil)
        let post = Post(
            id: row.postId, userID: row.userId, role: .citizen, areaID: row.areaId, areaLevel: try stored(AdminLevel.self, row.areaLevel),
            departmentID: nil)
        return Principal(user: user, post: post)
    }

    public func publicReports(
        since: Date, hiddenCategoryIDs: Set<Int64>, level: AdminLevel?, areaID: Int64?, limit: Int
    ) async throws -> [PublicReportRow] {
        struct Row: Codable {
            var id: Int64
            var categoryId: Int64
            var townId: Int64
            var villageId: Int64
            var status: String
            var createdAt: Int64
            var lat: Double?
            var lng: Double?
        }
        let select = database.reader.select().columns("id", "category_id", "town_id", "village_id", "status", "created_at", "lat", "lng")
            .from("cases").where("created_at", .greaterThanOrEqual, since.millisecondsSince1970)
        if !hiddenCategoryIDs.isEmpty { select.where("category_id", .notIn, Array(hiddenCategoryIDs).sorted()) }
        if let level, let areaID { select.where(SQLIdentifier("\(level.rawValue)_id"), .equal, areaID) }
        // Merged duplicates would show one problem twice.
        select.where("status", .notEqual, CaseStatus.merged.rawValue)
        return try await select.orderBy("created_at", .descending).orderBy("id", .descending).limit(limit)
            .all(decoding: Row.self, with: .snake).map { row in
                PublicReportRow(
                    caseID: row.id, categoryID: row.categoryId, townID: row.townId, villageID: row.villageId,
                    status: try stored(CaseStatus.self, row.status), createdAt: Date(millisecondsSince1970: row.createdAt),
                    location: row.lat.flatMap { lat in row.lng.map { GeoPoint(lat: lat, lng: $0) } })
            }
    }

    public func claimDueNotices(now: Date, limit: Int, lease: TimeInterval) async throws -> [CitizenNotice] {
        let nowMillis = now.millisecondsSince1970
        // Most polls find nothing: a reader's look first keeps them off SQLite's one writer.
        let anyDue = try await database.reader.select().column("id").from("citizen_notices")
            .where("next_attempt_at", .lessThanOrEqual, nowMillis).limit(1).first()
        guard anyDue != nil else { return [] }
        return try await database.transaction { db in
            let rows = try await db.select().columns("id", "case_id", "kind", "at", "attempts").from("citizen_notices")
                .where("next_attempt_at", .lessThanOrEqual, nowMillis).orderBy("next_attempt_at").orderBy("id").limit(limit)
                .all(decoding: NoticeRow.self, with: .snake)
            guard !rows.isEmpty else { return [] }
            // The claim: pushed past the lease, so another server's round leaves them alone.
            try await db.update("citizen_notices").set("next_attempt_at", to: now.addingTimeInterval(lease).millisecondsSince1970)
                .where("id", .in, rows.map(\.id)).run()
            return try rows.map { try $0.notice() }
        }
    }

    public func senders(ofNotices ids: [Int64]) async throws -> [Int64: Set<String>] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Codable {
            var noticeId: Int64
            var sender: String
        }
        let rows = try await database.transaction { db in
            try await db.select().columns("notice_id", "sender").from("citizen_notice_deliveries").where("notice_id", .in, ids)
                .all(decoding: Row.self, with: .snake)
        }
        return Dictionary(grouping: rows, by: \.noticeId).mapValues { Set($0.map(\.sender)) }
    }

    public func markSent(noticeID: Int64, sender: String, at now: Date) async throws {
        try await database.transaction { db in
            try await db.insert(into: "citizen_notice_deliveries").columns("notice_id", "sender", "at")
                .values(SQLBind(noticeID), SQLBind(sender), SQLBind(now.millisecondsSince1970))
                .ignoringConflicts(with: ["notice_id", "sender"]).run()
        }
    }

    public func markDelivered(noticeID: Int64, at now: Date) async throws {
        try await database.transaction { db in
            try await db.update("citizen_notices").set("delivered_at", to: now.millisecondsSince1970)
                .set("next_attempt_at", to: SQLLiteral.null).set("last_error", to: SQLLiteral.null).where("id", .equal, noticeID).run()
        }
    }

    public func markFailed(noticeID: Int64, error: String, attempts: Int, nextAttemptAt: Date?) async throws {
        try await database.transaction { db in
            try await db.update("citizen_notices").set("attempts", to: attempts).set("last_error", to: String(error.prefix(500)))
                .set("next_attempt_at", to: nextAttemptAt?.millisecondsSince1970).where("id", .equal, noticeID).run()
        }
    }

    public func notices(caseID: Int64, sentBy sender: String?) async throws -> [CitizenNotice] {
        let select = database.reader.select().columns(["id", "case_id", "kind", "at", "attempts"].map { SQLColumn($0, table: "n") })
            .from(SQLAlias(SQLIdentifier("citizen_notices"), as: SQLIdentifier("n"))).where(SQLColumn("case_id", table: "n"), .equal, SQLBind(caseID))
        if let sender {
            select.join(
                SQLAlias(SQLIdentifier("citizen_notice_deliveries"), as: SQLIdentifier("d")),
                on: SQLBinaryExpression(
                    SQLBinaryExpression(SQLColumn("notice_id", table: "d"), .equal, SQLColumn("id", table: "n")), .and,
                    SQLBinaryExpression(SQLColumn("sender", table: "d"), .equal, SQLBind(sender))))
        }
        return try await select.orderBy(SQLColumn("at", table: "n")).orderBy(SQLColumn("id", table: "n"))
            .all(decoding: NoticeRow.self, with: .snake).map { try $0.notice() }
    }
}
