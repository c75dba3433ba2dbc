import Foundation
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// Settings read back as the type of their key: the calendar as the file that was written, the
/// yellow share as a number.
@Suite struct SQLSettingsStoreTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test(arguments: TestDatabases.kinds)
    func eachSettingReadsBackAsItsKeysType(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            let settings = SQLSettingsStore(database: database)
            #expect(try await settings.value(.calendar) == nil)
            #expect(try await settings.value(.yellowShare) == nil)

            let file = try WorkCalendarFile(parsing: "# 本市工作日历\ntimezone Asia/Shanghai\nholiday 2026-10-01 2026-10-07 国庆节\n")
            try await settings.set(.calendar, to: file, at: Self.now)
            try await settings.set(.yellowShare, to: 0.7, at: Self.now)
            try await settings.set(.yellowShare, to: 0.75, at: Self.now)

            let calendar = try #require(try await settings.value(.calendar))
            #expect(calendar.text == file.text, "the file as written, comments and names included")
            #expect(calendar.calendar.holidays.count == 7)
            #expect(try await settings.value(.yellowShare) == 0.75, "the last value set")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aStoredValueNotOfItsKeysTypeIsAnErrorNamingTheSetting(kind: OneGridDatabase.Kind) async throws {
        try await TestDatabases.withDatabase(kind) { database in
            try await database.transaction { db in
                try await db.raw("INSERT INTO settings (key, value, updated_at) VALUES ('deadlines.yellowShare', 'soon', 0)").run()
            }
            let error = await #expect(throws: StoreError.self) { try await SQLSettingsStore(database: database).value(.yellowShare) }
            #expect(error?.description.contains("deadlines.yellowShare") == true)
        }
    }
}
