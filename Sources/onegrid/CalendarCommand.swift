import ArgumentParser
import Foundation
import OneGridDomain
import OneGridStore

/// `onegrid calendar show|load`: the working calendar file kept in the database (docs/calendar.md).
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Show or load the working calendar: weekends, public holidays, swapped working days.",
        discussion: """
            The file format is in docs/calendar.md. A running server takes a loaded calendar within \
            a minute; PUT /api/v1/calendar does the same through the API and applies at once.
            """,
        subcommands: [Show.self, Load.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the stored calendar file (the default calendar's when none is stored).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let text = try await CalendarCommand.withSettings(database.location) { settings in
                try await settings.value(.calendar)?.text
            }
            print(text ?? WorkCalendar().fileText, terminator: "")
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a calendar file and store it; a bad line is named and nothing is stored.")

        @Argument(help: "The calendar file, e.g. docs/calendar-2026.txt.", completion: .file())
        var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw commandFailure("cannot read \(file) as UTF-8 text: \(error.localizedDescription)")
            }
            let calendarFile: WorkCalendarFile
            do {
                calendarFile = try WorkCalendarFile(parsing: text)
            } catch {
                // file:line: message, the form editors jump to.
                let line = error.field.map { $0.replacingOccurrences(of: "line ", with: "") } ?? "1"
                throw commandFailure("\(file):\(line): \(error.message)")
            }
            try await CalendarCommand.withSettings(database.location) { settings in
                try await settings.set(.calendar, to: calendarFile, at: Date())
            }
            let calendar = calendarFile.calendar
            print(
                "Loaded \(file): time zone \(calendar.timeZone.identifier), \(calendar.holidays.count) holidays, "
                    + "\(calendar.swappedWorkdays.count) swapped working days. A running server takes it within a minute.")
        }
    }

    /// Says what went wrong on standard error and exits 1, without the usage text a
    /// `ValidationError` would add to a mistake that lies in the file, not the command line.
    /// Opens the database, brings its schema up to date as `serve` would (the settings table
    /// came with a migration), runs `body`, and closes it whatever happened.
    static func withSettings<T: Sendable>(_ location: String, _ body: (SQLSettingsStore) async throws -> T) async throws -> T {
        try await OneGridDatabase.using(location) { db in
            try await Migrator().migrate(db)
            return try await body(SQLSettingsStore(database: db))
        }
    }
}
