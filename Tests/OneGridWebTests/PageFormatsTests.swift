import Foundation
import OneGridDomain
@testable import OneGridWeb
import Testing

/// Times as pages and exports write them: worked out by arithmetic, they must read as
/// Foundation's own calendar reads the same moment, in every zone and era.
@Suite struct PageFormatsTests {
    static func expected(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    @Test(arguments: ["Asia/Shanghai", "America/New_York", "UTC", "Asia/Kathmandu"])
    func aTimeReadsAsTheCalendarReadsIt(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let formats = PageFormats(
            t: try PageResources.bundled.get().translation(.zhCN), calendar: WorkCalendar(timeZone: timeZone), now: Date())
        var generator = SystemRandomNumberGenerator()
        // Around midnight, month and year ends, leap days, before 1970 and far ahead.
        let fixed: [TimeInterval] = [0, -1, -60, 951_782_400, 951_868_799, 1_709_164_800, 1_735_660_799, 1_735_660_800, -2_208_988_800, 4_102_444_799]
        let random = (0..<2000).map { _ in TimeInterval(Int64.random(in: -3_000_000_000...5_000_000_000, using: &generator)) }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds + 0.75)
            #expect(formats.dateTime(date) == Self.expected(date, in: timeZone), "at \(seconds) in \(zone)")
        }
    }

    /// A string's placeholders as the translation files write them: each `{name}` given is
    /// filled once, wherever it stands; any other brace, and a value that looks like one, stays.
    @Test(arguments: [
        ("剩 {days} 天 {hours} 小时", ["days": "3", "hours": "5"], "剩 3 天 5 小时"),
        ("{hours}h{hours}", ["hours": "7"], "7h7"),
        ("{at}", ["at": "{hours}"], "{hours}"),
        ("{ {unknown} {", ["at": "x"], "{ {unknown} {"),
        ("尾 {at", ["at": "x"], "尾 {at"),
        ("📍{place}·办", ["place": "城关镇"], "📍城关镇·办"),
        ("", ["at": "x"], ""),
    ])
    func placeholdersAreFilledOnce(text: String, values: [String: String], expected: String) {
        #expect(Translation.fill(text, values) == expected)
    }
}
