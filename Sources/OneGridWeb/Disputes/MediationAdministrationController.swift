import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// The administrator's API of people's mediation: the bodies of an area, setting one up, renaming,
/// retiring and staffing it, and the major-dispute thresholds, each a thin shell over
/// `AdministrationMediation`.
struct MediationAdministrationController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.mediationBodies, use: list)
        api.on(.mediationBodyCreate, use: create)
        api.on(.mediationBody, use: show)
        api.on(.mediationBodyRename, use: rename)
        api.on(.mediationBodyRetire, use: retire)
        api.on(.mediationBodyMemberAdd, use: addMember)
        api.on(.mediationBodyMemberRemove, use: removeMember)
        api.on(.majorDisputeRule, use: rule)
        api.on(.majorDisputeRuleReplace, use: replaceRule)
    }

    var administration: AdministrationMediation { services.administrationMediation }
    typealias BodyJSON = DisputeJSON.BodyJSON

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> DisputeController.BodyList {
        let areaID = try Self.query("areaID", of: request)
        return DisputeController.BodyList(bodies: try await administration.bodies(inArea: areaID, by: context.principal).map(BodyJSON.init))
    }

    struct CreateRequest: Decodable {
        var name: String
        var kind: String
        var areaID: Int64
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let form = try await request.decodeJSON(CreateRequest.self, context: context)
        let body = try await administration.create(name: form.name, kind: form.kind, areaID: form.areaID, by: context.principal)
        var response = try BodyJSON(body).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> BodyJSON {
        BodyJSON(try await administration.body(try context.pathID(), by: context.principal))
    }

    struct RenameRequest: Decodable {
        var name: String
    }

    @Sendable func rename(_ request: Request, context: SignedInContext) async throws -> BodyJSON {
        let id = try context.pathID()
        var request = request
        let form = try await request.decodeJSON(RenameRequest.self, context: context)
        return BodyJSON(try await administration.rename(id, to: form.name, by: context.principal))
    }

    @Sendable func retire(_ request: Request, context: SignedInContext) async throws -> BodyJSON {
        BodyJSON(try await administration.retire(try context.pathID(), by: context.principal))
    }

    struct MemberRequest: Decodable {
        var username: String
    }

    @Sendable func addMember(_ request: Request, context: SignedInContext) async throws -> BodyJSON {
        let id = try context.pathID()
        var request = request
        let form = try await request.decodeJSON(MemberRequest.self, context: context)
        return BodyJSON(try await administration.addMember(id, username: form.username, by: context.principal))
    }

    @Sendable func removeMember(_ request: Request, context: SignedInContext) async throws -> BodyJSON {
        let id = try context.pathID()
        return BodyJSON(try await administration.removeMember(id, userID: try Self.query("userID", of: request), by: context.principal))
    }

    /// The thresholds as sent and answered; the types in a stable order.
    struct RuleJSON: ResponseCodable {
        var amountYuan: Int64?
        var peopleInvolved: Int?
        var types: [String]
        var violenceRisk: Bool

        init(_ rule: MajorDisputeRule) {
            (amountYuan, peopleInvolved, violenceRisk) = (rule.amountYuan, rule.peopleInvolved, rule.violenceRisk)
            types = rule.types.map(\.rawValue).sorted()
        }
    }

    @Sendable func rule(_ request: Request, context: SignedInContext) async throws -> RuleJSON {
        RuleJSON(try await administration.majorDisputeRule(by: context.principal))
    }

    @Sendable func replaceRule(_ request: Request, context: SignedInContext) async throws -> RuleJSON {
        var request = request
        let form = try await request.decodeJSON(RuleJSON.self, context: context)
        let rule = try await administration.setMajorDisputeRule(
            AdministrationMediation.RuleForm(amountYuan: form.amountYuan, peopleInvolved: form.peopleInvolved, types: form.types, violenceRisk: form.violenceRisk),
            by: context.principal)
        return RuleJSON(rule)
    }

    /// A required positive id in the query, refused by its name otherwise.
    private static func query(_ name: String, of request: Request) throws -> Int64 {
        guard let value = request.uri.queryParameters.get(name).flatMap(Int64.init), value > 0 else {
            throw DomainError.invalid(field: name, "expected \(name), a positive whole number, in the query")
        }
        return value
    }
}
