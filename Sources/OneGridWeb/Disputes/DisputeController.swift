import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The mediation API: a dispute case's file, its steps, the reveal of a party's personal data,
/// the bodies that may take it and the mediator's desk, each a thin shell over `Mediation`.
struct DisputeController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.disputeDesk, use: desk)
        api.on(.disputeDetail, use: show)
        api.on(.disputeRegister, use: registerDispute)
        api.on(.disputeSteps, use: step)
        api.on(.disputeReveal, use: reveal)
        api.on(.disputeBodies, use: bodies)
    }

    var mediation: Mediation { services.mediationSteps }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> DisputeJSON {
        DisputeJSON(try await mediation.file(of: try context.pathID(), for: context.principal))
    }

    @Sendable func registerDispute(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.pathID()
        var request = request
        let form = try await request.decodeJSON(DisputeForm.self, context: context)
        let file = try await mediation.register(form, on: id, by: context.principal)
        var response = try DisputeJSON(file).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func step(_ request: Request, context: SignedInContext) async throws -> DisputeJSON {
        let id = try context.pathID()
        var request = request
        let body = try await request.decodeJSON(ActionRequest<MediationInput>.self, context: context)
        return DisputeJSON(try await mediation.take(body.action, on: id, input: body.input, expectedVersion: body.version, by: context.principal))
    }

    struct RevealRequest: Decodable {
        var party: Int
        var field: String
    }

    struct RevealJSON: ResponseEncodable {
        var caseID: Int64
        var party: Int
        var field: String
        var value: String?
    }

    /// One party's phone or ID number unmasked, recorded among the case's disclosures.
    @Sendable func reveal(_ request: Request, context: SignedInContext) async throws -> RevealJSON {
        let id = try context.pathID()
        var request = request
        let body = try await request.decodeJSON(RevealRequest.self, context: context)
        let field = try CaseController.personalField(body.field)
        let value = try await mediation.reveal(field, ofParty: body.party, in: id, by: context.principal)
        return RevealJSON(caseID: id, party: body.party, field: field.rawValue, value: value)
    }

    struct BodyList: ResponseEncodable {
        var bodies: [DisputeJSON.BodyJSON]
    }

    @Sendable func bodies(_ request: Request, context: SignedInContext) async throws -> BodyList {
        BodyList(bodies: try await mediation.bodies(for: try context.pathID(), by: context.principal).map(DisputeJSON.BodyJSON.init))
    }

    struct DeskJSON: ResponseEncodable {
        struct SessionRow: Codable {
            var caseID: Int64
            var session: Dispute.Session
        }

        struct FollowUpRow: Codable {
            var caseID: Int64
            var due: Date
        }

        var bodies: [DisputeJSON.BodyJSON]
        var disputes: [DisputeJSON]
        var sessionsThisWeek: [SessionRow]
        var followUpsDue: [FollowUpRow]
    }

    @Sendable func desk(_ request: Request, context: SignedInContext) async throws -> DeskJSON {
        let desk = try await mediation.desk(for: context.principal)
        return DeskJSON(
            bodies: desk.bodies.map(DisputeJSON.BodyJSON.init), disputes: desk.disputes.map { DisputeJSON($0) },
            sessionsThisWeek: desk.sessionsThisWeek.map { DeskJSON.SessionRow(caseID: $0.caseID, session: $0.session) },
            followUpsDue: desk.followUpsDue.map { DeskJSON.FollowUpRow(caseID: $0.caseID, due: $0.due) })
    }
}
