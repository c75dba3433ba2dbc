public import Foundation

/// What the flow needs to know of a case: its state, where it is, who holds it. The store reads
/// it, the workflow returns the next one, the store writes it back under the version it read.
public struct CaseFile: Codable, Sendable, Hashable, Identifiable {
    public struct Assist: Codable, Sendable, Hashable {
        public var departmentID: Int64
        public var reportedAt: Date?

        public init(departmentID: Int64, reportedAt: Date? = nil) {
            self.departmentID = departmentID
            self.reportedAt = reportedAt
        }
    }

    public var id: Int64
    public var status: CaseStatus
    /// Bumped by every action; a write that read an older version loses (HTTP 409).
    public var version: Int
    public var categoryID: Int64
    public var areas: AreaPath
    /// The centre that owns the case now: its level and area.
    public var handlingLevel: AdminLevel
    public var handlingAreaID: Int64
    public var suggestedDepartmentID: Int64?
    /// The assignee, or the lead of a joint case.
    public var departmentID: Int64?
    public var assists: [Assist]
    /// The grid worker watching a dual-dispatched case.
    public var watcherUserID: Int64?
    public var reporterUserID: Int64?
    /// The level at which the case was solved: the seeds' headline figure.
    public var finalLevel: AdminLevel?
    public var rating: Rating?
    public var primaryCaseID: Int64?
    public var legalRoute: LegalRoute?
    public var acceptedAt: Date?
    public var assignedAt: Date?
    public var handledAt: Date?
    public var closedAt: Date?
    public var returnCount: Int
    public var reworkCount: Int
    public var escalationCount: Int
    /// The running stage's clock; nil when no stage runs (handled and after).
    public var clock: CaseClock?
    /// The last alert the running clock has had.
    public var alertSent: AlertKind?
    /// Set while the clock is suspended.
    public var suspendedAt: Date?
    /// Time added to the running clock by suspensions, so used time leaves them out.
    public var clockShift: TimeInterval
    public var extensionCount: Int
    /// Reviews a petitioner asked for: 1 after 复查, 2 after 复核, after which none more.
    public var reviewCount: Int
    /// When the deadline sweeper must next look at the case, kept by `DeadlinePlanner` so the
    /// sweeper finds due cases through an index instead of reading every open case.
    public var nextAlertAt: Date?

    public init(
        id: Int64, status: CaseStatus, version: Int, categoryID: Int64, areas: AreaPath,
        handlingLevel: AdminLevel, handlingAreaID: Int64, suggestedDepartmentID: Int64? = nil,
        departmentID: Int64? = nil, assists: [Assist] = [], watcherUserID: Int64? = nil,
        reporterUserID: Int64? = nil, finalLevel: AdminLevel? = nil, rating: Rating? = nil,
        primaryCaseID: Int64? = nil, legalRoute: LegalRoute? = nil, acceptedAt: Date? = nil,
        assignedAt: Date? = nil, handledAt: Date? = nil, closedAt: Date? = nil,
        returnCount: Int = 0, reworkCount: Int = 0, escalationCount: Int = 0, clock: CaseClock? = nil,
        alertSent: AlertKind? = nil, suspendedAt: Date? = nil, clockShift: TimeInterval = 0, extensionCount: Int = 0,
        reviewCount: Int = 0, nextAlertAt: Date? = nil
    ) {
        self.id = id
        self.status = status
        self.version = version
        self.categoryID = categoryID
        self.areas = areas
        self.handlingLevel = handlingLevel
        self.handlingAreaID = handlingAreaID
        self.suggestedDepartmentID = suggestedDepartmentID
        self.departmentID = departmentID
        self.assists = assists
        self.watcherUserID = watcherUserID
        self.reporterUserID = reporterUserID
        self.finalLevel = finalLevel
        self.rating = rating
        self.primaryCaseID = primaryCaseID
        self.legalRoute = legalRoute
        self.acceptedAt = acceptedAt
        self.assignedAt = assignedAt
        self.handledAt = handledAt
        self.closedAt = closedAt
        self.returnCount = returnCount
        self.reworkCount = reworkCount
        self.escalationCount = escalationCount
        self.clock = clock
        self.alertSent = alertSent
        self.suspendedAt = suspendedAt
        self.clockShift = clockShift
        self.extensionCount = extensionCount
        self.reviewCount = reviewCount
        self.nextAlertAt = nextAlertAt
    }
}

/// The parameters an action may carry. Which ones an action needs is the workflow's business;
/// a missing one is refused naming its field.
public struct CaseActionInput: Codable, Sendable, Hashable {
    public var note: String?
    public var departmentID: Int64?
    public var areaID: Int64?
    public var watcherUserID: Int64?
    public var assistingDepartmentIDs: [Int64]?
    public var primaryCaseID: Int64?
    public var legalRoute: LegalRoute?
    public var rating: Rating?
    /// References to photos, audio or documents kept with the feedback.
    public var evidence: [String]?
    /// How much later an approved extension moves the deadline, e.g. "5wd".
    public var extendBy: TimeLimit?

    public init(
        note: String? = nil, departmentID: Int64? = nil, areaID: Int64? = nil, watcherUserID: Int64? = nil,
        assistingDepartmentIDs: [Int64]? = nil, primaryCaseID: Int64? = nil, legalRoute: LegalRoute? = nil,
        rating: Rating? = nil, evidence: [String]? = nil, extendBy: TimeLimit? = nil
    ) {
        self.note = note
        self.departmentID = departmentID
        self.areaID = areaID
        self.watcherUserID = watcherUserID
        self.assistingDepartmentIDs = assistingDepartmentIDs
        self.primaryCaseID = primaryCaseID
        self.legalRoute = legalRoute
        self.rating = rating
        self.evidence = evidence
        self.extendBy = extendBy
    }
}

/// Records the workflow needs besides the case, looked up by the ids in the input before the
/// decision is made.
public struct CaseActionContext: Sendable {
    public var now: Date
    /// The department named by `departmentID` (or the suggested one when none is named).
    public var department: Department?
    public var assistingDepartments: [Department]
    /// The post of `watcherUserID` as a grid worker, if they hold one.
    public var watcher: Post?
    public var primary: CaseFile?
    /// The case's category, for the limits an extension may not pass.
    public var category: Category?

    public init(
        now: Date, department: Department? = nil, assistingDepartments: [Department] = [], watcher: Post? = nil,
        primary: CaseFile? = nil, category: Category? = nil
    ) {
        self.now = now
        self.department = department
        self.assistingDepartments = assistingDepartments
        self.watcher = watcher
        self.primary = primary
        self.category = category
    }
}

/// One step taken: the case after it, and what the timeline records.
public struct CaseTransition: Sendable, Hashable {
    public var action: CaseAction
    public var from: CaseStatus
    public var file: CaseFile
    public var note: String?
    /// Facts of the step worth keeping in the timeline (target department, rating, …).
    public var details: [String: String]
    /// An approved extension's length, which the deadline planner adds to the due time.
    public var extendBy: TimeLimit? = nil
}

extension CaseFile {
    /// Sends the case to the centre one level up, which handles it anew.
    public mutating func escalate(at now: Date) throws(DomainError) {
        guard let above = handlingLevel.above else {
            throw DomainError(.notAllowedInState, "case \(id) is already held by the city centre")
        }
        acceptAnew(at: above, now: now)
        escalationCount += 1
    }

    /// The centre at `level` on the case's path takes it to handle from scratch: accepted there
    /// now (its handling clock starts), with no department, assists or watcher.
    mutating func acceptAnew(at level: AdminLevel, now: Date) {
        status = .accepted
        handlingLevel = level
        handlingAreaID = areas[level]
        departmentID = nil
        assists = []
        watcherUserID = nil
        acceptedAt = now
    }

    /// Forgets the outcome of a handling that is being done again: when it was handled and
    /// closed, at which level, and how it was rated.
    mutating func clearOutcome() {
        closedAt = nil
        handledAt = nil
        finalLevel = nil
        rating = nil
    }
}
