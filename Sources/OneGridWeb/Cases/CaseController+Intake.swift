import Foundation
import HTTPTypes
import Hummingbird
import OneGridDomain
import OneGridStore

extension CaseController {
    struct IntakeRequest: Decodable {
        struct ReporterInput: Decodable {
            var name: String?
            var phone: String?
            var idNumber: String?
        }

        var title: String
        var description: String?
        var categoryCode: String?
        var categoryID: Int64?
        var channel: String?
        var location: GeoPoint?
        var gridID: Int64?
        var address: String?
        var reporter: ReporterInput?
        /// Solved at intake: what was done. The case is accepted and solved in the same request.
        var solvedOnSpot: String?
    }

    /// The channels each role reports through; the first is its default.
    static func channels(for role: Role) -> [Channel] {
        switch role {
        case .citizen: [.citizen]
        case .gridWorker: [.gridWorker]
        case .windowClerk: [.window]
        case .hotlineAgent: [.hotline, .onlinePetition, .videoAlert, .publicOpinion]
        case .dispatcher: [.window, .hotline, .onlinePetition, .videoAlert, .publicOpinion, .gridWorker, .citizen]
        case .departmentHandler, .mediator, .leader, .administrator: []
        }
    }

    @Sendable func create(_ request: Request, context: OneGridRequestContext) async throws -> Response {
        let principal = try context.principal()
        let key = try Self.idempotencyKey(request)
        var request = request
        let body = try await request.decodeJSON(IntakeRequest.self, context: context)
        let draft = try draft(from: body, by: principal, key: key)
        if body.solvedOnSpot != nil, !CasePolicy.roles(for: .solveOnSpot).contains(principal.post.role) {
            throw APIError(.forbidden, code: .forbidden, "a \(principal.post.role.rawValue) may not solve a case on the spot", field: "solvedOnSpot")
        }
        let intake = try await services.intake.submit(draft)
        var record = intake.record
        if let resolution = body.solvedOnSpot, !intake.isReplay {
            let post = principal.post
            let now = services.clock.now
            let planner = services.planner
            let category = draft.category
            record = try await services.cases.perform(caseID: record.id, expectedVersion: record.file.version, by: principal, at: now) { file in
                planner.plan(
                    try CaseWorkflow.decide(.solveOnSpot, on: file, input: CaseActionInput(note: resolution), by: post, context: CaseActionContext(now: now)),
                    category: category, now: now)
            }
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .location: "/api/v1/cases/\(record.id)"]
        if intake.isReplay { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(
            status: intake.isReplay ? .ok : .created, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: view(record, for: principal.post, detail: false).json)))
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw APIError(.badRequest, code: .invalid, "Idempotency-Key must be 1–200 visible ASCII characters", field: "Idempotency-Key")
        }
        return key
    }

    /// Validates and routes an intake request into a draft; every refusal names its field.
    func draft(from body: IntakeRequest, by principal: Principal, key: String?) throws -> CaseDraft {
        let post = principal.post
        let allowed = Self.channels(for: post.role)
        guard !allowed.isEmpty else {
            throw APIError(.forbidden, code: .forbidden, "a \(post.role.rawValue) does not report cases")
        }
        let channel: Channel
        if let name = body.channel {
            guard let chosen = Channel(rawValue: name), allowed.contains(chosen) else {
                throw DomainError.invalid(field: "channel", "a \(post.role.rawValue) reports through: \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            channel = chosen
        } else {
            channel = allowed[0]
        }
        let title = body.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw DomainError.invalid(field: "title", "title must be 1–200 characters") }
        let description = (body.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard description.count <= 5_000 else { throw DomainError.invalid(field: "description", "description is at most 5,000 characters") }
        if let address = body.address, address.count > 500 { throw DomainError.invalid(field: "address", "address is at most 500 characters") }

        let directory = services.directory
        let category: OneGridDomain.Category
        if let code = body.categoryCode {
            guard let found = directory.category(code: code) else { throw DomainError.notFound("category \(code)", field: "categoryCode") }
            category = found
        } else if let id = body.categoryID {
            guard let found = directory.categories[id] else { throw DomainError.notFound("category \(id)", field: "categoryID") }
            category = found
        } else {
            throw DomainError.invalid(field: "categoryCode", "a case needs a categoryCode (or categoryID); GET /api/v1/categories lists them")
        }
        let areas = try directory.locate(point: body.location, gridID: body.gridID)
        // A post reports within its own area; only citizens report anywhere.
        if post.role != .citizen, areas[post.areaLevel] != post.areaID {
            throw DomainError.invalid(field: body.location != nil ? "location" : "gridID", "the place lies outside the area of this \(post.role.rawValue) post")
        }

        var reporter = Reporter(name: body.reporter?.name, phone: body.reporter?.phone, idNumber: body.reporter?.idNumber)
        if post.role == .citizen {
            reporter = Reporter(name: principal.user.displayName, phone: principal.user.phone, idNumber: nil, userID: principal.user.id)
        }
        if let name = reporter.name, name.count > 100 { throw DomainError.invalid(field: "reporter.name", "a name is at most 100 characters") }
        if let phone = reporter.phone, post.role != .citizen { try PersonalData.validatePhone(phone, field: "reporter.phone") }
        if let number = reporter.idNumber { try PersonalData.validateIDNumber(number, field: "reporter.idNumber") }

        let now = services.clock.now
        let routing = CaseRouting.route(areas: areas, category: category, department: directory.department(kind:areaID:))
        let clock = services.planner.acceptanceClock(category: category, now: now)
        return CaseDraft(
            category: category, channel: channel, title: title, description: description, address: body.address,
            location: body.location, routing: routing, reporter: reporter, createdBy: principal, createdAt: now,
            dueAt: clock.dueAt, idempotencyKey: key, clock: clock, nextAlertAt: clock.yellowAt)
    }
}
