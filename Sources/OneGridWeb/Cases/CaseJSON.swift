import Foundation
import Hummingbird
import OneGridDomain
import OneGridStore

/// A case as the API shows it to one post: names resolved, personal data masked, and the
/// actions this post may take now. Lists and intake answers carry the summary (what a queue
/// row or a receipt shows); a case's own page and action answers carry the detail too, in the
/// fields that are absent from a summary.
struct CaseJSON: JSONResponse, Sendable {
    struct Reporter: Sendable, JSONWritable {
        var name: String?
        var phone: String?
        var idNumber: String?
        /// True when phone and ID number are masked; `POST …/reveal` shows them and is recorded.
        var masked: Bool

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("name", name)
                json.field("phone", phone)
                json.field("idNumber", idNumber)
                json.field("masked", masked)
            }
        }
    }

    struct Handling: Sendable, JSONWritable {
        var level: AdminLevel
        var area: AreaJSON?

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("level", level)
                json.field("area", area)
            }
        }
    }

    /// The running stage's clock as a person reads it: time used and left, and its colour.
    struct RunningClock: Sendable, JSONWritable {
        var stage: DeadlineStage
        var startedAt: Date
        /// When it turns (or turned) yellow: the share of the limit the clock started with.
        var yellowAt: Date
        var dueAt: Date
        var colour: ClockColour
        var usedSeconds: Int
        var leftSeconds: Int
        /// Share of the limit used; above 1 when overdue.
        var share: Double
        var suspended: Bool
        var lastAlert: AlertKind?

        init(_ clock: CaseClock, file: CaseFile, now: Date) {
            // A suspended clock stands still at the moment it stopped.
            let at = file.suspendedAt ?? now
            stage = clock.stage
            startedAt = clock.startedAt
            yellowAt = clock.yellowAt
            dueAt = clock.dueAt
            colour = clock.colour(at: at)
            usedSeconds = Int(clock.used(at: at))
            leftSeconds = Int(clock.left(at: at))
            share = (clock.share(at: at) * 1000).rounded() / 1000
            suspended = file.suspendedAt != nil
            lastAlert = file.alertSent
        }

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("stage", stage)
                json.field("startedAt", startedAt)
                json.field("yellowAt", yellowAt)
                json.field("dueAt", dueAt)
                json.field("colour", colour)
                json.field("usedSeconds", usedSeconds)
                json.field("leftSeconds", leftSeconds)
                json.field("share", share)
                json.field("suspended", suspended)
                json.field("lastAlert", lastAlert)
            }
        }
    }

    struct Assist: Sendable, JSONWritable {
        var department: DepartmentJSON?
        var reportedAt: Date?

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("department", department)
                json.field("reportedAt", reportedAt)
            }
        }
    }

    var id: Int64
    /// The case number people quote: date of report and id.
    var number: String
    var version: Int
    var status: CaseStatus
    var statusName: String
    var allowedActions: [CaseAction]
    var title: String
    var description: String?
    var category: CategoryJSON?
    var categoryCode: String?
    var categoryName: String?
    var platform: Platform
    var channel: Channel
    var location: GeoPoint?
    var address: String?
    /// The place at every level, city first.
    var areas: [(level: AdminLevel, area: AreaJSON)]
    var handling: Handling
    var suggestedDepartment: DepartmentJSON?
    var department: DepartmentJSON?
    var assists: [Assist]?
    var watcherUserID: Int64?
    /// Absent from an export, which never carries personal data.
    var reporter: Reporter?
    var finalLevel: AdminLevel?
    var rating: Rating?
    var primaryCaseID: Int64?
    var legalRoute: LegalRoute?
    var createdAt: Date
    var updatedAt: Date?
    var dueAt: Date
    var overdue: Bool
    var clock: RunningClock?
    var extensionCount: Int?
    var reviewCount: Int?
    var acceptedAt: Date?
    var assignedAt: Date?
    var handledAt: Date?
    var closedAt: Date?
    var returnCount: Int?
    var reworkCount: Int?
    var escalationCount: Int?

    init(_ record: CaseRecord, for post: Post, directory: Directory, calendar: WorkCalendar, now: Date, detail: Bool) {
        let file = record.file
        id = record.id
        number = Self.number(of: record, calendar: calendar)
        version = file.version
        status = file.status
        statusName = file.status.chineseName
        allowedActions = CasePolicy.allowedActions(on: file, as: post)
        title = record.title
        let category = directory.categories[file.categoryID]
        categoryCode = category?.code
        categoryName = category?.name
        platform = record.platform
        channel = record.channel
        areas = AdminLevel.allCases.compactMap { level in directory.areas[file.areas[level]].map { (level, AreaJSON($0)) } }
        handling = Handling(level: file.handlingLevel, area: directory.areas[file.handlingAreaID].map(AreaJSON.init))
        suggestedDepartment = file.suggestedDepartmentID.flatMap { directory.departments[$0] }.map(DepartmentJSON.init)
        department = file.departmentID.flatMap { directory.departments[$0] }.map(DepartmentJSON.init)
        let ownReport = post.role == .citizen && file.reporterUserID == post.userID
        reporter = Reporter(
            name: record.reporter.name,
            phone: ownReport ? record.reporter.phone : record.reporter.phone.map(PersonalData.maskPhone),
            idNumber: ownReport ? record.reporter.idNumber : record.reporter.idNumber.map(PersonalData.maskIDNumber),
            masked: !ownReport && (record.reporter.phone != nil || record.reporter.idNumber != nil))
        finalLevel = file.finalLevel
        createdAt = record.createdAt
        dueAt = record.dueAt
        overdue = record.isOverdue(at: now)
        clock = file.clock.map { RunningClock($0, file: file, now: now) }
        guard detail else { return }
        description = record.description
        self.category = category.map(CategoryJSON.init)
        location = record.location
        address = record.address
        assists = file.assists.map {
            Assist(department: directory.departments[$0.departmentID].map(DepartmentJSON.init), reportedAt: $0.reportedAt)
        }
        watcherUserID = file.watcherUserID
        rating = file.rating
        primaryCaseID = file.primaryCaseID
        legalRoute = file.legalRoute
        updatedAt = record.updatedAt
        extensionCount = file.extensionCount
        reviewCount = file.reviewCount
        acceptedAt = file.acceptedAt
        assignedAt = file.assignedAt
        handledAt = file.handledAt
        closedAt = file.closedAt
        returnCount = file.returnCount
        reworkCount = file.reworkCount
        escalationCount = file.escalationCount
    }

    /// The case number people quote: the day of report and the id, e.g. 20261129-00000042.
    static func number(of record: CaseRecord, calendar: WorkCalendar) -> String {
        number(id: record.id, createdAt: record.createdAt, calendar: calendar)
    }

    /// The same number for a case known by its id and the time it was reported.
    static func number(id: Int64, createdAt: Date, calendar: WorkCalendar) -> String {
        CaseNumber.of(id: id, createdAt: createdAt, calendar: calendar)
    }

    func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.field("id", id)
            json.field("number", number)
            json.field("version", version)
            json.field("status", status)
            json.field("statusName", statusName)
            json.field("allowedActions", allowedActions) { $0.element($1.rawValue) }
            json.field("title", title)
            json.field("description", description)
            json.field("category", encoding: category)
            json.field("categoryCode", categoryCode)
            json.field("categoryName", categoryName)
            json.field("platform", platform)
            json.field("channel", channel)
            json.field("location", encoding: location)
            json.field("address", address)
            json.field("areas", object: { json in
                for (level, area) in areas { json.field(level.rawValue, area) }
            })
            json.field("handling", handling)
            json.field("suggestedDepartment", suggestedDepartment)
            json.field("department", department)
            json.field("assists", assists) { $1.write(to: &$0) }
            json.field("watcherUserID", watcherUserID)
            json.field("reporter", reporter)
            json.field("finalLevel", finalLevel)
            json.field("rating", rating)
            json.field("primaryCaseID", primaryCaseID)
            json.field("legalRoute", legalRoute)
            json.field("createdAt", createdAt)
            json.field("updatedAt", updatedAt)
            json.field("dueAt", dueAt)
            json.field("overdue", overdue)
            json.field("clock", clock)
            json.field("extensionCount", extensionCount)
            json.field("reviewCount", reviewCount)
            json.field("acceptedAt", acceptedAt)
            json.field("assignedAt", assignedAt)
            json.field("handledAt", handledAt)
            json.field("closedAt", closedAt)
            json.field("returnCount", returnCount)
            json.field("reworkCount", reworkCount)
            json.field("escalationCount", escalationCount)
        }
    }
}

/// One timeline entry as the API shows it.
struct TimelineEntryJSON: Codable, Sendable {
    var sequence: Int
    var action: CaseAction
    var fromStatus: CaseStatus?
    var toStatus: CaseStatus
    var actorUserID: Int64?
    var actorPostID: Int64?
    var actorRole: Role?
    var at: Date
    var note: String?
    var details: [String: String]
    var previousHash: String
    var hash: String

    init(_ stored: StoredEvent) {
        let event = stored.event
        sequence = event.sequence
        action = event.action
        fromStatus = event.fromStatus
        toStatus = event.toStatus
        actorUserID = event.actorUserID
        actorPostID = event.actorPostID
        actorRole = event.actorRole
        at = event.at
        note = event.note
        details = event.details
        previousHash = event.previousHash
        hash = stored.hash
    }
}
