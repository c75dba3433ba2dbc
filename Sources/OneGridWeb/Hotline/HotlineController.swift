import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The 12345 hotline's routes (docs/hotline.md), a thin HTTP shell over `Hotline`: a ticket in,
/// created once by its number or diverted with its reason, and its result read back by number.
struct HotlineController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.hotlineTicketCreate, use: create)
        api.on(.hotlineTicket, use: show)
    }

    /// A ticket: its number, and either the hotline's diversion or the case's fields as intake takes them.
    struct TicketBody: Decodable {
        var ticket: String
        var diversion: HotlineDiversion?
        var intake: IntakeForm?

        enum CodingKeys: String, CodingKey { case ticket, diversion }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ticket = try container.decode(String.self, forKey: .ticket)
            diversion = try container.decodeIfPresent(HotlineDiversion.self, forKey: .diversion)
            // A diverted ticket becomes no case, so it needs none of a case's fields.
            intake = diversion == nil ? try IntakeForm(from: decoder) : nil
        }
    }

    /// 201 with the new case, 200 with the case the ticket became before; 422 `diverted` with
    /// the reason when the ticket is, or was, diverted.
    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(TicketBody.self, context: context)
        let hotline = services.hotline
        do {
            guard let form = body.intake else {
                try await hotline.divert(ticket: body.ticket, body.diversion!, by: context.principal)
            }
            let intake = try await hotline.receive(ticket: body.ticket, form, by: context.principal)
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .location: "/api/v1/cases/\(intake.record.id)"]
            if intake.isReplay { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
            let json = TicketJSON(ticket: body.ticket, case: caseJSON(intake.record, for: context.principal.post))
            return Response(
                status: intake.isReplay ? .ok : .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.json)))
        } catch let diverted as Hotline.Diverted {
            throw refusal(diverted, language: Language(acceptLanguage: request.headers[.acceptLanguage]))
        }
    }

    /// The ticket's case with its result and rating, or its diversion.
    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> TicketJSON {
        guard let ticket = request.uri.queryParameters.get("ticket") else {
            throw APIError(.badRequest, code: .badRequest, "the query needs ticket: the hotline's ticket number", field: "ticket")
        }
        let post = context.principal.post
        switch try await services.hotline.result(ticket: ticket, for: post) {
        case .handled(let record, let result, let rating):
            return TicketJSON(
                ticket: ticket, case: caseJSON(record, for: post, detail: true), result: result,
                rating: record.file.rating.map { ($0, rating) })
        case .diverted(let diverted):
            return TicketJSON(ticket: ticket, diversion: (diverted, text(of: diverted, language: Language(acceptLanguage: request.headers[.acceptLanguage]))))
        }
    }

    // MARK: Answers

    /// A ticket as the hotline reads it back: its case, and once there are, the result fed back
    /// and the caller's rating; or the diversion it was answered with.
    struct TicketJSON: JSONResponse {
        var ticket: String
        var `case`: CaseJSON?
        var result: StoredEvent?
        var rating: (value: Rating, event: StoredEvent?)?
        var diversion: (diverted: Hotline.Diverted, text: String)?

        init(ticket: String, case: CaseJSON? = nil, result: StoredEvent? = nil, rating: (value: Rating, event: StoredEvent?)? = nil,
            diversion: (diverted: Hotline.Diverted, text: String)? = nil) {
            self.ticket = ticket
            self.case = `case`
            self.result = result
            self.rating = rating
            self.diversion = diversion
        }

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("ticket", ticket)
                json.field("case", self.case)
                if let result {
                    json.field("result", object: { json in
                        json.field("text", result.event.note ?? "")
                        json.field("at", result.event.at)
                    })
                }
                if let rating {
                    json.field("rating", object: { json in
                        json.field("rating", rating.value)
                        json.field("words", rating.event?.event.note)
                        json.field("at", rating.event?.event.at)
                    })
                }
                if case let (diverted, text)? = diversion {
                    json.field("diversion", object: { json in
                        let diversion = diverted.ticket.diversion
                        json.field("reason", diversion.reason)
                        json.field("text", text)
                        json.field("line", diversion.line)
                        json.field("legalRoute", diversion.legalRoute)
                        json.field("earlierTicket", diversion.earlierTicket)
                        json.field("earlierCaseID", diverted.ticket.earlierCaseID)
                        json.field("earlierStatus", diverted.earlier?.file.status)
                        json.field("note", diversion.note)
                        json.field("receivedAt", diverted.ticket.receivedAt)
                    })
                }
            }
        }
    }

    /// The summary a report answers with, or, read back, the detail with its times.
    private func caseJSON(_ record: CaseRecord, for post: Post, detail: Bool = false) -> CaseJSON {
        CaseJSON(record, for: post, directory: services.directory, calendar: services.calendar, now: services.clock.now, detail: detail)
    }

    // MARK: Diversions

    /// The 422 a diverted ticket is answered with: the reason's code, and its text as the message.
    private func refusal(_ diverted: Hotline.Diverted, language: Language) -> APIError {
        var error = APIError(
            .unprocessableContent, code: .diverted, text(of: diverted, language: language), field: "diversion")
        error.reason = diverted.ticket.diversion.reason.rawValue
        return error
    }

    /// What the caller is told of a diversion, from the translations, so a city words it its own way.
    private func text(of diverted: Hotline.Diverted, language: Language) -> String {
        let texts = Self.translations[language] ?? Self.translations[.zhCN]!
        let diversion = diverted.ticket.diversion
        return texts.text(
            "hotline.diversion.\(diversion.reason.rawValue)",
            [
                "line": diversion.line?.rawValue ?? "", "route": diversion.legalRoute.map { texts.text("legalRoute.\($0.rawValue)") } ?? "",
                "earlier": diversion.earlierTicket ?? "",
                "status": diverted.earlier.map { texts.text("status.\($0.file.status.rawValue)") } ?? "",
            ])
    }

    /// Read once: the bundled files are part of the binary.
    private static let translations: [Language: Translation] = {
        guard let chinese = try? Translation.load(.zhCN, fallback: nil) else { return [:] }
        return [.zhCN: chinese, .en: (try? Translation.load(.en, fallback: chinese)) ?? chinese]
    }()
}
