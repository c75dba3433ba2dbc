import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension FiguresController {
    /// The figures of one side of the comparison: this period or the same months a year before.
    struct ProceduresSideJSON: Codable, Sendable {
        struct Sum: Codable, Sendable {
            var key: String
            var name: String?
            var accepted: Int
            var concluded: Int
            var agreed: Int
            var successRate: Double?
        }

        struct Count: Codable, Sendable {
            var key: String
            var count: Int
        }

        struct Miss: Codable, Sendable {
            var unit: String
            var limit: PetitionLimit
            var count: Int
        }

        var disputes: Sum
        var disputesByBody: [Sum]
        var disputesByType: [Sum]
        var disputesByLevel: [Sum]
        var followUps: Int
        var carriedOut: Int
        var confirmationsApplied: Int
        var confirmed: Int
        var petitions: Int
        var petitionsByForm: [Count]
        var petitionsByClass: [Count]
        var collective: Int
        var repeats: Int
        var crossLevel: Int
        var replies: Int
        var repliesInTime: Int
        var inTimeRate: Double?
        var misses: [Miss]

        init(_ mediation: MediationFigures, _ petitions: PetitionFigures, bodies: [Int64: MediationBody]) {
            func sums<Key: Hashable>(_ by: (MediationFigures.Group) -> Key, key: (Key) -> String, name: (Key) -> String? = { _ in nil }) -> [Sum] {
                mediation.sums(by: by).map { Sum(key: key($0.key), name: name($0.key), $0.value) }.sorted { ($1.accepted, $0.key) < ($0.accepted, $1.key) }
            }
            disputes = Sum(key: "total", name: nil, mediation.total)
            disputesByBody = sums(\.bodyID, key: { $0.map(String.init) ?? "none" }, name: { $0.flatMap { bodies[$0]?.name } })
            disputesByType = sums(\.type, key: \.rawValue)
            disputesByLevel = sums(\.level, key: { $0?.rawValue ?? "none" })
            (followUps, carriedOut) = (mediation.followUps, mediation.carriedOut)
            (confirmationsApplied, confirmed) = (mediation.confirmationsApplied, mediation.confirmed)
            self.petitions = petitions.received
            func counts<Key: RawRepresentable & Hashable>(_ by: (PetitionFigures.Group) -> Key) -> [Count] where Key.RawValue == String {
                petitions.received(by: by).map { Count(key: $0.key.rawValue, count: $0.value) }.sorted { $0.key < $1.key }
            }
            petitionsByForm = counts(\.form)
            petitionsByClass = counts(\.petitionClass)
            (collective, repeats, crossLevel) = (petitions.collective, petitions.repeats, petitions.crossLevel)
            (replies, repliesInTime, inTimeRate) = (petitions.replies, petitions.repliesInTime, petitions.inTimeRate)
            misses = petitions.misses.map { Miss(unit: $0.unit.description, limit: $0.limit, count: $0.count) }
        }
    }

    struct ProceduresJSON: ResponseEncodable {
        var area: AreaJSON
        var from: String
        var to: String
        var period: ProceduresSideJSON
        var lastYear: ProceduresSideJSON
    }

    /// Mediation's and the petitions' figures of an area over whole months, with the same months
    /// a year before.
    @Sendable func procedures(_ request: Request, context: SignedInContext) async throws -> ProceduresJSON {
        let (areaID, from, to) = try Self.scope(request.uri.queryParameters)
        let figures = try await services.figures.procedures(for: context.principal.post, areaID: areaID, from: from, to: to)
        return ProceduresJSON(
            area: AreaJSON(figures.area), from: figures.from.description, to: figures.to.description,
            period: ProceduresSideJSON(figures.mediation, figures.petitions, bodies: figures.bodies),
            lastYear: ProceduresSideJSON(figures.mediationLastYear, figures.petitionsLastYear, bodies: figures.bodies))
    }
}

extension FiguresController.ProceduresSideJSON.Sum {
    init(key: String, name: String?, _ sum: MediationFigures.Sum) {
        self.init(key: key, name: name, accepted: sum.accepted, concluded: sum.concluded, agreed: sum.agreed, successRate: sum.successRate)
    }
}
