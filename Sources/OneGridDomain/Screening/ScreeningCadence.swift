public import Foundation

/// How often each level screens its area for disputes (矛盾纠纷排查, DOMAIN.md §1): the seed's
/// grid daily, village weekly, town half-monthly and city monthly, as days between rounds. A
/// city changes them; the numbers are practice, not law.
public struct ScreeningCadence: Codable, Sendable, Hashable {
    public var gridDays: Int
    public var villageDays: Int
    public var townDays: Int
    public var cityDays: Int

    public static let `default` = ScreeningCadence(gridDays: 1, villageDays: 7, townDays: 15, cityDays: 30)
    /// A round less often than a quarter is no screening.
    public static let longestDays = 92

    public init(gridDays: Int, villageDays: Int, townDays: Int, cityDays: Int) {
        self.gridDays = gridDays
        self.villageDays = villageDays
        self.townDays = townDays
        self.cityDays = cityDays
    }

    /// The levels that keep rounds: a county's centre sees its towns' rounds but holds none itself.
    public static let levels: [AdminLevel] = [.city, .town, .village, .grid]

    /// The days between rounds at `level`, nil for a level that keeps none.
    public func days(at level: AdminLevel) -> Int? {
        switch level {
        case .grid: gridDays
        case .village: villageDays
        case .town: townDays
        case .city: cityDays
        case .county: nil
        }
    }

    /// The cadence from what an administrator typed, each number checked and refused by its field.
    public static func parse(gridDays: Int?, villageDays: Int?, townDays: Int?, cityDays: Int?) throws(DomainError) -> ScreeningCadence {
        func days(_ value: Int?, _ field: String) throws(DomainError) -> Int {
            guard let value, (1...longestDays).contains(value) else {
                throw DomainError.invalid(field: field, "expected the days between two rounds, 1–\(longestDays)")
            }
            return value
        }
        return ScreeningCadence(
            gridDays: try days(gridDays, "gridDays"), villageDays: try days(villageDays, "villageDays"),
            townDays: try days(townDays, "townDays"), cityDays: try days(cityDays, "cityDays"))
    }

    /// When the round after one done at `lastDoneAt` is due: by the end of the `days`-th calendar
    /// day after it, so a daily round done on Monday is due by Tuesday night and a weekly one by
    /// the same weekday a week on, whatever the hour it was done.
    public static func dueAt(after lastDoneAt: Date, days: Int, calendar: Calendar) -> Date {
        let start = calendar.startOfDay(for: lastDoneAt)
        return calendar.date(byAdding: .day, value: days + 1, to: start) ?? start.addingTimeInterval(Double(days + 1) * 86_400)
    }
}

/// Where an area's screening stands now: green while the next round is not yet due today, yellow
/// on the day it is due, red once that day passed without it, or when the area was never screened.
public struct ScreeningDue: Sendable, Hashable {
    public var area: Area
    public var lastDoneAt: Date?
    /// Nil when the area was never screened.
    public var dueAt: Date?
    public var colour: ClockColour

    public init(area: Area, lastDoneAt: Date?, days: Int, now: Date, calendar: Calendar) {
        self.area = area
        self.lastDoneAt = lastDoneAt
        guard let lastDoneAt else {
            dueAt = nil
            colour = .red
            return
        }
        let due = ScreeningCadence.dueAt(after: lastDoneAt, days: days, calendar: calendar)
        dueAt = due
        let dueDay = calendar.date(byAdding: .day, value: -1, to: due) ?? due
        colour = now >= due ? .red : now >= dueDay ? .yellow : .green
    }

    public var isOverdue: Bool { colour == .red }
}
