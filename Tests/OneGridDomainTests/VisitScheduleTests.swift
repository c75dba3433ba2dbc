import Foundation
import OneGridDomain
import Testing

/// When visits fall due: calendar months at month ends, the shortest cadence of a household's
/// kinds, whole days, and Monday-to-Sunday weeks.
@Suite struct VisitScheduleTests {
    static let calendar = WorkCalendar().civil

    static func day(_ text: String, _ time: String = "00:00:00") -> Date {
        ISO8601DateFormatter().date(from: "\(text)T\(time)+08:00")!
    }

    @Test func aMonthlyCadenceFromAMonthsEndFallsOnTheNextMonthsLastDay() {
        let due = VisitSchedule.dueAt(cadences: [.months(1)], lastVisit: Self.day("2027-01-31", "16:30:00"), recordedAt: .distantPast, calendar: Self.calendar)
        #expect(due == Self.day("2027-02-28"))
        let leap = VisitSchedule.dueAt(cadences: [.months(1)], lastVisit: Self.day("2028-01-31"), recordedAt: .distantPast, calendar: Self.calendar)
        #expect(leap == Self.day("2028-02-29"))
        let halfYear = VisitSchedule.dueAt(cadences: [.months(6)], lastVisit: Self.day("2026-08-31"), recordedAt: .distantPast, calendar: Self.calendar)
        #expect(halfYear == Self.day("2027-02-28"))
    }

    @Test func aVisitIsOverdueOnlyOnceItsWholeDayPassed() {
        let due = Self.day("2027-02-28")
        #expect(!VisitSchedule.isOverdue(due, at: Self.day("2027-02-28", "23:59:59"), calendar: Self.calendar))
        #expect(VisitSchedule.isOverdue(due, at: Self.day("2027-03-01", "00:00:00"), calendar: Self.calendar))
    }

    @Test func theShortestCadenceOfAHouseholdsKindsSetsItsVisitsAndNoneSetsNone() {
        let due = VisitSchedule.dueAt(cadences: [.months(6), .weeks(1), .months(1)], lastVisit: nil, recordedAt: Self.day("2027-03-03"), calendar: Self.calendar)
        #expect(due == Self.day("2027-03-10"))
        #expect(VisitSchedule.dueAt(cadences: [], lastVisit: nil, recordedAt: Self.day("2027-03-03"), calendar: Self.calendar) == nil)
    }

    @Test func aWeekRunsMondayToSundayInTheCitysTime() {
        let week = VisitSchedule.week(containing: Self.day("2027-02-28", "23:00:00"), calendar: Self.calendar)
        #expect(week.start == Self.day("2027-02-22") && week.end == Self.day("2027-03-01"))
    }

    @Test func aCadenceReadsAsTypedAndRefusesOtherText() throws {
        #expect(try VisitCadence(parsing: "2 weeks", field: "cadence") == .weeks(2))
        #expect(try VisitCadence(parsing: "1 month", field: "cadence") == .months(1))
        #expect(throws: DomainError.self) { try VisitCadence(parsing: "monthly", field: "cadence") }
    }

    @Test func csvReadsQuotedCellsAcrossLinesAndNamesEachRecordsFirstLine() {
        let text = "\u{FEFF}姓名,住址\r\n张三,\"和平村\n1组\"\r\n\r\n李四,\"说\"\"好\"\"\"\r\n"
        let records = CSV.records(Array(text.utf8))
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].cells == ["张三", "和平村\n1组"])
        #expect(records[2].cells == ["李四", "说\"好\""])
    }
}
