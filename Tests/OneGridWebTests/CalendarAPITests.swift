import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import OneGridApplication
import OneGridDomain
import OneGridStore
@testable import OneGridWeb
import Testing

/// The working calendar as a file: read by every post, replaced by administrators only, refused
/// line by line, and in force for the next deadline at once.
@Suite struct CalendarAPITests {
    static let file = """
        # 测试日历
        timezone Asia/Shanghai
        office-hours 09:00-12:00 13:30-17:00
        holiday 2026-10-01 2026-10-07 国庆节   # seven days off
        workday 2026-09-27 国庆调休
        workday 2026-10-10 国庆调休

        """

    /// The body as text, with its status and content type: the calendar is not JSON.
    static func text(_ api: API, _ method: HTTPRequest.Method, token: String?, body: String? = nil) async throws
        -> (status: HTTPResponse.Status, contentType: String?, text: String)
    {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await api.client.executeRequest(
            uri: "/api/v1/calendar", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return (response.status, response.headers[.contentType], String(buffer: response.body))
    }

    @Test func anAdministratorReplacesTheFileAndEveryPostReadsItBackAsWritten() async throws {
        try await TestApp.run { api, _ in
            let worker = try await api.signIn("gridworker1")
            let before = try await Self.text(api, .get, token: worker)
            #expect(before.status == .ok && before.contentType == "text/plain; charset=utf-8")
            #expect(try WorkCalendar(parsing: before.text) == WorkCalendar(), "the default calendar until one is loaded")

            let admin = try await api.signIn("admin")
            let replaced = try await api.send(.put, "/api/v1/calendar", token: admin, rawBody: Self.file)
            #expect(replaced.status == .ok, "\(replaced.json)")
            #expect(replaced["timeZone"] as? String == "Asia/Shanghai")
            #expect(replaced["holidays"] as? Int == 7)
            #expect(replaced["workdays"] as? Int == 2)
            #expect(replaced["officeHours"] as? [String] == ["09:00-12:00", "13:30-17:00"])

            // Names and comments come back, so the file can be edited and sent again.
            let after = try await Self.text(api, .get, token: worker)
            #expect(after.status == .ok && after.text == Self.file)

            #expect(try await Self.text(api, .get, token: nil).status == .unauthorized)
        }
    }

    @Test func onlyAnAdministratorMayReplaceIt() async throws {
        try await TestApp.run { api, _ in
            for username in ["city", "leader", "village1"] {
                let token = try await api.signIn(username)
                let refused = try await api.send(.put, "/api/v1/calendar", token: token, rawBody: Self.file)
                #expect(refused.status == .forbidden && refused.errorCode == "forbidden", "\(username)")
            }
            let admin = try await api.signIn("admin")
            #expect(try WorkCalendar(parsing: try await Self.text(api, .get, token: admin).text) == WorkCalendar())
        }
    }

    @Test func aBadLineIsNamedAndNothingIsStored() async throws {
        try await TestApp.run { api, _ in
            let admin = try await api.signIn("admin")
            let bad = "timezone Asia/Shanghai\nholiday 2026-10-01 国庆节\nholliday 2026-10-02\n"
            let refused = try await api.send(.put, "/api/v1/calendar", token: admin, rawBody: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorField == "line 3")
            #expect(refused.errorMessage.contains("line 3") && refused.errorMessage.contains("holliday"), "\(refused.errorMessage)")

            let badDate = try await api.send(.put, "/api/v1/calendar", token: admin, rawBody: "holiday 2026-02-30\n")
            #expect(badDate.status == .unprocessableContent && badDate.errorField == "line 1")

            let empty = try await api.send(.put, "/api/v1/calendar", token: admin, rawBody: "")
            #expect(empty.status == .badRequest)

            #expect(try WorkCalendar(parsing: try await Self.text(api, .get, token: admin).text) == WorkCalendar())
        }
    }

    /// docs/calendar-2026.txt loads as it ships, and counts as docs/calendar.md says it does.
    @Test func theShipped2026CalendarLoadsAndCountsAsDocumented() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: repository.appendingPathComponent("docs/calendar-2026.txt"), encoding: .utf8)
        let calendar = try WorkCalendar(parsing: text)
        var shanghai = Calendar(identifier: .gregorian)
        shanghai.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        func at(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
            shanghai.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute))!
        }
        #expect(calendar.due(from: at(9, 30, 15), limit: TimeLimit(5, .workingDays)) == at(10, 14, 0))
        #expect(calendar.due(from: at(9, 30, 17), limit: TimeLimit(1, .workingHours)) == at(10, 8, 9))
        #expect(calendar.isWorkingDay(at(2, 14, 10)) && calendar.isWorkingDay(at(2, 28, 10)), "the Spring Festival's swapped Saturdays")
        #expect(!calendar.isWorkingDay(at(2, 16, 10)), "除夕")

        try await TestApp.run { api, _ in
            let admin = try await api.signIn("admin")
            let loaded = try await api.send(.put, "/api/v1/calendar", token: admin, rawBody: text)
            #expect(loaded.status == .ok, "\(loaded.json)")
            #expect(loaded["holidays"] as? Int == 33 && loaded["workdays"] as? Int == 6)
        }
    }

    /// `onegrid calendar load` writes to the database behind the server's back; the server's
    /// periodic reload puts it in force.
    @Test func aCalendarStoredBehindTheServersBackIsTakenAtTheNextReload() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-calendar-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let database = try await OneGridDatabase.open(path)
        try await Migrator().migrate(database)
        let services = try await OneGridServices(database: database, logger: Logger(label: "test"))
        #expect(services.calendar == WorkCalendar())
        let reloader = Task { try await DeadlineSettingsReloader(services: services, interval: .milliseconds(20)).run() }

        try await SQLSettingsStore(database: database).set(.calendar, to: try WorkCalendarFile(parsing: Self.file), at: Date())
        let loaded = try WorkCalendar(parsing: Self.file)
        for _ in 0..<250 where services.calendar != loaded {
            try await Task.sleep(for: .milliseconds(20))
        }
        reloader.cancel()
        try await reloader.value
        #expect(services.calendar == loaded)
        try await database.shutdown()
    }

    @Test func aCaseReportedAfterAHolidayIsLoadedFallsDueAfterIt() async throws {
        try await TestApp.run { api, city in
            var shanghai = Calendar(identifier: .gregorian)
            shanghai.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            func key(_ date: Date) -> String {
                let parts = shanghai.dateComponents([.year, .month, .day], from: date)
                return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            }
            func due(_ reply: API.Reply) throws -> Date {
                let text = try #require(reply["dueAt"] as? String, "\(reply.json)")
                return try #require(ISO8601DateFormatter().date(from: text))
            }
            let today = shanghai.startOfDay(for: Date())
            let firstOff = shanghai.date(byAdding: .day, value: 1, to: today)!
            let lastOff = shanghai.date(byAdding: .day, value: 30, to: today)!
            let backAtWork = shanghai.date(byAdding: .day, value: 1, to: lastOff)!

            let worker = try await api.signIn("gridworker1")
            let ordinary = try due(try await api.report(token: worker, at: city.gridPoints[0].point))
            #expect(ordinary < shanghai.date(byAdding: .day, value: 10, to: today)!, "a working-day limit within the week")

            let admin = try await api.signIn("admin")
            let loaded = try await api.send(
                .put, "/api/v1/calendar", token: admin, rawBody: "holiday \(key(firstOff)) \(key(lastOff)) 长假\n")
            #expect(loaded.status == .ok && loaded["holidays"] as? Int == 30, "\(loaded.json)")

            let later = try due(try await api.report(token: worker, at: city.gridPoints[0].point, title: "假期里的报修"))
            #expect(later > backAtWork, "no working day passes in the holiday: due \(later), back at work \(backAtWork)")
        }
    }
}
