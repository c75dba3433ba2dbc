public import Foundation

/// The number a case is known by to people: the day it was reported on the city's calendar and
/// its id, 20261130-00001234. Receipts, pages, the API and the citizen's notices all print it.
public enum CaseNumber {
    public static func of(id: Int64, createdAt: Date, calendar: WorkCalendar) -> String {
        let digits = String(id)
        return calendar.dayKey(createdAt).filter { $0 != "-" } + "-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
