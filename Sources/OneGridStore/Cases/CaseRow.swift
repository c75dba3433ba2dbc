import Foundation
import OneGridDomain
import SQLKit

/// The `cases` table's row, column for column (snake_case in SQL).
struct CaseRow: Codable, Sendable {
    var id: Int64?
    var status: String
    var version: Int
    var categoryId: Int64
    var platform: String
    var channel: String
    var title: String
    var description: String
    var address: String?
    var lat: Double?
    var lng: Double?
    var cityId: Int64
    var countyId: Int64
    var townId: Int64
    var villageId: Int64
    var gridId: Int64
    var handlingLevel: String
    var handlingAreaId: Int64
    var suggestedDepartmentId: Int64?
    var departmentId: Int64?
    var watcherUserId: Int64?
    var reporterUserId: Int64?
    var reporterName: String?
    var reporterPhone: String?
    var reporterIdNumber: String?
    var createdByUserId: Int64?
    var finalLevel: String?
    var rating: String?
    var primaryCaseId: Int64?
    var legalRoute: String?
    var createdAt: Int64
    var updatedAt: Int64
    var dueAt: Int64
    var acceptedAt: Int64?
    var assignedAt: Int64?
    var handledAt: Int64?
    var closedAt: Int64?
    var returnCount: Int
    var reworkCount: Int
    var escalationCount: Int
    var eventCount: Int
    var lastHash: String
    var clockStage: String?
    var clockStartedAt: Int64?
    var clockYellowShare: Double?
    var alertSent: String?
    var nextAlertAt: Int64?
    var suspendedAt: Int64?
    var clockShiftMillis: Int64
    var extensionCount: Int
    var reviewCount: Int

    /// Column names spelled out: decoding with a key strategy snake-cased every key of every
    /// row, which profiling showed to be most of a case list's CPU time.
    enum CodingKeys: String, CodingKey {
        case id
        case status
        case version
        case categoryId = "category_id"
        case platform
        case channel
        case title
        case description
        case address
        case lat
        case lng
        case cityId = "city_id"
        case countyId = "county_id"
        case townId = "town_id"
        case villageId = "village_id"
        case gridId = "grid_id"
        case handlingLevel = "handling_level"
        case handlingAreaId = "handling_area_id"
        case suggestedDepartmentId = "suggested_department_id"
        case departmentId = "department_id"
        case watcherUserId = "watcher_user_id"
        case reporterUserId = "reporter_user_id"
        case reporterName = "reporter_name"
        case reporterPhone = "reporter_phone"
        case reporterIdNumber = "reporter_id_number"
        case createdByUserId = "created_by_user_id"
        case finalLevel = "final_level"
        case rating
        case primaryCaseId = "primary_case_id"
        case legalRoute = "legal_route"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case dueAt = "due_at"
        case acceptedAt = "accepted_at"
        case assignedAt = "assigned_at"
        case handledAt = "handled_at"
        case closedAt = "closed_at"
        case returnCount = "return_count"
        case reworkCount = "rework_count"
        case escalationCount = "escalation_count"
        case eventCount = "event_count"
        case lastHash = "last_hash"
        case clockStage = "clock_stage"
        case clockStartedAt = "clock_started_at"
        case clockYellowShare = "clock_yellow_share"
        case alertSent = "alert_sent"
        case nextAlertAt = "next_alert_at"
        case suspendedAt = "suspended_at"
        case clockShiftMillis = "clock_shift_millis"
        case extensionCount = "extension_count"
        case reviewCount = "review_count"
    }

    /// Every column, in the order of `values`.
    static let columns = [
        "id", "status", "version", "category_id", "platform", "channel", "title", "description", "address", "lat",
        "lng", "city_id", "county_id", "town_id", "village_id", "grid_id", "handling_level", "handling_area_id",
        "suggested_department_id", "department_id", "watcher_user_id", "reporter_user_id", "reporter_name",
        "reporter_phone", "reporter_id_number", "created_by_user_id", "final_level", "rating", "primary_case_id",
        "legal_route", "created_at", "updated_at", "due_at", "accepted_at", "assigned_at", "handled_at", "closed_at",
        "return_count", "rework_count", "escalation_count", "event_count", "last_hash", "clock_stage",
        "clock_started_at", "clock_yellow_share", "alert_sent", "next_alert_at", "suspended_at", "clock_shift_millis",
        "extension_count", "review_count",
    ]

    /// The row's values bound one by one, for multi-row inserts: `SQLQueryEncoder` snake-cases
    /// every key of every row, which costs more than the database itself on the bulk paths.
    var values: [any SQLExpression] {
        let values: [any Encodable & Sendable] = [
            id, status, version, categoryId, platform, channel, title, description, address, lat,
            lng, cityId, countyId, townId, villageId, gridId, handlingLevel, handlingAreaId,
            suggestedDepartmentId, departmentId, watcherUserId, reporterUserId, reporterName,
            reporterPhone, reporterIdNumber, createdByUserId, finalLevel, rating, primaryCaseId,
            legalRoute, createdAt, updatedAt, dueAt, acceptedAt, assignedAt, handledAt, closedAt,
            returnCount, reworkCount, escalationCount, eventCount, lastHash, clockStage,
            clockStartedAt, clockYellowShare, alertSent, nextAlertAt, suspendedAt, clockShiftMillis,
            extensionCount, reviewCount,
        ]
        return values.map(bindOrNull)
    }

    /// The columns a step can change (see `apply`), in the order of `changeableValues`: an update
    /// that names only these leaves the indexes on place and category alone.
    static let changeableColumns = [
        "status", "version", "handling_level", "handling_area_id", "suggested_department_id", "department_id",
        "watcher_user_id", "final_level", "rating", "primary_case_id", "legal_route", "updated_at", "due_at",
        "accepted_at", "assigned_at", "handled_at", "closed_at", "return_count", "rework_count", "escalation_count",
        "event_count", "last_hash", "clock_stage", "clock_started_at", "clock_yellow_share", "alert_sent",
        "next_alert_at", "suspended_at", "clock_shift_millis", "extension_count", "review_count",
    ]

    var changeableValues: [any Encodable & Sendable] {
        [
            status, version, handlingLevel, handlingAreaId, suggestedDepartmentId, departmentId,
            watcherUserId, finalLevel, rating, primaryCaseId, legalRoute, updatedAt, dueAt,
            acceptedAt, assignedAt, handledAt, closedAt, returnCount, reworkCount, escalationCount,
            eventCount, lastHash, clockStage, clockStartedAt, clockYellowShare, alertSent,
            nextAlertAt, suspendedAt, clockShiftMillis, extensionCount, reviewCount,
        ]
    }

    init(draft: CaseDraft) {
        let areas = draft.routing.areas
        id = nil
        status = CaseStatus.reported.rawValue
        version = 1
        categoryId = draft.category.id
        platform = draft.category.platform.rawValue
        channel = draft.channel.rawValue
        title = draft.title
        description = draft.description
        address = draft.address
        lat = draft.location?.lat
        lng = draft.location?.lng
        cityId = areas.city
        countyId = areas.county
        townId = areas.town
        villageId = areas.village
        gridId = areas.grid
        handlingLevel = draft.routing.handlingLevel.rawValue
        handlingAreaId = draft.routing.handlingAreaID
        suggestedDepartmentId = draft.routing.suggestedDepartmentID
        reporterUserId = draft.reporter.userID
        reporterName = draft.reporter.name
        reporterPhone = draft.reporter.phone
        reporterIdNumber = draft.reporter.idNumber
        createdByUserId = draft.createdBy?.user.id
        createdAt = draft.createdAt.millisecondsSince1970
        updatedAt = createdAt
        dueAt = draft.dueAt.millisecondsSince1970
        returnCount = 0
        reworkCount = 0
        escalationCount = 0
        eventCount = 0
        lastHash = TimelineEvent.genesisHash
        clockShiftMillis = 0
        extensionCount = 0
        reviewCount = 0
        if let clock = draft.clock {
            setClock(clock)
            nextAlertAt = draft.nextAlertAt?.millisecondsSince1970
        }
    }

    /// The running clock's columns; `due_at` is its due time, which the overdue filter reads.
    mutating func setClock(_ clock: CaseClock?) {
        clockStage = clock?.stage.rawValue
        clockStartedAt = clock?.startedAt.millisecondsSince1970
        clockYellowShare = clock?.yellowShare
        if let clock { dueAt = clock.dueAt.millisecondsSince1970 }
    }

    /// Writes a case file's workflow fields into the row; the descriptive ones stay.
    mutating func apply(_ file: CaseFile) {
        status = file.status.rawValue
        version = file.version
        handlingLevel = file.handlingLevel.rawValue
        handlingAreaId = file.handlingAreaID
        suggestedDepartmentId = file.suggestedDepartmentID
        departmentId = file.departmentID
        watcherUserId = file.watcherUserID
        finalLevel = file.finalLevel?.rawValue
        rating = file.rating?.rawValue
        primaryCaseId = file.primaryCaseID
        legalRoute = file.legalRoute?.rawValue
        acceptedAt = file.acceptedAt?.millisecondsSince1970
        assignedAt = file.assignedAt?.millisecondsSince1970
        handledAt = file.handledAt?.millisecondsSince1970
        closedAt = file.closedAt?.millisecondsSince1970
        returnCount = file.returnCount
        reworkCount = file.reworkCount
        escalationCount = file.escalationCount
        setClock(file.clock)
        alertSent = file.alertSent?.rawValue
        nextAlertAt = file.nextAlertAt?.millisecondsSince1970
        suspendedAt = file.suspendedAt?.millisecondsSince1970
        clockShiftMillis = Int64((file.clockShift * 1000).rounded())
        extensionCount = file.extensionCount
        reviewCount = file.reviewCount
    }

    func record(assists: [CaseFile.Assist]) throws -> CaseRecord {
        func date(_ millis: Int64?) -> Date? { millis.map(Date.init(millisecondsSince1970:)) }
        let file = CaseFile(
            id: id ?? 0, status: try stored(CaseStatus.self, status), version: version, categoryID: categoryId,
            areas: AreaPath(city: cityId, county: countyId, town: townId, village: villageId, grid: gridId),
            handlingLevel: try stored(AdminLevel.self, handlingLevel), handlingAreaID: handlingAreaId,
            suggestedDepartmentID: suggestedDepartmentId, departmentID: departmentId, assists: assists,
            watcherUserID: watcherUserId, reporterUserID: reporterUserId,
            finalLevel: try finalLevel.map { try stored(AdminLevel.self, $0) },
            rating: try rating.map { try stored(Rating.self, $0) }, primaryCaseID: primaryCaseId,
            legalRoute: try legalRoute.map { try stored(LegalRoute.self, $0) }, acceptedAt: date(acceptedAt),
            assignedAt: date(assignedAt), handledAt: date(handledAt), closedAt: date(closedAt),
            returnCount: returnCount, reworkCount: reworkCount, escalationCount: escalationCount,
            clock: try clockStage.map { stage in
                CaseClock(
                    stage: try stored(DeadlineStage.self, stage), startedAt: date(clockStartedAt) ?? date(createdAt)!,
                    dueAt: Date(millisecondsSince1970: dueAt), yellowShare: clockYellowShare ?? 0.8)
            },
            alertSent: try alertSent.map { try stored(AlertKind.self, $0) }, suspendedAt: date(suspendedAt),
            clockShift: Double(clockShiftMillis) / 1000, extensionCount: extensionCount, reviewCount: reviewCount,
            nextAlertAt: date(nextAlertAt))
        return CaseRecord(
            file: file, platform: try stored(Platform.self, platform), channel: try stored(Channel.self, channel),
            title: title, description: description, address: address,
            location: lat.flatMap { lat in lng.map { GeoPoint(lat: lat, lng: $0) } },
            reporter: Reporter(name: reporterName, phone: reporterPhone, idNumber: reporterIdNumber, userID: reporterUserId),
            createdAt: Date(millisecondsSince1970: createdAt), updatedAt: Date(millisecondsSince1970: updatedAt),
            dueAt: Date(millisecondsSince1970: dueAt), eventCount: eventCount, lastHash: lastHash)
    }
}

/// The `case_events` table's row.
struct EventRow: Codable, Sendable {
    var caseId: Int64
    var sequence: Int
    var action: String
    var fromStatus: String?
    var toStatus: String
    var actorUserId: Int64?
    var actorPostId: Int64?
    var actorRole: String?
    var at: Int64
    var note: String?
    var details: String
    var previousHash: String
    var hash: String

    enum CodingKeys: String, CodingKey {
        case caseId = "case_id"
        case sequence
        case action
        case fromStatus = "from_status"
        case toStatus = "to_status"
        case actorUserId = "actor_user_id"
        case actorPostId = "actor_post_id"
        case actorRole = "actor_role"
        case at
        case note
        case details
        case previousHash = "previous_hash"
        case hash
    }

    static let columns = [
        "case_id", "sequence", "action", "from_status", "to_status", "actor_user_id", "actor_post_id", "actor_role",
        "at", "note", "details", "previous_hash", "hash",
    ]

    var values: [any SQLExpression] {
        let values: [any Encodable & Sendable] = [
            caseId, sequence, action, fromStatus, toStatus, actorUserId, actorPostId, actorRole, at, note, details,
            previousHash, hash,
        ]
        return values.map(bindOrNull)
    }

    init(_ stored: StoredEvent) {
        let event = stored.event
        caseId = event.caseID
        sequence = event.sequence
        action = event.action.rawValue
        fromStatus = event.fromStatus?.rawValue
        toStatus = event.toStatus.rawValue
        actorUserId = event.actorUserID
        actorPostId = event.actorPostID
        actorRole = event.actorRole?.rawValue
        at = event.atMillis
        note = event.note
        details = CanonicalJSON.object(event.details)
        previousHash = event.previousHash
        hash = stored.hash
    }

    func stored() throws -> StoredEvent {
        let details = try JSONDecoder().decode([String: String].self, from: Data(details.utf8))
        return StoredEvent(
            event: TimelineEvent(
                caseID: caseId, sequence: sequence, action: try OneGridStore.stored(CaseAction.self, action),
                fromStatus: try fromStatus.map { try OneGridStore.stored(CaseStatus.self, $0) },
                toStatus: try OneGridStore.stored(CaseStatus.self, toStatus), actorUserID: actorUserId,
                actorPostID: actorPostId, actorRole: try actorRole.map { try OneGridStore.stored(Role.self, $0) },
                atMillis: at, note: note, details: details, previousHash: previousHash),
            hash: hash)
    }
}

extension JSONEncoder {
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// A value as a bound parameter, or NULL written out: a nil needs no encoding round trip, and
/// intake rows carry many.
func bindOrNull(_ value: any Encodable & Sendable) -> any SQLExpression {
    if let optional = value as? any OptionalProtocol, optional.isNone { return SQLLiteral.null }
    return SQLBind(value)
}

protocol OptionalProtocol {
    var isNone: Bool { get }
}

extension Optional: OptionalProtocol {
    var isNone: Bool { self == nil }
}
