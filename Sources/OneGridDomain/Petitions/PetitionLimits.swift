public import Foundation

/// The limits a petition runs against (信访工作条例), each held by one unit at a time.
public enum PetitionLimit: String, Codable, Sendable, CaseIterable {
    /// The receiving body registers and routes it (Art. 22).
    case route
    /// The body it reached tells the petitioner whether it is accepted (Art. 23).
    case notice
    /// A body that holds the matter is not its remit says so, with reasons (Art. 23).
    case objection
    /// The accepting body replies in writing (Art. 34), later than that only by one extension.
    case reply
    /// The reviewing body answers a review or re-review (Art. 35–36).
    case reviewReply

    /// The article that sets the limit, as every refusal and every recorded miss names it.
    public var article: String {
        switch self {
        case .route: "信访工作条例 Art. 22"
        case .notice, .objection: "信访工作条例 Art. 23"
        case .reply: "信访工作条例 Art. 34"
        case .reviewReply: "信访工作条例 Art. 35–36"
        }
    }
}

/// The petition limits in force. The defaults are the regulation's; a province that sets
/// shorter ones configures them (DOMAIN.md §4: every number is a default).
public struct PetitionLimits: Codable, Sendable, Hashable {
    public var route: TimeLimit
    public var notice: TimeLimit
    public var objection: TimeLimit
    public var reply: TimeLimit
    /// The longest the reply may be extended, once.
    public var maximumExtension: TimeLimit
    /// How long after a reply a review may be asked for, and how long the reviewer has to answer.
    public var review: TimeLimit

    public init(
        route: TimeLimit = TimeLimit(15, .days), notice: TimeLimit = TimeLimit(15, .days),
        objection: TimeLimit = TimeLimit(5, .workingDays), reply: TimeLimit = TimeLimit(60, .days),
        maximumExtension: TimeLimit = TimeLimit.maximumExtension(for: .petition), review: TimeLimit = TimeLimit.petitionReview
    ) {
        self.route = route
        self.notice = notice
        self.objection = objection
        self.reply = reply
        self.maximumExtension = maximumExtension
        self.review = review
    }

    public subscript(limit: PetitionLimit) -> TimeLimit {
        switch limit {
        case .route: route
        case .notice: notice
        case .objection: objection
        case .reply: reply
        case .reviewReply: review
        }
    }
}

/// One running petition limit: which, held by whom, from when to when.
public struct PetitionClock: Codable, Sendable, Hashable {
    public var limit: PetitionLimit
    public var unit: PetitionUnit
    public var startedAt: Date
    public var dueAt: Date
    public var yellowShare: Double

    /// In the clock colours every other clock uses.
    public func colour(at now: Date) -> ClockColour {
        ClockColour(at: now, startedAt: startedAt, dueAt: dueAt, yellowShare: yellowShare)
    }
}

/// A limit a unit missed (Art. 44): recorded once per limit and due time, whether the late step
/// came or the sweep found the clock run out first.
public struct PetitionMiss: Codable, Sendable, Hashable {
    public var caseID: Int64
    public var limit: PetitionLimit
    public var unit: PetitionUnit
    public var dueAt: Date
    public var recordedAt: Date

    public init(caseID: Int64, limit: PetitionLimit, unit: PetitionUnit, dueAt: Date, recordedAt: Date) {
        self.caseID = caseID
        self.limit = limit
        self.unit = unit
        self.dueAt = dueAt
        self.recordedAt = recordedAt
    }

    public var article: String { limit.article }
}

extension Petition {
    /// The limits running now, on the city's calendar: what a clerk's desk shows at a glance.
    public func clocks(limits: PetitionLimits, calendar: WorkCalendar, yellowShare: Double = DeadlinePlanner.defaultYellowShare)
        -> [PetitionClock]
    {
        func clock(_ limit: PetitionLimit, _ unit: PetitionUnit, from start: Date, extendedBy: TimeLimit? = nil) -> PetitionClock {
            var due = calendar.due(from: start, limit: limits[limit])
            if let extendedBy { due = calendar.due(from: due, limit: extendedBy) }
            return PetitionClock(limit: limit, unit: unit, startedAt: start, dueAt: due, yellowShare: yellowShare)
        }
        switch stage {
        case .registered:
            return [clock(.route, registeringUnit, from: routeStartedAt), clock(.notice, registeringUnit, from: receivedAt)]
        case .routed:
            guard let unit = handlingUnit, let routedAt else { return [] }
            return [clock(.notice, unit, from: routedAt), clock(.objection, unit, from: routedAt)]
        case .accepted:
            guard let unit = handlingUnit, let acceptedAt else { return [] }
            return [clock(.reply, unit, from: acceptedAt, extendedBy: replyExtension?.by)]
        case .underReview:
            guard let unit = handlingUnit, let reviewRequestedAt else { return [] }
            return [clock(.reviewReply, unit, from: reviewRequestedAt)]
        case .replied, .notAccepted, .guided:
            return []
        }
    }

    /// The running limits already past due at `now`, as misses to record (the sweep's part of
    /// Art. 44: a limit missed is recorded even while nobody acts).
    public func overdue(limits: PetitionLimits, calendar: WorkCalendar, at now: Date) -> [PetitionMiss] {
        clocks(limits: limits, calendar: calendar).filter { $0.dueAt <= now && $0.limit != .objection }.map {
            PetitionMiss(caseID: caseID, limit: $0.limit, unit: $0.unit, dueAt: $0.dueAt, recordedAt: now)
        }
    }
}
