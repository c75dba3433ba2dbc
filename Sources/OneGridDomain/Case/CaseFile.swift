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

    public init(
        id: Int64, status: CaseStatus, version: Int, categoryID: Int64, areas: AreaPath,
        handlingLevel: AdminLevel, handlingAreaID: Int64, suggestedDepartmentID: Int64? = nil,
        departmentID: Int64? = nil, assists: [Assist] = [], watcherUserID: Int64? = nil,
        reporterUserID: Int64? = nil, finalLevel: AdminLevel? = nil, rating: Rating? = nil,
        primaryCaseID: Int64? = nil, legalRoute: LegalRoute? = nil, acceptedAt: Date? = nil,
        assignedAt: Date? = nil, handledAt: Date? = nil, closedAt: Date? = nil,
        returnCount: Int = 0, reworkCount: Int = 0, escalationCount: Int = 0
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

    public init(
        note: String? = nil, departmentID: Int64? = nil, areaID: Int64? = nil, watcherUserID: Int64? = nil,
        assistingDepartmentIDs: [Int64]? = nil, primaryCaseID: Int64? = nil, legalRoute: LegalRoute? = nil,
        rating: Rating? = nil, evidence: [String]? = nil
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

    public init(
        now: Date, department: Department? = nil, assistingDepartments: [Department] = [], watcher: Post? = nil,
        primary: CaseFile? = nil
    ) {
        self.now = now
        self.department = department
        self.assistingDepartments = assistingDepartments
        self.watcher = watcher
        self.primary = primary
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
}
