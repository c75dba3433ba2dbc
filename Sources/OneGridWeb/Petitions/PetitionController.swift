import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Petitions (信访) under `/api/v1/petitions`: registration on a petition case with its repeat
/// candidates, the desk, one petition with its limits and log, its steps, repeat links, the
/// misses per unit and the limits in force. Each handler calls one use case of `Petitions`.
struct PetitionController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.petitionDesk, use: desk)
        api.on(.petitionRegister, use: registerPetition)
        api.on(.petitionMisses, use: misses)
        api.on(.petitionLimits, use: limits)
        api.on(.petitionLimitsReplace, use: replaceLimits)
        api.on(.petitionDetail, use: detail)
        api.on(.petitionStep, use: step)
        api.on(.petitionRepeats, use: repeats)
        api.on(.petitionRepeatLink, use: link)
    }

    // MARK: Bodies and answers

    struct Registration: Decodable {
        var caseID: Int64
        var form: String
        var petitionClass: String
        var headcount: Int
        var petitioners: [Petitioner]
        var matter: String
        var bodiesAddressed: [String]?
        var addressedLevel: String

        var domain: PetitionRegistration {
            PetitionRegistration(
                form: form, petitionClass: petitionClass, headcount: headcount, petitioners: petitioners, matter: matter,
                bodiesAddressed: bodiesAddressed ?? [], addressedLevel: addressedLevel)
        }
    }

    /// One step: its name and the fields that step needs.
    struct StepBody: Decodable {
        var step: String
        var version: Int?
        var to: String?
        var notice: String?
        var reason: String?
        var text: String?
        var extendBy: String?
        var approvedBy: String?
        var reviewingUnit: String?
        var legalRoute: String?

        static let names = ["route", "object", "accept", "notAccept", "extend", "reply", "requestReview", "guide"]

        func domain() throws(DomainError) -> PetitionStep {
            func required(_ value: String?, _ field: String) throws(DomainError) -> String {
                guard let value else { throw DomainError.invalid(field: field, "\(step) needs \(field)") }
                return value
            }
            switch step {
            case "route": return .route(to: try PetitionUnit(parsing: try required(to, "to"), field: "to"))
            case "object": return .object(reason: try required(reason, "reason"))
            case "accept": return .accept(notice: try required(notice, "notice"))
            case "notAccept": return .notAccept(reason: try required(reason, "reason"))
            case "extend":
                return .extend(
                    by: try TimeLimit(parsing: try required(extendBy, "extendBy"), field: "extendBy"),
                    approvedBy: try required(approvedBy, "approvedBy"), reason: try required(reason, "reason"))
            case "reply": return .reply(text: try required(text, "text"))
            case "requestReview":
                return .requestReview(
                    reason: try required(reason, "reason"),
                    reviewingUnit: try PetitionUnit(parsing: try required(reviewingUnit, "reviewingUnit"), field: "reviewingUnit"))
            case "guide":
                let name = try required(legalRoute, "legalRoute")
                guard let route = LegalRoute(rawValue: name) else {
                    throw DomainError.invalid(
                        field: "legalRoute", "expected one of \(LegalRoute.allCases.map(\.rawValue).joined(separator: ", ")), got '\(name)'")
                }
                return .guide(route: route, reason: try required(reason, "reason"))
            default:
                throw DomainError.invalid(field: "step", "expected one of \(Self.names.joined(separator: ", ")), got '\(step)'")
            }
        }
    }

    struct ClockJSON: Encodable {
        var limit: PetitionLimit
        var article: String
        var unit: PetitionUnit
        var startedAt: Date
        var dueAt: Date
        var colour: ClockColour

        init(_ clock: PetitionClock, now: Date) {
            limit = clock.limit
            article = clock.limit.article
            unit = clock.unit
            startedAt = clock.startedAt
            dueAt = clock.dueAt
            colour = clock.colour(at: now)
        }
    }

    struct PetitionJSON: ResponseEncodable {
        var petition: Petition
        var collective: Bool
        var clocks: [ClockJSON]
        var steps: [PetitionStepEntry]?

        init(_ view: Petitions.View, now: Date, withSteps: Bool) {
            petition = view.petition
            collective = view.petition.isCollective
            clocks = view.clocks.map { ClockJSON($0, now: now) }
            steps = withSteps ? view.steps : nil
        }
    }

    struct RegisteredJSON: ResponseEncodable {
        var petition: Petition
        var candidates: [PetitionRepeats.Candidate]
    }

    struct DeskJSON: ResponseEncodable {
        var petitions: [PetitionJSON]
    }

    struct CandidatesJSON: ResponseEncodable {
        var caseID: Int64
        var candidates: [PetitionRepeats.Candidate]
    }

    struct LinkBody: Decodable {
        var earlierCaseID: Int64
    }

    struct MissesJSON: ResponseEncodable {
        struct Count: Encodable {
            var unit: PetitionUnit
            var limit: PetitionLimit
            var article: String
            var count: Int
        }
        var counts: [Count]
    }

    struct LimitsJSON: ResponseCodable {
        var limits: PetitionLimits
    }

    // MARK: Handlers

    @Sendable func desk(_ request: Request, context: SignedInContext) async throws -> DeskJSON {
        let now = services.clock.now
        return DeskJSON(petitions: try await services.petitions.desk(for: context.principal).map { PetitionJSON($0, now: now, withSteps: false) })
    }

    @Sendable func registerPetition(_ request: Request, context: SignedInContext) async throws -> EditedResponse<RegisteredJSON> {
        var request = request
        let body = try await request.decodeJSON(Registration.self, context: context)
        let registered = try await services.petitions.register(body.domain, onCase: body.caseID, by: context.principal)
        return EditedResponse(status: .created, response: RegisteredJSON(petition: registered.petition, candidates: registered.candidates))
    }

    @Sendable func detail(_ request: Request, context: SignedInContext) async throws -> PetitionJSON {
        let view = try await services.petitions.view(ofCase: try context.pathID("petition"), for: context.principal)
        return PetitionJSON(view, now: services.clock.now, withSteps: true)
    }

    @Sendable func step(_ request: Request, context: SignedInContext) async throws -> PetitionJSON {
        let caseID = try context.pathID("petition")
        var request = request
        let body = try await request.decodeJSON(StepBody.self, context: context)
        _ = try await services.petitions.take(try body.domain(), onCase: caseID, expectedVersion: body.version, by: context.principal)
        return PetitionJSON(try await services.petitions.view(ofCase: caseID, for: context.principal), now: services.clock.now, withSteps: true)
    }

    @Sendable func repeats(_ request: Request, context: SignedInContext) async throws -> CandidatesJSON {
        let caseID = try context.pathID("petition")
        return CandidatesJSON(caseID: caseID, candidates: try await services.petitions.candidates(ofCase: caseID, for: context.principal))
    }

    @Sendable func link(_ request: Request, context: SignedInContext) async throws -> PetitionJSON {
        let caseID = try context.pathID("petition")
        var request = request
        let body = try await request.decodeJSON(LinkBody.self, context: context)
        _ = try await services.petitions.confirmRepeat(caseID: caseID, earlierCaseID: body.earlierCaseID, by: context.principal)
        return PetitionJSON(try await services.petitions.view(ofCase: caseID, for: context.principal), now: services.clock.now, withSteps: true)
    }

    @Sendable func misses(_ request: Request, context: SignedInContext) async throws -> MissesJSON {
        MissesJSON(counts: try await services.petitions.missCounts(for: context.principal).map {
            .init(unit: $0.unit, limit: $0.limit, article: $0.limit.article, count: $0.count)
        })
    }

    @Sendable func limits(_ request: Request, context: SignedInContext) async throws -> LimitsJSON {
        LimitsJSON(limits: try await services.petitions.limits())
    }

    @Sendable func replaceLimits(_ request: Request, context: SignedInContext) async throws -> LimitsJSON {
        var request = request
        let body = try await request.decodeJSON(LimitsJSON.self, context: context)
        try await services.petitions.setLimits(body.limits, by: context.principal)
        return LimitsJSON(limits: try await services.petitions.limits())
    }
}
