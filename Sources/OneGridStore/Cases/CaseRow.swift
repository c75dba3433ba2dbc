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

    /// The table of the `cases` columns, in the table's order (migrations 003, 004 and 006): each
    /// column's name and whether a step may change it. Decoding, `columns`, `values` and the
    /// changeable subset all derive from it, and the compiler holds it to the properties (each
    /// case names one, `value(_:)` reads each); `CaseRowTests` holds it to the migrated schema
    /// and to what `apply` and `record` read and write.
    /// Names are spelled out: a key strategy snake-cased every key of every row, which
    /// profiling showed to be most of a case list's CPU time.
    enum CodingKeys: String, CodingKey, CaseIterable {
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

        /// Whether a step may change the column (see `apply`): an update that names only these
        /// leaves the indexes on place and category alone.
        var isChangeable: Bool {
            switch self {
            case .id, .categoryId, .platform, .channel, .title, .description, .address, .lat, .lng, .cityId, .countyId,
                .townId, .villageId, .gridId, .reporterUserId, .reporterName, .reporterPhone, .reporterIdNumber,
                .createdByUserId, .createdAt:
                false
            default:
                true
            }
        }
    }

    typealias Column = CodingKeys

    /// Kept, not recomputed: `allCases` builds its array on every call, and `values` runs per row.
    static let table = Column.allCases

    /// Every column's name, in the order of `values`.
    static let columns = table.map(\.stringValue)

    /// The columns a step can change: an update writes these.
    static let changeable = table.filter(\.isChangeable)

    /// The value of one column, as bound.
    func value(_ column: Column) -> any Encodable & Sendable {
        switch column {
        case .id: id
        case .status: status
        case .version: version
        case .categoryId: categoryId
        case .platform: platform
        case .channel: channel
        case .title: title
        case .description: description
        case .address: address
        case .lat: lat
        case .lng: lng
        case .cityId: cityId
        case .countyId: countyId
        case .townId: townId
        case .villageId: villageId
        case .gridId: gridId
        case .handlingLevel: handlingLevel
        case .handlingAreaId: handlingAreaId
        case .suggestedDepartmentId: suggestedDepartmentId
        case .departmentId: departmentId
        case .watcherUserId: watcherUserId
        case .reporterUserId: reporterUserId
        case .reporterName: reporterName
        case .reporterPhone: reporterPhone
        case .reporterIdNumber: reporterIdNumber
        case .createdByUserId: createdByUserId
        case .finalLevel: finalLevel
        case .rating: rating
        case .primaryCaseId: primaryCaseId
        case .legalRoute: legalRoute
        case .createdAt: createdAt
        case .updatedAt: updatedAt
        case .dueAt: dueAt
        case .acceptedAt: acceptedAt
        case .assignedAt: assignedAt
        case .handledAt: handledAt
        case .closedAt: closedAt
        case .returnCount: returnCount
        case .reworkCount: reworkCount
        case .escalationCount: escalationCount
        case .eventCount: eventCount
        case .lastHash: lastHash
        case .clockStage: clockStage
        case .clockStartedAt: clockStartedAt
        case .clockYellowShare: clockYellowShare
        case .alertSent: alertSent
        case .nextAlertAt: nextAlertAt
        case .suspendedAt: suspendedAt
        case .clockShiftMillis: clockShiftMillis
        case .extensionCount: extensionCount
        case .reviewCount: reviewCount
        }
    }

    /// The row's values bound one by one, for multi-row inserts: `SQLQueryEncoder` snake-cases
    /// every key of every row, which costs more than the database itself on the bulk paths.
    var values: [any SQLExpression] {
        Self.table.map { bindOrNull(value($0)) }
    }

    /// A row read column by column. SQLKit's row decoder goes through a keyed container per row
    /// and three lookups per optional column: at 50 cases a page it was a seventh of the queue's
    /// time, twice what reading the columns themselves costs.
    init(row: some SQLRow) throws {
        func required<T: Decodable>(_ column: Column) throws -> T {
            try row.decode(column: column.stringValue, as: T.self)
        }
        func optional<T: Decodable>(_ column: Column) throws -> T? {
            try row.decodeNil(column: column.stringValue) ? nil : row.decode(column: column.stringValue, as: T.self)
        }
        id = try optional(.id)
        status = try required(.status)
        version = try required(.version)
        categoryId = try required(.categoryId)
        platform = try required(.platform)
        channel = try required(.channel)
        title = try required(.title)
        description = try required(.description)
        address = try optional(.address)
        lat = try optional(.lat)
        lng = try optional(.lng)
        cityId = try required(.cityId)
        countyId = try required(.countyId)
        townId = try required(.townId)
        villageId = try required(.villageId)
        gridId = try required(.gridId)
        handlingLevel = try required(.handlingLevel)
        handlingAreaId = try required(.handlingAreaId)
        suggestedDepartmentId = try optional(.suggestedDepartmentId)
        departmentId = try optional(.departmentId)
        watcherUserId = try optional(.watcherUserId)
        reporterUserId = try optional(.reporterUserId)
        reporterName = try optional(.reporterName)
        reporterPhone = try optional(.reporterPhone)
        reporterIdNumber = try optional(.reporterIdNumber)
        createdByUserId = try optional(.createdByUserId)
        finalLevel = try optional(.finalLevel)
        rating = try optional(.rating)
        primaryCaseId = try optional(.primaryCaseId)
        legalRoute = try optional(.legalRoute)
        createdAt = try required(.createdAt)
        updatedAt = try required(.updatedAt)
        dueAt = try required(.dueAt)
        acceptedAt = try optional(.acceptedAt)
        assignedAt = try optional(.assignedAt)
        handledAt = try optional(.handledAt)
        closedAt = try optional(.closedAt)
        returnCount = try required(.returnCount)
        reworkCount = try required(.reworkCount)
        escalationCount = try required(.escalationCount)
        eventCount = try required(.eventCount)
        lastHash = try required(.lastHash)
        clockStage = try optional(.clockStage)
        clockStartedAt = try optional(.clockStartedAt)
        clockYellowShare = try optional(.clockYellowShare)
        alertSent = try optional(.alertSent)
        nextAlertAt = try optional(.nextAlertAt)
        suspendedAt = try optional(.suspendedAt)
        clockShiftMillis = try required(.clockShiftMillis)
        extensionCount = try required(.extensionCount)
        reviewCount = try required(.reviewCount)
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

    /// The `case_events` columns but the identity, in the table's order; `columns` and `values`
    /// derive from it.
    enum CodingKeys: String, CodingKey, CaseIterable {
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

    static let table = CodingKeys.allCases
    static let columns = table.map(\.stringValue)

    func value(_ column: CodingKeys) -> any Encodable & Sendable {
        switch column {
        case .caseId: caseId
        case .sequence: sequence
        case .action: action
        case .fromStatus: fromStatus
        case .toStatus: toStatus
        case .actorUserId: actorUserId
        case .actorPostId: actorPostId
        case .actorRole: actorRole
        case .at: at
        case .note: note
        case .details: details
        case .previousHash: previousHash
        case .hash: hash
        }
    }

    var values: [any SQLExpression] {
        Self.table.map { bindOrNull(value($0)) }
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
