import Foundation
import OneGridDomain
import OneGridStore

/// How pages write times and clocks: in the city's time zone, dates as 2026-11-29 14:05,
/// durations in working days and hours as a person counts them ("剩余 1 个工作日 3 小时").
struct PageFormats {
    let t: Translation
    let calendar: WorkCalendar
    let now: Date

    /// 2026-11-29 14:05 in the city's time zone, from the zone's offset at that moment: a
    /// Foundation format style, built anew each call, was a fifth of an export's time.
    func dateTime(_ date: Date) -> String {
        let time = CivilTime(date, offset: calendar.timeZone.secondsFromGMT(for: date))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(time.year)-\(two(time.month))-\(two(time.day)) \(two(time.hour)):\(two(time.minute))"
    }

    /// Time left until `due` ("剩余 1 个工作日 3 小时"), or past it ("超时 2 天 5 小时"). Whole days
    /// count only working days, as the limits do; the hours are those left over.
    func timeLeft(until due: Date) -> String {
        let left = due.timeIntervalSince(now)
        let hours = Int(abs(left).truncatingRemainder(dividingBy: 86400) / 3600)
        let minutes = Int(abs(left).truncatingRemainder(dividingBy: 3600) / 60)
        let wholeDays = Int(abs(left) / 86400)
        if left < 0 {
            return wholeDays > 0
                ? t.text("clock.overdueDays", ["days": "\(wholeDays)", "hours": "\(hours)"])
                : t.text("clock.overdueHours", ["hours": "\(hours)", "minutes": "\(minutes)"])
        }
        let workingDays = (0..<wholeDays).count { calendar.isWorkingDay(now.addingTimeInterval(Double($0 + 1) * 86400)) }
        return workingDays > 0
            ? t.text("clock.leftDays", ["days": "\(workingDays)", "hours": "\(hours)"])
            : t.text("clock.leftHours", ["hours": "\(hours + (wholeDays - workingDays) * 24)", "minutes": "\(minutes)"])
    }

    /// The badge every case shows: colour, its word, and the time left.
    func badge(_ record: CaseRecord) -> ClockBadge {
        let file = record.file
        guard file.status.isOpen else {
            return ClockBadge(state: "done", label: t.text("clock.state.done"), detail: file.status == .closed || file.status == .archived
                ? t.text("clock.closedAt", ["at": file.closedAt.map(dateTime) ?? ""]) : "")
        }
        if let suspended = file.suspendedAt {
            return ClockBadge(state: "grey", label: t.text("clock.state.grey"), detail: t.text("clock.suspendedAt", ["at": dateTime(suspended)]))
        }
        let due = file.clock?.dueAt ?? record.dueAt
        let colour: ClockColour = file.clock?.colour(at: now) ?? (due < now ? .red : .green)
        return ClockBadge(state: colour.rawValue, label: t.text("clock.state.\(colour.rawValue)"), detail: timeLeft(until: due))
    }
}

/// A clock as the `clock` partial draws it: a coloured mark and its word, never colour alone.
struct ClockBadge {
    /// green, yellow, red, grey (suspended) or done.
    var state: String
    var label: String
    var detail: String
}

extension ClockBadge: RenderFields {
    var renderFields: [String: Any] { ["state": state, "label": label, "detail": detail] }
}
