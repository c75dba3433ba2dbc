public import Foundation

/// The months an assessment covers: one month ("2026-11") or a quarter ("2026-Q4"). Its cases
/// are those reported from the first day of its first month to the first day after its last,
/// in the city's time.
public struct AssessmentPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var first: FigureMonth
    public var last: FigureMonth

    public init(month: FigureMonth) {
        first = month
        last = month
    }

    public init(year: Int, quarter: Int) {
        first = FigureMonth(year: year, month: quarter * 3 - 2)
        last = first.adding(months: 2)
    }

    /// "2026-11" or "2026-Q4"; nil for anything else.
    public init?(_ key: String) {
        if let month = FigureMonth(key) {
            self.init(month: month)
            return
        }
        let parts = key.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 2, parts[1].first == "Q",
            let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter)
        else { return nil }
        self.init(year: year, quarter: quarter)
    }

    /// The period a key names, or an error naming `field` and the forms it takes.
    public static func parse(_ key: String, field: String = "period") throws -> AssessmentPeriod {
        guard let period = AssessmentPeriod(key) else {
            throw DomainError.invalid(field: field, "a month as 2026-11 or a quarter as 2026-Q4, not '\(key)'")
        }
        return period
    }

    public var isQuarter: Bool { first != last }
    public var key: String { isQuarter ? String(format: "%04d-Q%d", first.year, (first.month + 2) / 3) : first.description }
    public var description: String { key }

    /// The first moment of the period and the first moment after it, in the city's time.
    public var interval: (start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FigureMonth.cityTimeZone
        func start(_ month: FigureMonth) -> Date {
            calendar.date(from: DateComponents(year: month.year, month: month.month, day: 1)) ?? .distantPast
        }
        return (start(first), start(last.adding(months: 1)))
    }

    /// Whether the period has ended at `now`: only an ended period can be closed.
    public func hasEnded(at now: Date) -> Bool { interval.end <= now }

    /// The month of `now`.
    public static func current(at now: Date) -> AssessmentPeriod {
        AssessmentPeriod(month: FigureMonth(now, in: FigureMonth.cityTimeZone))
    }

    /// The days at the start of a month in which the month just ended is still the one read: a
    /// city ranks and closes each month in the first days of the next, and a month a few days old
    /// has too few cases to rank anyone by.
    public static let reviewDays = 5

    /// The period a table opens on when none is asked for: the month of `now`, or during its
    /// first `reviewDays` days (city time) the month just ended.
    public static func opening(at now: Date) -> AssessmentPeriod {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FigureMonth.cityTimeZone
        let current = current(at: now)
        return calendar.component(.day, from: now) <= reviewDays ? AssessmentPeriod(month: current.first.adding(months: -1)) : current
    }
}

/// A card given to a unit for a period, with the leader's reason.
public struct AssessmentCard: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var period: String
    public var kind: AssessmentUnitKind
    public var unitID: Int64
    public var colour: CardColour
    /// The points deducted, as configured when the card was given.
    public var points: Double
    public var reason: String
    /// The case it was given over, if one.
    public var caseID: Int64?
    public var byUserID: Int64
    public var at: Date

    public init(
        id: Int64, period: String, kind: AssessmentUnitKind, unitID: Int64, colour: CardColour, points: Double, reason: String, caseID: Int64?,
        byUserID: Int64, at: Date
    ) {
        self.id = id
        self.period = period
        self.kind = kind
        self.unitID = unitID
        self.colour = colour
        self.points = points
        self.reason = reason
        self.caseID = caseID
        self.byUserID = byUserID
        self.at = at
    }
}
