import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The screening API: rounds recorded and listed with what is overdue, a risk found opened as a
/// dispute case, and the administrator's cadence; each a thin shell over `ScreeningRounds`.
struct ScreeningController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.screeningRounds, use: list)
        api.on(.screeningRoundRecord, use: record)
        api.on(.screeningRound, use: show)
        api.on(.screeningRoundDispute, use: openDispute)
        api.on(.screeningCadence, use: cadence)
        api.on(.screeningCadenceReplace, use: replaceCadence)
    }

    var screening: ScreeningRounds { services.screening }

    struct RoundJSON: ResponseCodable {
        struct FindingJSON: Codable {
            var number: Int
            var text: String
            var caseID: Int64?
        }

        var id: Int64
        var area: AreaJSON?
        var level: AdminLevel
        var doneAt: Date
        var userID: Int64
        var checked: String
        var findings: [FindingJSON]

        init(_ round: ScreeningRound, directory: Directory) {
            id = round.id
            area = directory.areas[round.areaID].map(AreaJSON.init)
            level = round.level
            doneAt = round.doneAt
            userID = round.userID
            checked = round.checked
            findings = round.findings.map { FindingJSON(number: $0.number, text: $0.text, caseID: $0.caseID) }
        }
    }

    struct DueJSON: Codable {
        var area: AreaJSON
        var lastDoneAt: Date?
        var dueAt: Date?
        var colour: ClockColour
    }

    struct CadenceJSON: ResponseCodable {
        var gridDays: Int?
        var villageDays: Int?
        var townDays: Int?
        var cityDays: Int?

        init(_ cadence: ScreeningCadence) {
            (gridDays, villageDays, townDays, cityDays) = (cadence.gridDays, cadence.villageDays, cadence.townDays, cadence.cityDays)
        }
    }

    struct ListJSON: ResponseEncodable {
        var area: AreaJSON
        var cadence: CadenceJSON
        var rounds: [RoundJSON]
        /// Every area under it that keeps rounds, most overdue first.
        var due: [DueJSON]
        var overdue: Int
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> ListJSON {
        let areaID = try request.uri.queryParameters.get("area").map { text in
            guard let id = Int64(text), id > 0 else {
                throw APIError(.badRequest, code: .invalid, "area must be an area id, not '\(text)'", field: "area")
            }
            return id
        }
        let overview = try await screening.overview(for: context.principal, areaID: areaID)
        let directory = services.directory
        return ListJSON(
            area: AreaJSON(overview.area), cadence: CadenceJSON(overview.cadence),
            rounds: overview.rounds.map { RoundJSON($0, directory: directory) },
            due: overview.due.map { DueJSON(area: AreaJSON($0.area), lastDoneAt: $0.lastDoneAt, dueAt: $0.dueAt, colour: $0.colour) },
            overdue: overview.overdue.count)
    }

    @Sendable func record(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let form = try await request.decodeJSON(ScreeningRoundForm.self, context: context)
        let round = try await screening.record(form, by: context.principal)
        var response = try RoundJSON(round, directory: services.directory).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> RoundJSON {
        RoundJSON(try await screening.round(try context.pathID("screening round"), for: context.principal), directory: services.directory)
    }

    struct DisputeRequestJSON: Decodable {
        var finding: Int?
        var categoryCode: String?
        var gridID: Int64?
        var dispute: DisputeForm?
    }

    /// Opens a risk found as a dispute case with its mediation file, answered as the dispute.
    @Sendable func openDispute(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.pathID("screening round")
        var request = request
        let body = try await request.decodeJSON(DisputeRequestJSON.self, context: context)
        guard let finding = body.finding else {
            throw APIError(.badRequest, code: .invalid, "expected finding, the number of the risk found", field: "finding")
        }
        guard let dispute = body.dispute else {
            throw APIError(.badRequest, code: .invalid, "expected dispute, the dispute's form", field: "dispute")
        }
        let file = try await screening.openDispute(
            .init(categoryCode: body.categoryCode, gridID: body.gridID, dispute: dispute), from: id, finding: finding, by: context.principal)
        var response = try DisputeJSON(file).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func cadence(_ request: Request, context: SignedInContext) async throws -> CadenceJSON {
        CadenceJSON(try await screening.cadence())
    }

    @Sendable func replaceCadence(_ request: Request, context: SignedInContext) async throws -> CadenceJSON {
        var request = request
        let form = try await request.decodeJSON(CadenceJSON.self, context: context)
        return CadenceJSON(
            try await screening.setCadence(
                gridDays: form.gridDays, villageDays: form.villageDays, townDays: form.townDays, cityDays: form.cityDays, by: context.principal))
    }
}
