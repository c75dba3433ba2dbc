import Foundation
import Logging
public import OneGridDomain
public import OneGridStore

/// The deadline settings in force: the working calendar and the share of a limit after which a
/// clock turns yellow. One loader serves the server, its reloader and `onegrid sweep`, so a clock
/// restarted by any of them honours what the administrator stored.
public struct DeadlineSettings: Sendable {
    let services: OneGridServices

    /// Who may change them.
    public static let changedBy: Set<Role> = [.administrator]

    /// The planner on the stored settings, the defaults where none are stored.
    public static func planner(from settings: any SettingsStore) async throws -> DeadlinePlanner {
        let calendar = try await settings.value(.calendar)?.calendar ?? WorkCalendar()
        let share = try await settings.value(.yellowShare)
        return DeadlinePlanner(calendar: calendar, yellowShare: share ?? DeadlinePlanner.defaultYellowShare)
    }

    /// Stores a new yellow share and puts it in force at once, for clocks started from now on: a
    /// running clock keeps the share it started with, so no clock changes colour by decree.
    public func setYellowShare(_ share: Double, by principal: Principal) async throws {
        let shares = DeadlinePlanner.yellowShares
        guard shares.contains(share) else {
            throw DomainError.invalid(
                field: "yellowShare",
                "yellowShare is the share of a limit after which a clock turns yellow: a number from \(shares.lowerBound) to \(shares.upperBound)")
        }
        try await services.recording("settings.yellowShare", subject: "deadline settings", ["yellowShare": String(share)], by: principal) {
            try await services.settings.set(.yellowShare, to: share, at: services.clock.now)
        }
        try await services.reloadDeadlineSettings()
        services.logger.notice("deadline settings changed", metadata: ["user": "\(principal.user.username)", "yellowShare": "\(share)"])
    }

    /// The stored calendar file as the administrator wrote it, names and comments included, so it
    /// can be edited and sent back; the default calendar's file when none was stored.
    public func calendarFile() async throws -> String {
        try await services.settings.value(.calendar)?.text ?? WorkCalendar().fileText
    }

    /// Parses a calendar file, stores it as written and puts it in force at once.
    @discardableResult
    public func replaceCalendar(with text: String, by principal: Principal) async throws -> WorkCalendar {
        let file: WorkCalendarFile
        do {
            file = try WorkCalendarFile(parsing: text)
        } catch {
            // The field is "line N"; saying it in the message too reads well in any client.
            throw DomainError.invalid(field: error.field ?? "calendar", "\(error.field ?? "the file"): \(error.message)")
        }
        let calendar = file.calendar
        try await services.recording(
            "settings.calendar", subject: "working calendar",
            ["holidays": String(calendar.holidays.count), "workdays": String(calendar.swappedWorkdays.count)], by: principal
        ) {
            try await services.settings.set(.calendar, to: file, at: services.clock.now)
        }
        try await services.reloadDeadlineSettings()
        services.logger.notice(
            "working calendar replaced",
            metadata: ["user": "\(principal.user.username)", "holidays": "\(calendar.holidays.count)", "workdays": "\(calendar.swappedWorkdays.count)"])
        return calendar
    }
}
