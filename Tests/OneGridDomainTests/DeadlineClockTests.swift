import Foundation
import OneGridDomain
import Testing

/// The clocks of DOMAIN.md §4: colours at 80 % and 100 %, the alerts they call for once each,
/// and the calendar file an administrator keeps.
@Suite struct DeadlineClockTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let clock = CaseClock(stage: .handling, startedAt: start, dueAt: start.addingTimeInterval(100 * 3600))

    static func hours(_ value: Double) -> Date { start.addingTimeInterval(value * 3600) }

    @Test func colourTurnsYellowAtTheShareAndRedAtTheDueTime() {
        #expect(Self.clock.colour(at: Self.hours(79.9)) == .green)
        #expect(Self.clock.colour(at: Self.hours(80)) == .yellow)
        #expect(Self.clock.colour(at: Self.hours(99.9)) == .yellow)
        #expect(Self.clock.colour(at: Self.hours(100)) == .red)
        var strict = Self.clock
        strict.yellowShare = 0.5
        #expect(strict.colour(at: Self.hours(50)) == .yellow)
        #expect(Self.clock.share(at: Self.hours(150)) == 1.5)
        #expect(Self.clock.left(at: Self.hours(90)) == 10 * 3600)
    }

    @Test func stagesFollowTheStatus() {
        #expect(DeadlineStage(status: .reported) == .acceptance)
        #expect(DeadlineStage(status: .assigned) == .signing)
        #expect(DeadlineStage(status: .inProgress) == .handling)
        #expect(DeadlineStage(status: .accepted) == .handling)
        #expect(DeadlineStage(status: .handled) == nil)
        #expect(DeadlineStage(status: .archived) == nil)
    }

    @Test func eachAlertIsDueOnceAndInOrder() {
        let clock = Self.clock
        #expect(DeadlineSweep.due(clock: clock, sent: nil, escalates: true, now: Self.hours(10)).isEmpty)
        #expect(DeadlineSweep.due(clock: clock, sent: nil, escalates: true, now: Self.hours(85)) == [.urge])
        #expect(DeadlineSweep.due(clock: clock, sent: .urge, escalates: true, now: Self.hours(85)).isEmpty)
        #expect(DeadlineSweep.due(clock: clock, sent: .urge, escalates: true, now: Self.hours(101)) == [.supervise, .escalate])
        // A clock first seen late gets every step it missed, urge first.
        #expect(DeadlineSweep.due(clock: clock, sent: nil, escalates: false, now: Self.hours(101)) == [.urge, .supervise])
        #expect(DeadlineSweep.due(clock: clock, sent: .escalate, escalates: true, now: Self.hours(500)).isEmpty)
    }

    @Test func onlyAnOverdueHandlingStageEscalates() {
        let signing = CaseClock(stage: .signing, startedAt: Self.start, dueAt: Self.hours(24))
        #expect(DeadlineSweep.due(clock: signing, sent: nil, escalates: true, now: Self.hours(30)) == [.urge, .supervise])
        #expect(DeadlineSweep.nextAlertAt(clock: signing, sent: .supervise, escalates: true) == nil)
    }

    @Test func theNextLookIsTheYellowMomentThenTheDueTime() {
        let clock = Self.clock
        #expect(DeadlineSweep.nextAlertAt(clock: clock, sent: nil, escalates: true) == Self.hours(80))
        #expect(DeadlineSweep.nextAlertAt(clock: clock, sent: .urge, escalates: true) == Self.hours(100))
        #expect(DeadlineSweep.nextAlertAt(clock: clock, sent: .supervise, escalates: true) == Self.hours(100))
        #expect(DeadlineSweep.nextAlertAt(clock: clock, sent: .supervise, escalates: false) == nil)
        #expect(DeadlineSweep.nextAlertAt(clock: clock, sent: .escalate, escalates: true) == nil)
    }

    // MARK: The calendar file

    @Test func aCalendarFileReadsBackTheSame() throws {
        let text = """
            # 2026
            timezone Asia/Shanghai
            office-hours 09:00-12:00 13:30-17:00
            holiday 2026-10-01 2026-10-07 国庆节
            workday 2026-10-10   # 调休
            """
        let calendar = try WorkCalendar(parsing: text)
        #expect(calendar.holidays.count == 7)
        #expect(calendar.holidays.contains("2026-10-07"))
        #expect(calendar.swappedWorkdays == ["2026-10-10"])
        #expect(calendar.officeHours == [540..<720, 810..<1020])
        #expect(try WorkCalendar(parsing: calendar.fileText) == calendar)
    }

    @Test(arguments: [
        ("holiday 2026-02-30", "line 1"), ("timezone Mars/Olympus", "line 1"), ("\noffice-hours 12:00-09:00", "line 2"),
        ("feast 2026-01-01", "line 1"), ("holiday 2026-10-07 2026-10-01", "line 1"),
    ])
    func aBadLineIsRefusedNamingIt(text: String, line: String) {
        #expect(throws: DomainError.self) { try WorkCalendar(parsing: text) }
        do {
            _ = try WorkCalendar(parsing: text)
        } catch {
            #expect(error.field == line)
        }
    }
}
