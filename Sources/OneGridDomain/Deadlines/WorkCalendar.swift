public import Foundation

/// The city's own calendar: which days are worked. Weekends are off unless swapped into working
/// days (调休); public holidays are off. Kept as data so an administrator edits it, never code.
/// Days are civil dates in the city's time zone, written "2026-10-01".
public struct WorkCalendar: Sendable, Hashable {
    public var timeZone: TimeZone {
        didSet { calendar.timeZone = timeZone }
    }
    public var holidays: Set<String>
    public var swappedWorkdays: Set<String>
    /// Office hours of a working day, in minutes after midnight: 08:30–12:00 and 14:00–17:30
    /// are the common hours of Chinese government offices.
    public var officeHours: [Range<Int>]

    public init(
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
        holidays: Set<String> = [], swappedWorkdays: Set<String> = [],
        officeHours: [Range<Int>] = [510..<720, 840..<1050]
    ) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.holidays = holidays
        self.swappedWorkdays = swappedWorkdays
        self.officeHours = officeHours
    }

    /// Kept rather than made per call: building a Calendar costs more than the date arithmetic.
    private var calendar: Calendar

    /// The Gregorian calendar in the city's time zone, for counting civil days, weeks and months.
    public var civil: Calendar { calendar }

    public func dayKey(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.year!, 4))-\(padded(parts.month!, 2))-\(padded(parts.day!, 2))"
    }

    public func isWorkingDay(_ date: Date) -> Bool {
        let key = dayKey(date)
        if swappedWorkdays.contains(key) { return true }
        if holidays.contains(key) { return false }
        return !calendar.isDateInWeekend(date)
    }

    /// When a limit that starts at `start` runs out.
    public func due(from start: Date, limit: TimeLimit) -> Date {
        switch limit.unit {
        case .hours:
            return start.addingTimeInterval(Double(limit.amount) * 3600)
        case .days:
            return calendar.date(byAdding: .day, value: limit.amount, to: start)!
        case .workingDays:
            // The day of the report does not count; the limit ends at the close of the Nth
            // following working day, the usual reading of "within N working days".
            var day = calendar.startOfDay(for: start)
            var left = limit.amount
            while left > 0 {
                day = calendar.date(byAdding: .day, value: 1, to: day)!
                if isWorkingDay(day) { left -= 1 }
            }
            return calendar.date(byAdding: .day, value: 1, to: day)!
        case .workingHours:
            return addingOfficeMinutes(limit.amount * 60, to: start)
        }
    }

    private func addingOfficeMinutes(_ minutes: Int, to start: Date) -> Date {
        var left = minutes
        var day = calendar.startOfDay(for: start)
        var cursor = start
        // Bounded: a limit of at most 10,000 hours spans well under 10,000 days.
        for _ in 0..<20_000 {
            if isWorkingDay(day) {
                for span in officeHours {
                    let open = day.addingTimeInterval(Double(span.lowerBound) * 60)
                    let close = day.addingTimeInterval(Double(span.upperBound) * 60)
                    let from = max(open, cursor)
                    guard from < close else { continue }
                    let available = Int(close.timeIntervalSince(from) / 60)
                    if available >= left { return from.addingTimeInterval(Double(left) * 60) }
                    left -= available
                    cursor = close
                }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return cursor
    }
}
