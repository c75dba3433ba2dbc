import Foundation
import Hummingbird
import OneGridDomain
import OneGridStore

/// The case API: intake, queries, actions, the timeline and personal-data disclosure.
struct CaseController {
    let services: OneGridServices

    func register(on router: Router<OneGridRequestContext>) {
        router.on(APIRoute.caseCreate, use: create)
        router.on(APIRoute.cases, use: list)
        router.on(APIRoute.caseDetail, use: show)
        router.on(APIRoute.caseActions, use: act)
        router.on(APIRoute.caseTimeline, use: timeline)
        router.on(APIRoute.caseReveal, use: reveal)
        router.on(APIRoute.caseDisclosures, use: disclosures)
        router.on(APIRoute.caseDuplicates, use: duplicates)
    }

    /// The case's full view (its page, an action's answer), or its summary (lists, intake).
    func view(_ record: CaseRecord, for post: Post, detail: Bool = true) -> CaseJSON {
        CaseJSON(record, for: post, directory: services.directory, calendar: services.calendar, now: services.clock.now, detail: detail)
    }

    /// The case if this post may see it; otherwise 404, exactly as if it did not exist.
    func visibleCase(_ id: Int64, to post: Post) async throws -> CaseRecord {
        guard let record = try await services.cases.record(id: id), CasePolicy.canSee(record.file, as: post) else {
            throw APIError(.notFound, code: .notFound, "case \(id) not found", field: "id")
        }
        return record
    }

    // MARK: Show, timeline

    @Sendable func show(_ request: Request, context: OneGridRequestContext) async throws -> CaseJSON {
        let principal = try context.principal()
        return view(try await visibleCase(try context.pathID(), to: principal.post), for: principal.post)
    }

    struct TimelineJSON: ResponseEncodable {
        var caseID: Int64
        var events: [TimelineEntryJSON]
    }

    @Sendable func timeline(_ request: Request, context: OneGridRequestContext) async throws -> TimelineJSON {
        let principal = try context.principal()
        let record = try await visibleCase(try context.pathID(), to: principal.post)
        return TimelineJSON(caseID: record.id, events: try await services.cases.timeline(caseID: record.id).map(TimelineEntryJSON.init))
    }

    // MARK: Actions

    struct ActionRequest: Decodable {
        var action: String
        var version: Int?
        var input: CaseActionInput

        enum CodingKeys: String, CodingKey { case action, version }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            action = try container.decode(String.self, forKey: .action)
            version = try container.decodeIfPresent(Int.self, forKey: .version)
            input = try CaseActionInput(from: decoder)
        }
    }

    @Sendable func act(_ request: Request, context: OneGridRequestContext) async throws -> CaseJSON {
        let principal = try context.principal()
        let id = try context.pathID()
        var request = request
        let body = try await request.decodeJSON(ActionRequest.self, context: context)
        let record = try await visibleCase(id, to: principal.post)
        guard let action = CaseAction(rawValue: body.action), action != .report else {
            let names = CaseAction.allCases.filter { $0 != .report }.map(\.rawValue).joined(separator: ", ")
            throw APIError(.unprocessableContent, code: .invalid, "action '\(body.action)' is unknown; expected one of: \(names)", field: "action")
        }
        let actionContext = try await self.actionContext(for: body.input, on: record.file, as: principal.post)
        let input = body.input
        let post = principal.post
        let planner = services.planner
        guard let category = actionContext.category else {
            throw APIError(.internalServerError, code: .internal, "case \(id) names a category that no longer exists")
        }
        let updated = try await services.cases.perform(
            caseID: id, expectedVersion: body.version, by: principal, at: actionContext.now
        ) { file in
            planner.plan(
                try CaseWorkflow.decide(action, on: file, input: input, by: post, context: actionContext),
                category: category, now: actionContext.now)
        }
        return view(updated, for: principal.post)
    }

    /// Looks up the records an action's input names, so the decision itself is pure.
    private func actionContext(for input: CaseActionInput, on file: CaseFile, as post: Post) async throws -> CaseActionContext {
        let directory = services.directory
        var context = CaseActionContext(now: services.clock.now, category: directory.categories[file.categoryID])
        context.department = (input.departmentID ?? file.suggestedDepartmentID).flatMap { directory.departments[$0] }
        context.assistingDepartments = (input.assistingDepartmentIDs ?? []).compactMap { directory.departments[$0] }
        if let watcher = input.watcherUserID {
            context.watcher = try await services.people.gridWorkerPost(userID: watcher, gridID: file.areas.grid)
        }
        if let primaryID = input.primaryCaseID, let primary = try await services.cases.record(id: primaryID),
            CasePolicy.canSee(primary.file, as: post)
        {
            context.primary = primary.file
        }
        return context
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
    @Sendable func reveal(_ request: Request, context: OneGridRequestContext) async throws -> RevealJSON {
        let principal = try context.principal()
        let id = try context.pathID()
        var request = request
        let body = try await request.decodeJSON(RevealRequest.self, context: context)
        let record = try await visibleCase(id, to: principal.post)
        guard principal.post.role.mayRevealPersonalData else {
            throw APIError(.forbidden, code: .forbidden, "a \(principal.post.role.rawValue) may not see a reporter's personal data")
        }
        let value: String?
        switch body.field {
        case "phone": value = record.reporter.phone
        case "idNumber": value = record.reporter.idNumber
        default:
            throw APIError(.unprocessableContent, code: .invalid, "field must be phone or idNumber", field: "field")
        }
        try await services.cases.recordDisclosure(caseID: id, by: principal, field: body.field, at: services.clock.now)
        return RevealJSON(caseID: id, field: body.field, value: value)
    }

    struct DisclosureList: ResponseEncodable {
        var disclosures: [Disclosure]
    }

    @Sendable func disclosures(_ request: Request, context: OneGridRequestContext) async throws -> DisclosureList {
        let principal = try context.principal()
        let record = try await visibleCase(try context.pathID(), to: principal.post)
        guard [.dispatcher, .leader, .administrator].contains(principal.post.role) else {
            throw APIError(.forbidden, code: .forbidden, "only dispatchers, leaders and administrators read the disclosure log")
        }
        return DisclosureList(disclosures: try await services.cases.disclosures(caseID: record.id))
    }
}
