import Foundation

/// A moment as a wall clock reads it at a fixed offset from UTC: the date by Howard Hinnant's
/// days-to-civil algorithm (exact for any day), the time of day by division. What the JSON
/// writer and the pages print times with, at the cost of a few integer operations instead of a
/// calendar's or a format style's.
struct CivilTime {
    var year: Int64
    var month: Int64
    var day: Int64
    /// Seconds since the day's midnight.
    var secondOfDay: Int64

    /// `date` at `offset` seconds east of UTC, its fraction of a second dropped.
    init(_ date: Date, offset: Int = 0) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(offset)
        let days = seconds.floorDiv(86_400)
        secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = shifted.floorDiv(146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    var hour: Int64 { secondOfDay / 3600 }
    var minute: Int64 { secondOfDay % 3600 / 60 }
    var second: Int64 { secondOfDay % 60 }
}

extension Int64 {
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
