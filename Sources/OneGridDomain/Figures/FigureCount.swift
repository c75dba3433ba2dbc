public import Foundation

/// What the figures of DOMAIN.md §6 are counted from: each a number of timeline events of one
/// kind in a month, kept per area so that any area's figures for any months are a sum of a few
/// stored numbers instead of a scan of its cases.
public enum FigureCount: String, Codable, Sendable, CaseIterable {
    /// Cases reported; dimension: the channel.
    case received
    /// Cases accepted by a centre (or solved on the spot straight from the report).
    case accepted
    /// Cancelled as invalid or false (作废), guided to a legal route, merged into a primary:
    /// counted apart, never as closed.
    case rejected, guided, merged
    /// Sent to a department or a lower centre; dimension: the platform of the case's category.
    case dispatched
    /// Cases handled (fed back or solved on the spot) for the first time, a rework's feedback not
    /// counted again; dimension: the channel the case came in by.
    case handled
    /// Verifications on the ground, passed or failed.
    case verified
    /// Verifications that failed and sent the case back (返工).
    case reworked
    /// Cases closed; dimension: the level of final handling.
    case closed
    /// Closed cases whose handling came no later than their due time.
    case closedOnTime
    /// Ratings given; dimension: the rating.
    case rated
    /// Assignments returned as not the assignee's (退回).
    case returned
    /// Cases sent to the centre one level up.
    case escalated
    /// Cases that became open minus cases that stopped being open: summed over every month up
    /// to one, the cases open at its end.
    case open
    /// The cases of a month's reports that were accepted, handled (dimension: the channel) and
    /// closed, each booked in the month the case was reported rather than the month it happened:
    /// the rates of a period's own cases. Closed over accepted by the month of the step would pass
    /// 100 % whenever a month closes more of the month before than it takes in.
    case acceptedOfReported, handledOfReported, closedOfReported

    /// Booked in the month the case was reported, whenever the step came.
    public var isBookedAtReport: Bool { [.acceptedOfReported, .handledOfReported, .closedOfReported].contains(self) }
}

/// One number to add to an area's figures for a month.
public struct FigureIncrement: Sendable, Hashable {
    public var count: FigureCount
    /// The breakdown the count carries (a channel, platform, level or rating), "" when none.
    public var dimension: String
    public var value: Int

    public init(_ count: FigureCount, _ dimension: String = "", value: Int = 1) {
        self.count = count
        self.dimension = dimension
        self.value = value
    }
}

/// What an event's figures need to know of its case besides the event itself.
public struct FigureSubject: Sendable, Hashable {
    public var channel: Channel
    public var platform: Platform
    /// The due time the case was handled against: a case handled by it closes on time.
    public var dueAt: Date
    /// When the case was reported: the month its own figures are booked in.
    public var reportedAt: Date

    public init(channel: Channel, platform: Platform, dueAt: Date, reportedAt: Date) {
        self.channel = channel
        self.platform = platform
        self.dueAt = dueAt
        self.reportedAt = reportedAt
    }
}

public enum FigureRules {
    /// What one event adds to the figures of each area of its case.
    /// - Parameters:
    ///   - after: the case as the event left it (its final level and handling time at a close).
    ///   - reworkedBefore: whether a verification of this case failed before the event, so a
    ///     feedback is a rework's and the case was counted as handled already.
    public static func increments(
        of event: TimelineEvent, after: CaseFile, reworkedBefore: Bool, subject: FigureSubject
    ) -> [FigureIncrement] {
        var increments: [FigureIncrement] = []
        switch event.action {
        case .report:
            increments.append(FigureIncrement(.received, subject.channel.rawValue))
        case .accept:
            increments += [FigureIncrement(.accepted), FigureIncrement(.acceptedOfReported)]
        case .solveOnSpot:
            if event.fromStatus == .reported { increments += [FigureIncrement(.accepted), FigureIncrement(.acceptedOfReported)] }
            increments += [FigureIncrement(.handled, subject.channel.rawValue), FigureIncrement(.handledOfReported, subject.channel.rawValue)]
        case .reject:
            increments.append(FigureIncrement(.rejected))
        case .guide:
            increments.append(FigureIncrement(.guided))
        case .merge:
            increments.append(FigureIncrement(.merged))
        case .dispatch, .dualDispatch, .jointDispatch:
            increments.append(FigureIncrement(.dispatched, subject.platform.rawValue))
        case .feedBack:
            if !reworkedBefore {
                increments += [FigureIncrement(.handled, subject.channel.rawValue), FigureIncrement(.handledOfReported, subject.channel.rawValue)]
            }
        case .verifyPass:
            increments.append(FigureIncrement(.verified))
        case .verifyFail:
            increments += [FigureIncrement(.verified), FigureIncrement(.reworked)]
        case .close:
            // A closed case always has its final level (set by its handling); "" keeps the count
            // whole should an imported one lack it.
            increments += [FigureIncrement(.closed, after.finalLevel?.rawValue ?? ""), FigureIncrement(.closedOfReported)]
            if let handledAt = after.handledAt, handledAt <= subject.dueAt { increments.append(FigureIncrement(.closedOnTime)) }
        case .rate:
            increments.append(FigureIncrement(.rated, after.rating?.rawValue ?? ""))
        case .return:
            increments.append(FigureIncrement(.returned))
        case .escalate:
            increments.append(FigureIncrement(.escalated))
        case .reopen, .requestReview:
            // Its month's own cases count it closed no longer; it is counted again when it closes again.
            if event.fromStatus == .closed || event.fromStatus == .archived, event.toStatus.isOpen {
                increments.append(FigureIncrement(.closedOfReported, value: -1))
            }
        case .start, .reportAssist, .archive, .urge, .supervise, .suspend, .resume, .extend, .petitionStep, .mediate:
            break
        }
        let opened = (event.toStatus.isOpen ? 1 : 0) - (event.fromStatus?.isOpen == true ? 1 : 0)
        if opened != 0 { increments.append(FigureIncrement(.open, value: opened)) }
        return increments
    }

    /// The increments of a whole timeline, as an import writes it: `final` is the case after its
    /// last event, whose outcome (final level, handling time) its closing recorded.
    public static func increments(
        ofTimeline events: [TimelineEvent], final: CaseFile, subject: FigureSubject
    ) -> [(event: TimelineEvent, increments: [FigureIncrement])] {
        var reworked = false
        return events.map { event in
            defer { if event.action == .verifyFail { reworked = true } }
            return (event, increments(of: event, after: final, reworkedBefore: reworked, subject: subject))
        }
    }
}

/// A calendar month as the figures key it: 2026-11 is 202611, so months order as integers.
public struct FigureMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month of `date` in `timeZone` (the city's: a case reported at 07:00 on the 1st in
    /// Beijing belongs to that month, though it is still the last day of the month before in UTC).
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month], from: date)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1)
    }

    /// 202611 for November 2026.
    public init?(key: Int) {
        let month = key % 100
        guard (1...12).contains(month), key >= 100 else { return nil }
        self.init(year: key / 100, month: month)
    }

    /// "2026-11", as the API takes and gives it.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            (1...12).contains(month)
        else { return nil }
        self.init(year: year, month: month)
    }

    /// Months are counted in China Standard Time, the time zone of every city OneGrid serves:
    /// stored monthly figures must not move when a working calendar is edited.
    public static let cityTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    public var key: Int { year * 100 + month }
    public var description: String { String(format: "%04d-%02d", year, month) }

    public func adding(months: Int) -> FigureMonth {
        let index = year * 12 + (month - 1) + months
        return FigureMonth(year: index / 12, month: index % 12 + 1)
    }

    /// The same month a year earlier, for year-on-year comparison.
    public var yearBefore: FigureMonth { FigureMonth(year: year - 1, month: month) }

    /// The months from `self` to `last`, both included.
    public func through(_ last: FigureMonth) -> [FigureMonth] {
        guard self <= last else { return [] }
        return sequence(first: self) { $0 < last ? $0.adding(months: 1) : nil }.map { $0 }
    }

    public static func < (lhs: FigureMonth, rhs: FigureMonth) -> Bool { lhs.key < rhs.key }
}
