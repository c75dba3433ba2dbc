import Foundation
public import OneGridDomain
public import OneGridStore

/// Grid workers' figures over a period (DOMAIN.md §6 "visits and reports per grid worker"):
/// per worker, grid and village.
public struct GridWorkFigures: Sendable {
    public struct Line: Sendable {
        /// The worker's grid, the grid, or the village.
        public var area: Area
        /// The worker, on a worker's line.
        public var worker: AssessedPerson?
        public var visits: Int
        /// Households, places and organisations due a visit by the period's end and not visited since.
        public var due: Int
        public var householdsVisited: Int
        public var households: Int
        /// Households visited / households.
        public var coverage: Double? { households > 0 ? Double(householdsVisited) / Double(households) : nil }
        /// Reports made and those not cancelled as invalid (有效上报).
        public var reports: IndicatorCount
        /// Passing verifications made on time (按时核查).
        public var verifiedOnTime: IndicatorCount
    }

    public var area: Area
    public var period: AssessmentPeriod
    public var workers: [Line]
    public var grids: [Line]
    public var villages: [Line]
}

extension Figures {
    /// Grid workers' figures in `areaID` (the post's area when nil): visits done and due,
    /// households covered, reports made and valid, verifications on time. Reports and
    /// verifications are the assessment's own counts, so both pages agree.
    public func gridWork(in areaID: Int64?, period: AssessmentPeriod, for post: Post) async throws -> GridWorkFigures {
        guard post.role != .citizen, post.role != .departmentHandler else {
            throw DomainError(.forbidden, "a \(post.role.rawValue) does not follow grid work")
        }
        let directory = services.directory
        let areaID = areaID ?? post.areaID
        guard let area = directory.areas[areaID], directory.covers(post, areaID: areaID) else {
            throw DomainError.notFound("area \(areaID) within the post's area", field: "area")
        }
        let grids = area.level == .grid ? [area] : Self.grids(of: area, in: directory).filter { $0.retiredAt == nil }
        let gridIDs = grids.map(\.id)
        let store = SQLGridWorkFigureStore(database: services.database)
        let (start, end) = period.interval
        let visits = try await store.visits(inGrids: gridIDs, from: start, until: end)
        let households = try await store.households(inGrids: gridIDs)
        let due = try await services.baseData.dueCounts(inGrids: gridIDs, before: end)
        let assessments = SQLAssessmentStore(database: services.database)
        let inGrids = Set(gridIDs)
        let workers = try await assessments.people(holding: .gridWorker).filter { inGrids.contains($0.areaID) }
        let source = AssessmentSource(period: period, settings: try await assessments.settings(), now: services.clock.now, closed: false)
        let counts = try await assessments.counts(.gridWorker, from: source, units: workers.map(\.userID))

        let none = IndicatorCount(0, of: 0)
        let workerLines = workers.compactMap { worker -> GridWorkFigures.Line? in
            guard let grid = directory.areas[worker.areaID] else { return nil }
            let own = visits[grid.id]?[worker.userID] ?? WorkerVisits()
            return GridWorkFigures.Line(
                area: grid, worker: worker, visits: own.visits, due: due[grid.id] ?? 0, householdsVisited: own.households,
                households: households[grid.id] ?? 0, reports: counts[worker.userID]?[.validReport] ?? none,
                verifiedOnTime: counts[worker.userID]?[.onTimeVerification] ?? none)
        }
        let gridLines = grids.map { grid in
            let mine = workerLines.filter { $0.area.id == grid.id }
            let all = visits[grid.id]?[0] ?? WorkerVisits()
            return GridWorkFigures.Line(
                area: grid, worker: nil, visits: all.visits, due: due[grid.id] ?? 0, householdsVisited: all.households,
                households: households[grid.id] ?? 0, reports: mine.reduce(none) { $0 + $1.reports },
                verifiedOnTime: mine.reduce(none) { $0 + $1.verifiedOnTime })
        }
        let villageLines = Dictionary(grouping: gridLines) { $0.area.parentID ?? 0 }.compactMap { villageID, lines -> GridWorkFigures.Line? in
            guard let village = directory.areas[villageID], village.level == .village else { return nil }
            return GridWorkFigures.Line(
                area: village, worker: nil, visits: lines.reduce(0) { $0 + $1.visits }, due: lines.reduce(0) { $0 + $1.due },
                householdsVisited: lines.reduce(0) { $0 + $1.householdsVisited }, households: lines.reduce(0) { $0 + $1.households },
                reports: lines.reduce(none) { $0 + $1.reports }, verifiedOnTime: lines.reduce(none) { $0 + $1.verifiedOnTime })
        }.sorted { $0.area.code < $1.area.code }
        return GridWorkFigures(area: area, period: period, workers: workerLines, grids: gridLines, villages: villageLines)
    }
}
