public import Foundation

/// The calendar file an administrator keeps (docs/calendar.md): one entry a line, `#` starts a
/// comment.
///
///     timezone Asia/Shanghai
///     office-hours 08:30-12:00 14:00-17:30
///     holiday 2026-10-01 2026-10-08 国庆节     (a single day, or the first and last day)
///     workday 2026-09-27 国庆调休               (a weekend day worked instead)
extension WorkCalendar {
    public init(parsing text: String) throws(DomainError) {
        self.init()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let keyword = words.first else { continue }
            let field = "line \(index + 1)"
            switch keyword {
            case "timezone":
                guard words.count == 2, let zone = TimeZone(identifier: words[1]) else {
                    throw DomainError.invalid(field: field, "expected 'timezone <IANA name>', e.g. timezone Asia/Shanghai")
                }
                timeZone = zone
            case "office-hours":
                guard words.count >= 2 else {
                    throw DomainError.invalid(field: field, "expected 'office-hours 08:30-12:00 14:00-17:30'")
                }
                officeHours = try words.dropFirst().map { word throws(DomainError) in try Self.span(word, field: field) }
            case "holiday", "workday":
                guard words.count >= 2, let first = Self.day(words[1]) else {
                    throw DomainError.invalid(field: field, "expected '\(keyword) YYYY-MM-DD [YYYY-MM-DD] [name]'")
                }
                var last = first
                if words.count >= 3, let end = Self.day(words[2]) {
                    guard end >= first, end.timeIntervalSince(first) < 366 * 86_400 else {
                        throw DomainError.invalid(field: field, "the last day must follow the first, within a year")
                    }
                    last = end
                }
                var day = first
                while day <= last {
                    let key = Self.key(day)
                    if keyword == "holiday" { holidays.insert(key) } else { swappedWorkdays.insert(key) }
                    day = day.addingTimeInterval(86_400)
                }
            default:
                throw DomainError.invalid(field: field, "unknown entry '\(keyword)'; expected timezone, office-hours, holiday or workday")
            }
        }
    }

    /// The file that parses back into this calendar.
    public var fileText: String {
        func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        var lines = ["# OneGrid working calendar (see docs/calendar.md)", "timezone \(timeZone.identifier)"]
        lines.append("office-hours " + officeHours.map { "\(clock($0.lowerBound))-\(clock($0.upperBound))" }.joined(separator: " "))
        lines += holidays.sorted().map { "holiday \($0)" }
        lines += swappedWorkdays.sorted().map { "workday \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A civil date as midnight UTC: only used to step through days and format keys.
    private static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: components), key(date) == text else { return nil }
        return date
    }

    private static func key(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    private static func span(_ text: String, field: String) throws(DomainError) -> Range<Int> {
        func minutes(_ clock: Substring) -> Int? {
            let parts = clock.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0...24).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
            return parts[0] * 60 + parts[1]
        }
        let ends = text.split(separator: "-")
        guard ends.count == 2, let open = minutes(ends[0]), let close = minutes(ends[1]), open < close, close <= 1440 else {
            throw DomainError.invalid(field: field, "office hours are written like 08:30-12:00, got '\(text)'")
        }
        return open..<close
    }
}
