public import Foundation
public import OneGridDomain
public import OneGridStore

/// Mediation's and the petitions' figures of an area over a period beside the same months a year
/// before (DOMAIN.md §6): what the command room shows under the cases' figures and
/// `/api/v1/figures/procedures` answers.
public struct ProcedureFiguresOverview: Sendable {
    public var area: Area
    public var from: FigureMonth
    public var to: FigureMonth
    public var mediation: MediationFigures
    public var mediationLastYear: MediationFigures
    public var petitions: PetitionFigures
    public var petitionsLastYear: PetitionFigures
    /// The bodies the groups name, by id.
    public var bodies: [Int64: MediationBody]
}

extension Figures {
    /// The procedures' figures of `areaID` (the post's own when nil) over the months `from`
    /// through `to` (this month alone when both are nil), with the same checks as `overview`.
    public func procedures(for post: Post, areaID: Int64?, from: FigureMonth?, to: FigureMonth?) async throws -> ProcedureFiguresOverview {
        let current = FigureMonth(services.clock.now, in: FigureMonth.cityTimeZone)
        let (area, first, last) = try scope(for: post, areaID: areaID, from: from, to: to, current: current)
        let store = SQLProcedureFigureStore(database: services.database)
        func bounds(_ first: FigureMonth, _ last: FigureMonth) -> (Date, Date) {
            (Self.start(of: first), Self.start(of: last.adding(months: 1)))
        }
        let (start, end) = bounds(first, last)
        let (startBefore, endBefore) = bounds(first.yearBefore, last.yearBefore)
        let mediation = try await store.mediation(in: area, from: start, until: end)
        let bodyIDs = Set(mediation.groups.compactMap(\.bodyID))
        var bodies: [Int64: MediationBody] = [:]
        for id in bodyIDs { bodies[id] = try await services.mediation.body(id: id) }
        return ProcedureFiguresOverview(
            area: area, from: first, to: last, mediation: mediation,
            mediationLastYear: try await store.mediation(in: area, from: startBefore, until: endBefore),
            petitions: try await store.petitions(in: area, from: start, until: end),
            petitionsLastYear: try await store.petitions(in: area, from: startBefore, until: endBefore), bodies: bodies)
    }

    /// The first moment of `month` in the city.
    static func start(of month: FigureMonth) -> Date {
        calendar.date(from: DateComponents(year: month.year, month: month.month, day: 1)) ?? .distantPast
    }
}

extension MediationFigures {
    /// Accepted, concluded and agreed summed over the groups sharing a key.
    public struct Sum: Sendable, Hashable {
        public var accepted = 0
        public var concluded = 0
        public var agreed = 0

        public init(accepted: Int = 0, concluded: Int = 0, agreed: Int = 0) {
            (self.accepted, self.concluded, self.agreed) = (accepted, concluded, agreed)
        }

        /// Disputes agreed / disputes concluded (调处成功率), nil before any concluded.
        public var successRate: Double? { FigureTotals.rate(agreed, concluded) }
    }

    public func sums<Key: Hashable>(by key: (Group) -> Key) -> [Key: Sum] {
        groups.reduce(into: [:]) { sums, group in
            sums[key(group), default: Sum()].accepted += group.accepted
            sums[key(group), default: Sum()].concluded += group.concluded
            sums[key(group), default: Sum()].agreed += group.agreed
        }
    }

    public var total: Sum { sums { _ in 0 }[0] ?? Sum() }
}

extension PetitionFigures {
    public var received: Int { groups.reduce(0) { $0 + $1.received } }
    public var collective: Int { groups.reduce(0) { $0 + $1.collective } }
    public var repeats: Int { groups.reduce(0) { $0 + $1.repeats } }
    public var crossLevel: Int { groups.reduce(0) { $0 + $1.crossLevel } }
    /// Replies given in time / replies given (按期答复率).
    public var inTimeRate: Double? { FigureTotals.rate(repliesInTime, replies) }

    public func received<Key: Hashable>(by key: (Group) -> Key) -> [Key: Int] {
        groups.reduce(into: [:]) { $0[key($1), default: 0] += $1.received }
    }
}
