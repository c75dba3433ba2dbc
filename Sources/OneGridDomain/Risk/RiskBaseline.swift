public import Foundation

/// A week of the city's calendar, Monday to Sunday in its local time, numbered from the week of
/// 1 January 1970 so that the store can group rows by it with integer arithmetic alone, the same
/// on SQLite and PostgreSQL.
public struct RiskWeek: Hashable, Comparable, Sendable, Codable {
    /// Weeks since Monday 29 December 1969, local time.
    public var index: Int

    public static let seconds = 7 * 86_400
    /// 1 January 1970 was a Thursday: three days after the Monday weeks are counted from.
    public static let originShift = 3 * 86_400

    public init(index: Int) { self.index = index }

    /// The week holding `date`, in a time zone `offset` seconds east of UTC.
    public init(containing date: Date, offset: Int) {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + offset + Self.originShift
        index = Int((Double(seconds) / Double(Self.seconds)).rounded(.down))
    }

    /// The week's Monday as a UTC midnight: its calendar date, whatever the city's zone.
    var monday: Date { Date(timeIntervalSince1970: TimeInterval(index * Self.seconds - Self.originShift)) }

    /// The week's first moment in a time zone `offset` seconds east of UTC.
    public func start(offset: Int) -> Date { monday.addingTimeInterval(TimeInterval(-offset)) }

    static let iso: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// ISO 8601's year and week number, e.g. (2026, 48).
    public var iso: (year: Int, week: Int) {
        let parts = Self.iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: monday)
        return (parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }

    /// The week as ISO 8601 writes it, "2026-W48": how a week is named in a link.
    public var isoText: String {
        let (year, week) = iso
        return String(format: "%04d-W%02d", year, week)
    }

    /// The week ISO 8601 names `text` ("2026-W48"); nil when it names none (a week 53 of a year
    /// that has 52).
    public init?(iso text: String) {
        guard let match = text.wholeMatch(of: /(\d{4})-W(\d{2})/), let year = Int(match.1), let number = Int(match.2),
            let date = Self.iso.date(from: DateComponents(weekday: 2, weekOfYear: number, yearForWeekOfYear: year))
        else { return nil }
        let week = RiskWeek(containing: date, offset: 0)
        guard week.iso == (year, number) else { return nil }
        self = week
    }

    /// The week with the same ISO number `years` ISO years earlier; week 53 of a year that has
    /// none is week 52.
    public func sameWeek(yearsBefore years: Int) -> RiskWeek {
        let (year, week) = iso
        for number in [week, week - 1] {
            let parts = DateComponents(weekday: 2, weekOfYear: number, yearForWeekOfYear: year - years)
            if let date = Self.iso.date(from: parts) {
                let found = RiskWeek(containing: date, offset: 0)
                if found.iso == (year - years, number) { return found }
            }
        }
        return RiskWeek(index: index - 52 * years)
    }

    public static func < (lhs: RiskWeek, rhs: RiskWeek) -> Bool { lhs.index < rhs.index }
    public static func + (week: RiskWeek, weeks: Int) -> RiskWeek { RiskWeek(index: week.index + weeks) }
    public static func - (week: RiskWeek, weeks: Int) -> RiskWeek { RiskWeek(index: week.index - weeks) }
}

/// How a count is judged against its area's own history: the method a reviewer can check by hand.
///
/// For the week judged, W, with the record starting in week S:
/// 1. The earlier years used are those n in 1…`yearsBack` whose comparison window lies wholly
///    after S: the week with W's ISO number n years earlier, W(n), less `trendWeeks`.
/// 2. Seasonal level = the mean weekly count over those years' weeks W(n) − `seasonWindow` …
///    W(n) + `seasonWindow` (a window, so one odd week of a quiet area weighs less).
/// 3. Trend = the count of the `trendWeeks` weeks before W, divided by the mean count of the
///    same weeks before each W(n); 1 when that mean is 0, and kept within `trendBounds`.
/// 4. Expected = seasonal × trend. Without an earlier year, expected = the mean of the weeks
///    before W since S (at most `trendWeeks`), trend 1.
/// 5. Expected is at least `minimumExpected`, so one event in a quiet grid is not a rise.
/// 6. Counts are Poisson-like: the threshold is expected + k·√expected, and a count above it is
///    above the baseline.
public struct RiskBaseline: Codable, Sendable, Hashable {
    public var yearsBack: Int
    public var seasonWindow: Int
    public var trendWeeks: Int
    public var trendFloor: Double
    public var trendCeiling: Double
    public var k: Double
    public var minimumExpected: Double

    public init(
        yearsBack: Int = 3, seasonWindow: Int = 1, trendWeeks: Int = 8, trendFloor: Double = 0.5, trendCeiling: Double = 2, k: Double = 2,
        minimumExpected: Double = 1
    ) {
        self.yearsBack = yearsBack
        self.seasonWindow = seasonWindow
        self.trendWeeks = trendWeeks
        self.trendFloor = trendFloor
        self.trendCeiling = trendCeiling
        self.k = k
        self.minimumExpected = minimumExpected
    }

    /// One count judged, with every number the judgement used.
    public struct Judgement: Codable, Sendable, Hashable {
        public var count: Int
        public var seasonal: Double
        public var trend: Double
        public var expected: Double
        public var threshold: Double
        /// How many earlier years the seasonal level rests on.
        public var years: Int

        public init(count: Int, seasonal: Double, trend: Double, expected: Double, threshold: Double, years: Int) {
            self.count = count
            self.seasonal = seasonal
            self.trend = trend
            self.expected = expected
            self.threshold = threshold
            self.years = years
        }

        public var isAbove: Bool { Double(count) > threshold }
    }

    /// The weeks a judgement of `week` reads: the week itself, the weeks of its trend, and each
    /// earlier year's season and trend weeks. The store counts exactly these.
    public func weeksRead(for week: RiskWeek) -> Set<RiskWeek> {
        var weeks: Set<RiskWeek> = [week]
        for offset in 1...max(trendWeeks, 1) { weeks.insert(week - offset) }
        for years in stride(from: 1, through: yearsBack, by: 1) {
            let same = week.sameWeek(yearsBefore: years)
            for offset in -max(trendWeeks, seasonWindow)...seasonWindow { weeks.insert(same + offset) }
        }
        return weeks
    }

    /// Judges the count of `week` given every week's count, the record starting in `since`.
    public func judge(_ week: RiskWeek, since: RiskWeek, counts: (RiskWeek) -> Int) -> Judgement {
        let recentWeeks = (1...max(trendWeeks, 1)).map { week - $0 }
        let recent = Double(recentWeeks.reduce(0) { $0 + counts($1) })
        let years = stride(from: 1, through: yearsBack, by: 1).map { week.sameWeek(yearsBefore: $0) }
            .filter { $0 - trendWeeks >= since && $0 - seasonWindow >= since }
        var seasonal: Double
        var trend = 1.0
        if years.isEmpty {
            let known = recentWeeks.filter { $0 >= since }
            seasonal = known.isEmpty ? 0 : Double(known.reduce(0) { $0 + counts($1) }) / Double(known.count)
        } else {
            let window = -seasonWindow...seasonWindow
            seasonal = Double(years.reduce(0) { sum, same in sum + window.reduce(0) { $0 + counts(same + $1) } }) / Double(years.count * window.count)
            let before = Double(years.reduce(0) { sum, same in sum + (1...max(trendWeeks, 1)).reduce(0) { $0 + counts(same - $1) } }) / Double(years.count)
            if before > 0 { trend = min(max(recent / before, trendFloor), trendCeiling) }
        }
        let expected = max(seasonal * trend, minimumExpected)
        return Judgement(
            count: counts(week), seasonal: seasonal, trend: trend, expected: expected, threshold: expected + k * expected.squareRoot(),
            years: years.count)
    }
}
