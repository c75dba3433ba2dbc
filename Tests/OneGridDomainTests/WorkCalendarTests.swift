import Foundation
import OneGridDomain
import Testing

@Suite struct WorkCalendarTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// A wall-clock time in the city, "2026-01-08 10:00".
    static func at(_ text: String) -> Date {
        let parts = text.split { $0 == "-" || $0 == " " || $0 == ":" }.map { Int($0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        return calendar.date(
            from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
    }

    /// National Day week 2026: Thursday 1 October to Wednesday 7 October off.
    static let nationalDay: Set<String> = Set((1...7).map { "2026-10-0\($0)" })

    // MARK: Working days

    @Test func fiveWorkingDaysSkipTheWeekend() {
        // Reported Thursday; Fri, Mon, Tue, Wed, Thu count; due at the end of that Thursday.
        let due = WorkCalendar().due(from: Self.at("2026-01-08 10:00"), limit: TimeLimit(5, .workingDays))
        #expect(due == Self.at("2026-01-16 00:00"))
    }

    @Test func theReportDayDoesNotCountEvenAtItsFirstMinute() {
        let due = WorkCalendar().due(from: Self.at("2026-01-08 00:01"), limit: TimeLimit(1, .workingDays))
        #expect(due == Self.at("2026-01-10 00:00"))
    }

    @Test func fiveWorkingDaysSkipAHolidayWeek() {
        let calendar = WorkCalendar(holidays: Self.nationalDay)
        // Reported the Wednesday before: Oct 8, 9, 12, 13, 14 count.
        let due = calendar.due(from: Self.at("2026-09-30 15:00"), limit: TimeLimit(5, .workingDays))
        #expect(due == Self.at("2026-10-15 00:00"))
    }

    @Test func aSwappedSaturdayCountsAsAWorkingDay() {
        let calendar = WorkCalendar(holidays: Self.nationalDay, swappedWorkdays: ["2026-10-10"])
        #expect(calendar.isWorkingDay(Self.at("2026-10-10 09:00")))
        #expect(!calendar.isWorkingDay(Self.at("2026-10-11 09:00")), "the Sunday after stays off")
        #expect(!calendar.isWorkingDay(Self.at("2026-10-01 09:00")))
        #expect(calendar.isWorkingDay(Self.at("2026-10-08 09:00")))
        // Oct 8, 9, 10 (swapped), 12, 13 count: a day sooner than without the swap.
        let due = calendar.due(from: Self.at("2026-09-30 15:00"), limit: TimeLimit(5, .workingDays))
        #expect(due == Self.at("2026-10-14 00:00"))
    }

    @Test func aSwappedDayWinsOverAHolidayOnTheSameDate() {
        let calendar = WorkCalendar(holidays: ["2026-01-09"], swappedWorkdays: ["2026-01-09"])
        #expect(calendar.isWorkingDay(Self.at("2026-01-09 09:00")))
    }

    @Test func dayKeysAreCivilDatesInTheCitysZone() {
        // 23:30 in Shanghai is still 15:30 the same day in UTC, and 00:30 is the previous UTC day.
        #expect(WorkCalendar().dayKey(Self.at("2026-01-08 00:30")) == "2026-01-08")
        #expect(WorkCalendar().dayKey(Self.at("2026-01-08 23:30")) == "2026-01-08")
    }

    // MARK: Working hours (08:30–12:00, 14:00–17:30)

    @Test(arguments: [
        ("2026-01-08 11:00", 2, "2026-01-08 15:00"),  // across the lunch break
        ("2026-01-08 12:30", 1, "2026-01-08 15:00"),  // starting in the lunch break
        ("2026-01-08 07:00", 7, "2026-01-08 17:30"),  // a whole office day, from before opening
        ("2026-01-08 17:00", 1, "2026-01-09 09:00"),  // overnight
        ("2026-01-08 20:00", 1, "2026-01-09 09:30"),  // started after hours
        ("2026-01-09 17:00", 1, "2026-01-12 09:00"),  // Friday evening to Monday morning
        ("2026-01-08 09:00", 10, "2026-01-09 12:00"),  // more than a day's hours
    ])
    func workingHoursCountOnlyOfficeHours(start: String, hours: Int, due: String) {
        #expect(WorkCalendar().due(from: Self.at(start), limit: TimeLimit(hours, .workingHours)) == Self.at(due))
    }

    @Test func workingHoursSkipHolidays() {
        let calendar = WorkCalendar(holidays: Self.nationalDay)
        #expect(calendar.due(from: Self.at("2026-09-30 17:00"), limit: TimeLimit(1, .workingHours)) == Self.at("2026-10-08 09:00"))
    }

    // MARK: Clock time

    @Test func hoursAndDaysAreClockTimeWhateverTheCalendar() {
        let calendar = WorkCalendar(holidays: Self.nationalDay)
        #expect(calendar.due(from: Self.at("2026-09-30 22:00"), limit: TimeLimit(4, .hours)) == Self.at("2026-10-01 02:00"))
        #expect(calendar.due(from: Self.at("2026-09-30 22:00"), limit: TimeLimit(30, .days)) == Self.at("2026-10-30 22:00"))
    }
}

@Suite struct TimeLimitTests {
    @Test(arguments: [("4h", 4, TimeLimit.Unit.hours), ("8wh", 8, .workingHours), ("5wd", 5, .workingDays), ("30d", 30, .days)])
    func limitsParseAndPrintBack(text: String, amount: Int, unit: TimeLimit.Unit) throws {
        let limit = try TimeLimit(parsing: text)
        #expect(limit == TimeLimit(amount, unit))
        #expect(limit.description == text)
    }

    @Test(arguments: ["", "5", "wd", "0wd", "-5d", "5 wd", "5WD", "5days", "1.5h", "10001h", "٥d"])
    func malformedLimitsAreRefusedNamingTheField(text: String) throws {
        let error = try #require(
            refusal { () throws(DomainError) in try TimeLimit(parsing: text, field: "handlingLimit") }, "'\(text)'")
        #expect(error.code == .invalid)
        #expect(error.field == "handlingLimit")
        #expect(error.message.contains("'\(text)'"), "the refusal quotes the input")
    }

    @Test func limitsTravelAsShortStringsInJSON() throws {
        let encoded = try JSONEncoder().encode([TimeLimit(5, .workingDays)])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["5wd"]"#)
        #expect(try JSONDecoder().decode([TimeLimit].self, from: encoded) == [TimeLimit(5, .workingDays)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TimeLimit].self, from: Data(#"["5x"]"#.utf8)) }
    }
}
