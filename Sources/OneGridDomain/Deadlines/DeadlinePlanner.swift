public import Foundation

/// Keeps each case's clock right (DOMAIN.md §4): which stage runs, from when, until when, what it
/// has had, and when the sweeper must look again. Pure: the calendar and category come in.
public struct DeadlinePlanner: Sendable {
    public var calendar: WorkCalendar
    /// Share of a limit after which a clock turns yellow; 0.8 unless configured.
    public var yellowShare: Double
    public static let defaultYellowShare = 0.8
    /// The shares an administrator may set: a clock must have a green part and a yellow part.
    public static let yellowShares = 0.05...0.95

    public init(calendar: WorkCalendar, yellowShare: Double = defaultYellowShare) {
        self.calendar = calendar
        self.yellowShare = yellowShare
    }

    /// The clock of a case just reported: acceptance, from now.
    public func acceptanceClock(category: Category, now: Date) -> CaseClock {
        clock(.acceptance, from: now, category: category)
    }

    /// The case with the clock its current stage has run since the step that began it: for cases
    /// written in bulk (the demo's history), where no step was planned as it happened.
    public func restore(_ file: CaseFile, category: Category, reportedAt: Date) -> CaseFile {
        var file = file
        file.clock = DeadlineStage(status: file.status).map { stage in
            stage == .acceptance
                ? clock(.acceptance, from: reportedAt, category: category) : clock(stage, for: file, category: category, now: reportedAt)
        }
        file.alertSent = nil
        file.nextAlertAt = nextAlertAt(file, category: category)
        return file
    }

    /// The transition with its case's clock brought up to date: a new stage starts a new clock
    /// (handling counts from acceptance, so signing for it does not reset it), escalation and
    /// reopening start handling afresh, an extension moves the due time, and a stage without a
    /// clock (handled and after) stops it.
    public func plan(_ transition: CaseTransition, category: Category, now: Date) -> CaseTransition {
        var transition = transition
        var file = transition.file
        let stage = DeadlineStage(status: file.status)
        if let stage {
            let restartsHandling = [.escalate, .reopen, .requestReview].contains(transition.action)
            if restartsHandling { file.clockShift = 0 }
            if stage != DeadlineStage(status: transition.from) || file.clock == nil || restartsHandling {
                file.clock = clock(stage, for: file, category: category, now: now)
                file.alertSent = nil
            }
            if let extendBy = transition.extendBy, var clock = file.clock {
                clock.dueAt = calendar.due(from: clock.dueAt, limit: extendBy)
                file.clock = clock
                // A new deadline earns its own urge and supervision.
                file.alertSent = nil
                transition.details["dueAt"] = clock.dueAt.formatted(.iso8601)
            }
        } else {
            file.clock = nil
            file.alertSent = nil
        }
        file.nextAlertAt = nextAlertAt(file, category: category)
        transition.file = file
        return transition
    }

    /// The sweeper's step for a due alert: an urge or a supervision marked on the clock, or
    /// escalation one level up, which starts the new level's handling clock.
    public func alert(_ kind: AlertKind, on file: CaseFile, category: Category, now: Date) throws(DomainError) -> CaseTransition {
        var next = file
        next.version += 1
        var details = ["stage": file.clock?.stage.rawValue ?? "", "automatic": "true"]
        if let due = file.clock?.dueAt { details["dueAt"] = due.formatted(.iso8601) }
        switch kind {
        case .urge, .supervise:
            next.alertSent = kind
            next.nextAlertAt = nextAlertAt(next, category: category)
            return CaseTransition(action: kind == .urge ? .urge : .supervise, from: file.status, file: next, note: nil, details: details)
        case .escalate:
            try next.escalate(at: now)
            details["toLevel"] = next.handlingLevel.rawValue
            let transition = CaseTransition(
                action: .escalate, from: file.status, file: next, note: "处置期限已过，自动上报上级", details: details)
            return plan(transition, category: category, now: now)
        }
    }

    /// When the sweeper must next look at the case; nil while suspended or once nothing can follow.
    public func nextAlertAt(_ file: CaseFile, category: Category) -> Date? {
        guard file.suspendedAt == nil, let clock = file.clock else { return nil }
        return DeadlineSweep.nextAlertAt(clock: clock, sent: file.alertSent, escalates: escalates(file, category))
    }

    /// Only a handling stage whose category allows it, below the city, escalates by itself.
    public func escalates(_ file: CaseFile, _ category: Category) -> Bool {
        category.escalatesWhenOverdue && file.handlingLevel.above != nil
    }

    private func clock(_ stage: DeadlineStage, for file: CaseFile, category: Category, now: Date) -> CaseClock {
        switch stage {
        case .acceptance:
            return clock(stage, from: now, category: category)
        case .signing:
            return clock(stage, from: file.assignedAt ?? now, category: category)
        case .handling:
            // Time suspended while handling is not counted against it; a petition under review
            // has the review's own limit.
            let limit = file.reviewCount > 0 ? TimeLimit.petitionReview : stage.limit(in: category)
            var clock = clock(stage, from: file.acceptedAt ?? now, limit: limit)
            clock.startedAt.addTimeInterval(file.clockShift)
            clock.dueAt.addTimeInterval(file.clockShift)
            return clock
        }
    }

    private func clock(_ stage: DeadlineStage, from start: Date, category: Category) -> CaseClock {
        clock(stage, from: start, limit: stage.limit(in: category))
    }

    private func clock(_ stage: DeadlineStage, from start: Date, limit: TimeLimit) -> CaseClock {
        CaseClock(stage: stage, startedAt: start, dueAt: calendar.due(from: start, limit: limit), yellowShare: yellowShare)
    }
}
