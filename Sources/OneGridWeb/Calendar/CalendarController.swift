import Foundation
import Hummingbird
import Logging
import NIOCore
import OneGridDomain
import OneGridStore

/// The working calendar as a file an administrator reads and replaces (docs/calendar.md).
struct CalendarController {
    let services: OneGridServices

    func register(on router: Router<OneGridRequestContext>) {
        router.on(APIRoute.calendar, use: show)
        router.on(APIRoute.calendarReplace, use: replace)
    }

    /// The stored file as the administrator wrote it, names and comments included, so it can be
    /// edited and sent back; the default calendar's file when none was stored.
    @Sendable func show(_ request: Request, context: OneGridRequestContext) async throws -> Response {
        _ = try context.principal()
        let text = try await services.settings.value(SQLSettingsStore.calendarKey) ?? WorkCalendar().fileText
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    struct CalendarSummary: ResponseEncodable {
        var timeZone: String
        var holidays: Int
        var workdays: Int
        var officeHours: [String]

        init(_ calendar: WorkCalendar) {
            func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
            timeZone = calendar.timeZone.identifier
            holidays = calendar.holidays.count
            workdays = calendar.swappedWorkdays.count
            officeHours = calendar.officeHours.map { "\(clock($0.lowerBound))-\(clock($0.upperBound))" }
        }
    }

    /// Parses the body as a calendar file, stores it as sent and puts it in force at once.
    @Sendable func replace(_ request: Request, context: OneGridRequestContext) async throws -> CalendarSummary {
        let principal = try context.principal()
        guard principal.post.role == .administrator else {
            throw APIError(.forbidden, code: .forbidden, "only an administrator replaces the working calendar")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, code: .bodyTooLarge, "the body is larger than \(context.maxUploadSize) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, code: .badRequest, "expected the calendar file as a text/plain body")
        }
        guard let text = String(bytes: buffer.readableBytesView, encoding: .utf8) else {
            throw APIError(.badRequest, code: .badRequest, "the calendar file must be UTF-8 text")
        }
        let calendar: WorkCalendar
        do {
            calendar = try WorkCalendar(parsing: text)
        } catch {
            // The field is "line N"; saying it in the message too reads well in any client.
            throw APIError(.unprocessableContent, code: .invalid, "\(error.field ?? "the file"): \(error.message)", field: error.field)
        }
        try await services.settings.set(SQLSettingsStore.calendarKey, to: text, at: services.clock.now)
        try await services.reloadDeadlineSettings()
        context.logger.notice(
            "working calendar replaced",
            metadata: ["user": "\(principal.user.username)", "holidays": "\(calendar.holidays.count)", "workdays": "\(calendar.swappedWorkdays.count)"])
        return CalendarSummary(calendar)
    }
}
