import Foundation
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDomain

/// The working calendar as a file an administrator reads and replaces (docs/calendar.md).
struct CalendarController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.calendar, use: show)
        api.on(.calendarReplace, use: replace)
    }

    /// The calendar file (see `DeadlineSettings.calendarFile`).
    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let text = try await services.deadlineSettings.calendarFile()
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
    @Sendable func replace(_ request: Request, context: SignedInContext) async throws -> CalendarSummary {
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
        return CalendarSummary(try await services.deadlineSettings.replaceCalendar(with: text, by: context.principal))
    }
}
