import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// FixMyStreet's `servicerequestupdates` extension: the status changes of the jurisdiction's
/// cases, from their timelines, and a reporter's update taken as the step the case allows.
extension Open311Controller {
    /// The steps that changed a case's status in the span asked (by default the last 90 days),
    /// oldest first, at most 1,000: a client asks again from the last one's time.
    @Sendable func updateList(_ request: Request, context: OneGridRequestContext, _ format: Open311Format) async throws -> Response {
        let parameters = try await Open311Parameters.read(request, context: context)
        let client = try await client(parameters)
        let span = try span(parameters)
        let events = try await services.open311Requests.updates(from: span.from, before: span.before, limit: Self.maximumResults, for: client)
        return Open311Document(root: "service_requests_updates", value: .list(item: "request_update", events.map(updateValue)))
            .response(format)
    }

    /// A reporter's update of their request (`status` open when it is still not solved, closed
    /// or fixed when it is; `description` their words): a rating once the case is verified, a
    /// request for review once a petition is closed; refused with 400 at any other stage.
    @Sendable func addUpdate(_ request: Request, context: OneGridRequestContext, _ format: Open311Format) async throws -> Response {
        let parameters = try await Open311Parameters.read(request, context: context)
        let client = try await client(parameters)
        guard let idText = parameters["service_request_id"] else { throw Open311Error.invalid("service_request_id", "required") }
        guard let id = Int64(idText), id > 0 else { throw Open311Error(.notFound, "service_request_id: \(idText) not found") }
        let names = Open311Requests.ReporterVerdict.allCases.map(\.rawValue).joined(separator: ", ")
        guard let status = parameters["status"] else { throw Open311Error.invalid("status", "required: \(names)") }
        guard let verdict = Open311Requests.ReporterVerdict(rawValue: status.lowercased()) else {
            throw Open311Error.invalid("status", "one of \(names), not '\(status)'")
        }
        let note = try parameters.text("description", limit: 2_000) ?? ""
        let (_, event) = try await services.open311Requests.update(
            caseID: id, verdict: verdict, note: note, mediaURL: try parameters.url("media_url"), by: client)
        let answer = Open311Value.object([("update_id", .text(Self.updateID(event.event)))])
        return Open311Document(root: "service_request_updates", value: .list(item: "request_update", [answer]))
            .response(format, status: .created)
    }

    /// An update's id: its case and its place in the case's timeline, stable for good.
    static func updateID(_ event: TimelineEvent) -> String { "\(event.caseID).\(event.sequence)" }

    func updateValue(_ stored: StoredEvent) -> Open311Value {
        let event = stored.event
        let media = (event.details["evidence"] ?? "").split(separator: "\n").first { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        return .object([
            ("update_id", .text(Self.updateID(event))),
            ("service_request_id", .text(String(event.caseID))),
            ("status", .text(Self.updateStatus(event.toStatus))),
            ("updated_datetime", .text(Open311Time.text(event.at))),
            ("description", .text(event.note ?? "\(event.toStatus.chineseName) (\(event.action.rawValue))")),
            ("media_url", .text(media.map(String.init))),
        ])
    }

    /// A case's status in FixMyStreet's words for updates.
    static func updateStatus(_ status: CaseStatus) -> String {
        switch status {
        case .reported: "open"
        case .accepted: "investigating"
        case .assigned: "action_scheduled"
        case .inProgress: "in_progress"
        case .handled, .verified, .rated: "fixed"
        case .closed, .archived: "closed"
        case .rejected: "no_further_action"
        case .guided: "not_councils_responsibility"
        case .merged: "duplicate"
        }
    }
}
