import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The grid's base data and visits under `/api/v1` (一口采集、多口使用): the residents a post may
/// see, masked, one person's file, a recorded reveal; the visits due this week and a visit logged,
/// made a case when asked. A thin shell over `GridBaseData` and `Visits`, which the pages use too,
/// so a department's system reads exactly what its staff read on the pages.
struct BaseDataController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.residents, use: residents)
        api.on(.resident, use: resident)
        api.on(.residentReveal, use: reveal)
        api.on(.visitsDue, use: due)
        api.on(.visitLog, use: log)
    }

    // MARK: Residents

    struct ResidentsJSON: ResponseEncodable {
        var residents: [Resident]
        /// The `after` for the next page, when this one was full.
        var next: Int64?
    }

    /// A grid's people, a household's, or a search by name or ID number, in id order, a page at a time.
    @Sendable func residents(_ request: Request, context: SignedInContext) async throws -> ResidentsJSON {
        let parameters = request.uri.queryParameters
        func positive(_ name: String, _ expected: String) throws -> Int64? {
            try parameters.get(name).map { text in
                guard let value = Int64(text), value > 0 else { throw APIError(.badRequest, code: .invalid, "\(name) must be \(expected)", field: name) }
                return value
            }
        }
        let limit = try positive("limit", "1–1000").map { value in
            guard value <= 1_000 else { throw APIError(.badRequest, code: .invalid, "limit must be 1–1000", field: "limit") }
            return Int(value)
        } ?? 50
        let text = parameters.get("q").map { $0.trimmingCharacters(in: .whitespaces) }
        if let text, text.count > 50 { throw APIError(.badRequest, code: .invalid, "q must be at most 50 characters", field: "q") }
        let found = try await services.gridBaseData.residents(
            gridID: try positive("grid", "a grid's id"), householdID: try positive("household", "a household's id"),
            text: text?.isEmpty == false ? text : nil, after: try positive("after", "a resident's id"), limit: limit,
            for: context.principal.post)
        return ResidentsJSON(residents: found, next: found.count == limit ? found.last?.id : nil)
    }

    struct PersonJSON: ResponseEncodable {
        struct CaseLine: Encodable {
            var id: Int64
            var number: String
            var title: String
            var status: CaseStatus
            var reportedAt: Date
        }
        var resident: Resident
        var household: Household
        var members: [Resident]
        var cases: [CaseLine]
        var visits: [VisitJSON]
    }

    /// One person's file: them and their household masked, its people, the cases about them and
    /// the household's visits.
    @Sendable func resident(_ request: Request, context: SignedInContext) async throws -> PersonJSON {
        let file = try await services.gridBaseData.personFile(try context.pathID("resident"), for: context.principal.post)
        var household = file.household
        household.phone = household.phone.map(PersonalData.maskPhone)
        return PersonJSON(
            resident: file.resident, household: household, members: file.members,
            cases: file.cases.map { record in
                .init(
                    id: record.id, number: CaseJSON.number(of: record, calendar: services.calendar), title: record.title,
                    status: record.file.status, reportedAt: record.createdAt)
            },
            visits: file.visits.map(VisitJSON.init))
    }

    struct RevealRequest: Decodable {
        var field: String
        var purpose: String?
    }

    struct RevealJSON: ResponseEncodable {
        var residentID: Int64
        var field: String
        var value: String?
    }

    /// A resident's phone or ID number unmasked, for a post that needs it, with the purpose
    /// recorded on the administrators' log.
    @Sendable func reveal(_ request: Request, context: SignedInContext) async throws -> RevealJSON {
        let id = try context.pathID("resident")
        var request = request
        let body = try await request.decodeJSON(RevealRequest.self, context: context)
        let field = try CaseController.personalField(body.field)
        let value = try await services.gridBaseData.reveal(field, ofResident: id, purpose: body.purpose, by: context.principal)
        return RevealJSON(residentID: id, field: field.rawValue, value: value)
    }

    // MARK: Visits

    struct DueJSON: ResponseEncodable {
        struct Line: Encodable {
            var subject: BaseSubject
            var subjectID: Int64
            var gridID: Int64
            var label: String
            var dueAt: Date
            var lastVisitAt: Date?
            var overdue: Bool
        }
        var due: [Line]
    }

    /// What the grid worker should visit by the end of this week, the overdue first.
    @Sendable func due(_ request: Request, context: SignedInContext) async throws -> DueJSON {
        let now = services.clock.now
        let calendar = services.calendar.civil
        return DueJSON(
            due: try await services.visits.dueThisWeek(for: context.principal.post).map { item in
                .init(
                    subject: item.subject.subject, subjectID: item.subject.id, gridID: item.gridID, label: item.label, dueAt: item.dueAt,
                    lastVisitAt: item.lastVisitAt, overdue: VisitSchedule.isOverdue(item.dueAt, at: now, calendar: calendar))
            })
    }

    struct VisitRequest: Decodable {
        struct CaseRequest: Decodable {
            var title: String
            var categoryCode: String?
            var categoryID: Int64?
        }
        var subject: String
        var subjectID: Int64
        var visitedAt: Date?
        var location: GeoPoint?
        var whom: String
        var findings: String
        var evidence: [String]?
        /// What was found, made a case in the same call.
        var `case`: CaseRequest?
    }

    struct VisitJSON: Encodable {
        var id: Int64
        var subject: BaseSubject
        var subjectID: Int64
        var areas: AreaPath
        var visitedAt: Date
        var location: GeoPoint?
        var position: Visit.Position
        var whom: String
        var findings: String
        var evidence: [String]
        var caseID: Int64?

        init(_ visit: Visit) {
            id = visit.id
            subject = visit.subject.subject
            subjectID = visit.subject.id
            areas = visit.areas
            visitedAt = visit.visitedAt
            location = visit.location
            position = visit.position
            whom = visit.whom
            findings = visit.findings
            evidence = visit.evidence
            caseID = visit.caseID
        }
    }

    struct LoggedJSON: ResponseEncodable {
        struct CaseLine: Encodable {
            var id: Int64
            var number: String
        }
        var visit: VisitJSON
        var `case`: CaseLine?
    }

    /// Logs a visit, idempotent on the Idempotency-Key (a phone's outbox), and makes what was
    /// found a case when `case` is given; sent again, the same visit and the same case.
    @Sendable func log(_ request: Request, context: SignedInContext) async throws -> EditedResponse<LoggedJSON> {
        var request = request
        let body = try await request.decodeJSON(VisitRequest.self, context: context)
        let logged = try await services.visits.log(
            Visits.Form(
                subject: body.subject, subjectID: body.subjectID, visitedAt: body.visitedAt, location: body.location, whom: body.whom,
                findings: body.findings, evidence: body.evidence),
            reporting: body.case.map { IntakeForm(title: $0.title, categoryCode: $0.categoryCode, categoryID: $0.categoryID) },
            by: context.principal, idempotencyKey: try CaseController.idempotencyKey(request))
        let made = logged.intake.map { LoggedJSON.CaseLine(id: $0.record.id, number: CaseJSON.number(of: $0.record, calendar: services.calendar)) }
        return EditedResponse(status: .created, response: LoggedJSON(visit: VisitJSON(logged.visit), case: made))
    }
}
