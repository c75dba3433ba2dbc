import Foundation
import OneGridDomain
import Testing

/// The period a leader's table opens on: on the 1st, in the city's time, the new month has almost
/// no cases, so the table must open on the month just ended until the review days are over.
@Suite struct AssessmentPeriodTests {
    /// A moment given in the city's time (UTC+8).
    static func city(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = FigureMonth.cityTimeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test func aTableOpensOnTheMonthJustEndedDuringTheReviewDays() {
        #expect(AssessmentPeriod.opening(at: Self.city("2026-12-01 00:30")).key == "2026-11")
        #expect(AssessmentPeriod.opening(at: Self.city("2026-12-05 23:59")).key == "2026-11")
        #expect(AssessmentPeriod.opening(at: Self.city("2026-12-06 00:00")).key == "2026-12")
        #expect(AssessmentPeriod.opening(at: Self.city("2026-11-30 23:59")).key == "2026-11")
        #expect(AssessmentPeriod.opening(at: Self.city("2027-01-02 09:00")).key == "2026-12", "across a year's end")
        // 16:30 UTC on 30 November is already 1 December in the city.
        #expect(AssessmentPeriod.opening(at: ISO8601DateFormatter().date(from: "2026-11-30T16:30:00Z")!).key == "2026-11")
        #expect(AssessmentPeriod.current(at: ISO8601DateFormatter().date(from: "2026-11-30T16:30:00Z")!).key == "2026-12")
    }
}
