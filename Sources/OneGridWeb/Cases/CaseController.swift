import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The case API: intake, queries, actions, the timeline and personal-data disclosure, each a thin
/// HTTP shell over its use case.
struct CaseController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.caseCreate, use: create)
        api.on(.cases, use: list)
        api.on(.caseExport, use: export)
        api.on(.caseDetail, use: show)
        api.on(.caseActions, use: act)
        api.on(.caseTimeline, use: timeline)
        api.on(.caseReveal, use: reveal)
        api.on(.caseDisclosures, use: disclosures)
        api.on(.caseDuplicates, use: duplicates)
    }

    /// The case's full JSON (its page, an action's answer), or its summary (lists, intake).
    func json(_ record: CaseRecord, for post: Post, detail: Bool = true) -> CaseJSON {
        CaseJSON(record, for: post, directory: services.directory, calendar: services.calendar, now: services.clock.now, detail: detail)
    }

    // MARK: Show, timeline

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> CaseJSON {
        let post = context.principal.post
        return json(try await services.reading.visibleCase(try context.pathID(), to: post), for: post)
    }

    struct TimelineJSON: ResponseEncodable {
        var caseID: Int64
        var events: [TimelineEntryJSON]
    }

    @Sendable func timeline(_ request: Request, context: SignedInContext) async throws -> TimelineJSON {
        let id = try context.pathID()
        let events = try await services.reading.timeline(of: id, for: context.principal.post)
        return TimelineJSON(caseID: id, events: events.map(TimelineEntryJSON.init))
    }

    // MARK: Actions

    /// A step; with an Idempotency-Key, a retry returns the case as the first send left it
    /// (marked `Idempotent-Replayed`) and takes no second step.
    @Sendable func act(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.pathID()
        let key = try Self.idempotencyKey(request)
        var request = request
        let body = try await request.decodeJSON(ActionRequest<CaseActionInput>.self, context: context)
        guard let action = CaseAction(rawValue: body.action), CaseAction.caseSteps.contains(action) else {
            // A case the post may not see stays "not found" whatever the body says.
            _ = try await services.reading.visibleCase(id, to: context.principal.post)
            let names = CaseAction.caseSteps.map(\.rawValue).joined(separator: ", ")
            throw APIError(.unprocessableContent, code: .invalid, "action '\(body.action)' is unknown; expected one of: \(names)", field: "action")
        }
        let taken = try await services.steps.take(
            action, on: id, input: body.input, expectedVersion: body.version, by: context.principal, idempotencyKey: key)
        var response = try json(taken.record, for: context.principal.post).response(from: request, context: context)
        if taken.isReplay { response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return response
    }

    // MARK: Personal data

    struct RevealRequest: Decodable {
        var field: String
    }

    struct RevealJSON: ResponseEncodable {
        var caseID: Int64
        var field: String
        var value: String?
    }

    /// Shows one of the reporter's phone or ID number unmasked to a post that needs it, and
    /// records that it did.
    @Sendable func reveal(_ request: Request, context: SignedInContext) async throws -> RevealJSON {
        let id = try context.pathID()
        var request = request
        let body = try await request.decodeJSON(RevealRequest.self, context: context)
        let field = try Self.personalField(body.field)
        let value = try await services.reading.reveal(field, of: id, by: context.principal)
        return RevealJSON(caseID: id, field: field.rawValue, value: value)
    }

    /// The personal field a reveal names, or a refusal naming `field`.
    static func personalField(_ name: String) throws -> CaseReading.PersonalField {
        guard let field = CaseReading.PersonalField(rawValue: name) else {
            let names = CaseReading.PersonalField.allCases.map(\.rawValue).joined(separator: " or ")
            throw APIError(.unprocessableContent, code: .invalid, "field must be \(names)", field: "field")
        }
        return field
    }

    struct DisclosureList: ResponseEncodable {
        var disclosures: [Disclosure]
    }

    @Sendable func disclosures(_ request: Request, context: SignedInContext) async throws -> DisclosureList {
        DisclosureList(disclosures: try await services.reading.disclosures(of: try context.pathID(), for: context.principal.post))
    }
}
