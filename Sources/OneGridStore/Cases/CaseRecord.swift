public import Foundation
public import OneGridDomain

/// Who reported a case. Phone and ID number are personal data: the API masks them for posts
/// that do not need them.
public struct Reporter: Codable, Sendable, Hashable {
    public var name: String?
    public var phone: String?
    public var idNumber: String?
    /// Set when a signed-in citizen reported it, so they can follow and rate it.
    public var userID: Int64?

    public init(name: String? = nil, phone: String? = nil, idNumber: String? = nil, userID: Int64? = nil) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
        self.userID = userID
    }
}

/// A case as intake hands it to the store: validated, routed, with its first deadline.
public struct CaseDraft: Sendable {
    public var category: OneGridDomain.Category
    public var channel: Channel
    public var title: String
    public var description: String
    public var address: String?
    public var location: GeoPoint?
    public var routing: RoutingDecision
    public var reporter: Reporter
    public var createdBy: Principal?
    public var createdAt: Date
    public var dueAt: Date
    /// A client's retry key: the same key from the same user returns the first case.
    public var idempotencyKey: String?
    /// The acceptance clock and when the sweeper first looks (see `DeadlinePlanner.intake`).
    public var clock: CaseClock?
    public var nextAlertAt: Date?
    /// What an Open311 request brought beyond the case, written in the case's transaction.
    public var open311: Open311Submission?
    /// The attachments that came with the report, kept on its `report` event.
    public var evidence: [String] = []
    /// What the citizen's portal keeps beside the case, written in the case's transaction.
    public var citizen: CitizenSubmission?
    /// The 12345 hotline's ticket number: the case's reference in the hotline's system.
    public var hotlineTicket: String?

    public init(
        category: OneGridDomain.Category, channel: Channel, title: String, description: String, address: String?,
        location: GeoPoint?, routing: RoutingDecision, reporter: Reporter, createdBy: Principal?, createdAt: Date,
        dueAt: Date, idempotencyKey: String?, clock: CaseClock? = nil, nextAlertAt: Date? = nil
    ) {
        self.category = category
        self.channel = channel
        self.title = title
        self.description = description
        self.address = address
        self.location = location
        self.routing = routing
        self.reporter = reporter
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.idempotencyKey = idempotencyKey
        self.clock = clock
        self.nextAlertAt = nextAlertAt
    }

    /// The intake key a draft claims, and whose it is: a user's own retry key, or a hotline
    /// ticket's number, which names one matter whichever of the hotline's accounts or keys sends
    /// it, so it is claimed for the hotline as a whole (`hotlineKeyOwner`).
    public var intakeClaim: (owner: Int64, key: String)? {
        if let hotlineTicket { return (Self.hotlineKeyOwner, Self.hotlineKey(hotlineTicket)) }
        guard let idempotencyKey, let userID = createdBy?.user.id else { return nil }
        return (userID, idempotencyKey)
    }

    /// The owner of the hotline's tickets among the intake keys: no user has id 0.
    public static let hotlineKeyOwner: Int64 = 0
    public static func hotlineKey(_ ticket: String) -> String { "hotline/" + ticket }
}

/// A stored case: the workflow's `CaseFile` and what describes it.
public struct CaseRecord: Sendable, Hashable {
    public var file: CaseFile
    public var platform: Platform
    public var channel: Channel
    public var title: String
    public var description: String
    public var address: String?
    public var location: GeoPoint?
    public var reporter: Reporter
    public var createdAt: Date
    public var updatedAt: Date
    public var dueAt: Date
    /// The timeline's head: how many events it holds and the hash of the last.
    public var eventCount: Int
    public var lastHash: String

    public var id: Int64 { file.id }

    /// Open and past its due time at `now`.
    public func isOverdue(at now: Date) -> Bool { file.status.isOpen && dueAt < now }
}

/// The outcome of one intake: the case, and whether it is the one an earlier try created.
public struct Intake: Sendable {
    public var record: CaseRecord
    public var isReplay: Bool
}

/// Filters of the case list. All are optional and combine with AND.
public struct CaseQuery: Sendable {
    public var statuses: [CaseStatus] = []
    public var categoryIDs: [Int64] = []
    public var platform: Platform?
    public var channel: Channel?
    /// Narrows to a sub-area of what the post may see.
    public var area: (level: AdminLevel, id: Int64)?
    public var departmentID: Int64?
    public var overdue: Bool?
    public var text: String?
    public var createdFrom: Date?
    public var createdBefore: Date?
    public var order: CaseOrder = .newest
    /// Where the previous page ended (its `CasePage.next`), in the same order.
    public var after: CaseCursor?
    public var limit: Int = 20

    public init() {}

    /// The open cases of a grid and category reported within `Duplicates.window` either side of
    /// `time`: the candidates for one matter reported twice, read from `cases_open_grid_category`.
    public static func alike(gridID: Int64, categoryID: Int64, around time: Date) -> CaseQuery {
        var query = CaseQuery()
        query.area = (.grid, gridID)
        query.categoryIDs = [categoryID]
        query.statuses = CaseStatus.allCases.filter(\.isOpen)
        query.createdFrom = time.addingTimeInterval(-Duplicates.window)
        query.createdBefore = time.addingTimeInterval(Duplicates.window)
        // Latest reported first, the index's own order: a page of it is the index's first 200
        // entries, where newest by id read and sorted every open case of the grid's category and
        // fortnight (4,400 after a soak's hour of street-light reports, 300 ms from a cold file).
        query.order = .reported
        query.limit = 200
        return query
    }
}

/// The order of a case list.
public enum CaseOrder: String, Sendable, CaseIterable {
    /// Newest first, by id: every case the filters match.
    case newest
    /// The least time left first, by due time, then id: open cases only, since a closed case
    /// has no time left to run out. Read in order from the index of open cases by due time.
    case urgent
    /// Latest reported first, by report time, then id. Differs from the newest when cases arrive
    /// out of their time (historic cases imported after live ones); Open311 lists in this order,
    /// as GeoReport clients sort by `requested_datetime`. Read in order from the report-time indexes.
    case reported
}

/// The last case of a page, in the terms of its order: the next page starts after it.
public struct CaseCursor: Sendable, Hashable, LosslessStringConvertible {
    public var id: Int64
    /// Its due time, in milliseconds; set in the urgent order, which pages by (due time, id).
    public var dueAt: Int64?
    /// Its report time, in milliseconds; set in the reported order, which pages by (report time, id).
    public var reportedAt: Int64?

    public init(id: Int64, dueAt: Int64? = nil, reportedAt: Int64? = nil) {
        self.id = id
        self.dueAt = dueAt
        self.reportedAt = reportedAt
    }

    /// The cursor of `record`'s place in `order`.
    public init(after record: CaseRecord, in order: CaseOrder) {
        self.init(
            id: record.id, dueAt: order == .urgent ? record.dueAt.millisecondsSince1970 : nil,
            reportedAt: order == .reported ? record.createdAt.millisecondsSince1970 : nil)
    }

    /// "id" in the newest order (what clients were always given), "dueAt.id" in the urgent one,
    /// "r" and "reportedAt.id" in the reported one.
    public var description: String {
        if let dueAt { return "\(dueAt).\(id)" }
        if let reportedAt { return "r\(reportedAt).\(id)" }
        return String(id)
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard let id = parts.last.flatMap({ Int64($0) }), id > 0 else { return nil }
        switch parts.count {
        case 1: self.init(id: id)
        case 2 where parts[0].hasPrefix("r"):
            guard let reportedAt = Int64(parts[0].dropFirst()) else { return nil }
            self.init(id: id, reportedAt: reportedAt)
        case 2:
            guard let dueAt = Int64(parts[0]) else { return nil }
            self.init(id: id, dueAt: dueAt)
        default: return nil
        }
    }

    /// Whether this cursor can continue a list in `order`.
    public func fits(_ order: CaseOrder) -> Bool { (dueAt != nil) == (order == .urgent) && (reportedAt != nil) == (order == .reported) }
}

public struct CasePage: Sendable {
    public var cases: [CaseRecord]
    /// Pass as `CaseQuery.after` for the next page; nil on the last page.
    public var next: CaseCursor?
}

/// A timeline event as stored, with its hash.
public struct StoredEvent: Sendable, Hashable {
    public var event: TimelineEvent
    public var hash: String
}

/// One record of a reporter's personal data being shown unmasked.
public struct Disclosure: Sendable, Hashable, Codable {
    public var caseID: Int64
    public var userID: Int64
    public var postID: Int64
    public var field: String
    public var at: Date
}

/// Something `onegrid audit verify` found wrong with a timeline.
public struct AuditFinding: Sendable, Hashable, CustomStringConvertible {
    public var caseID: Int64
    public var sequence: Int?
    public var problem: String

    public var description: String {
        "case \(caseID)" + (sequence.map { " event \($0)" } ?? "") + ": \(problem)"
    }
}
