public import Foundation

/// A grid worker's visit (走访) to a household, place or organisation: when, where the phone
/// was, whom they met, what they found, the photos taken, and the case it became, if any.
public struct Visit: Codable, Sendable, Hashable, Identifiable {
    /// Where the phone was against the grid of the record visited.
    public enum Position: String, Codable, Sendable {
        case inGrid, outsideGrid, notGiven
    }

    public var id: Int64
    public var subject: SubjectRef
    public var areas: AreaPath
    public var userID: Int64
    public var postID: Int64
    public var visitedAt: Date
    public var location: GeoPoint?
    public var position: Position
    public var whom: String
    public var findings: String
    /// Attachments as their evidence lines (`Attachment.evidence`).
    public var evidence: [String]
    public var caseID: Int64?

    public init(
        id: Int64, subject: SubjectRef, areas: AreaPath, userID: Int64, postID: Int64, visitedAt: Date, location: GeoPoint?,
        position: Position, whom: String, findings: String, evidence: [String], caseID: Int64? = nil
    ) {
        self.id = id
        self.subject = subject
        self.areas = areas
        self.userID = userID
        self.postID = postID
        self.visitedAt = visitedAt
        self.location = location
        self.position = position
        self.whom = whom
        self.findings = findings
        self.evidence = evidence
        self.caseID = caseID
    }
}

/// When visits fall due. A record is due one cadence after its last visit (or, never visited,
/// after it was recorded), on the shortest cadence of its kinds: a household with an elderly
/// person living alone is visited monthly though its others are ordinary. Due is a day in the
/// city's calendar: a visit due on 28 February is done in time that whole day and overdue from
/// 1 March.
public enum VisitSchedule {
    /// The start of the day the next visit is due; nil when no kind sets a cadence.
    public static func dueAt(cadences: [VisitCadence], lastVisit: Date?, recordedAt: Date, calendar: Calendar) -> Date? {
        guard let cadence = cadences.min(by: { $0.approximateDays < $1.approximateDays }) else { return nil }
        return calendar.startOfDay(for: cadence.next(after: lastVisit ?? recordedAt, in: calendar))
    }

    /// Whether a visit due at `dueAt` (a day's start) is overdue at `now`: its whole day passed.
    public static func isOverdue(_ dueAt: Date, at now: Date, calendar: Calendar) -> Bool {
        dueAt < calendar.startOfDay(for: now)
    }

    /// The week (Monday to Sunday, as Chinese offices count it) holding `now`.
    public static func week(containing now: Date, calendar: Calendar) -> DateInterval {
        var mondays = calendar
        mondays.firstWeekday = 2
        mondays.minimumDaysInFirstWeek = 4
        return mondays.dateInterval(of: .weekOfYear, for: now)!
    }

    /// Checks the phone's position against the grid of the record visited.
    public static func position(of point: GeoPoint?, gridID: Int64, in directory: Directory) throws(DomainError) -> Visit.Position {
        guard let point else { return .notGiven }
        let valid = try point.validated()
        return directory.locator.grid(containing: valid) == gridID ? .inGrid : .outsideGrid
    }
}
