public import Foundation
public import OneGridDomain
import SQLKit

/// One grid worker's visits in a period.
public struct WorkerVisits: Sendable, Hashable {
    public var visits = 0
    /// Distinct households visited.
    public var households = 0

    public init(visits: Int = 0, households: Int = 0) {
        self.visits = visits
        self.households = households
    }
}

/// What grid workers' figures count from the visit log and the households (issue 13, DOMAIN.md
/// §6 "visits and reports per grid worker"): grouped in SQL by grid and worker.
public protocol GridWorkFigureStore: Sendable {
    /// Visits made from `start` until `end` in the grids, per grid and, within it, per worker; a
    /// grid's own entry (worker 0) counts every visit and household of the grid once.
    func visits(inGrids gridIDs: [Int64], from start: Date, until end: Date) async throws -> [Int64: [Int64: WorkerVisits]]
    /// The households registered per grid.
    func households(inGrids gridIDs: [Int64]) async throws -> [Int64: Int]
}

public struct SQLGridWorkFigureStore: GridWorkFigureStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    public func visits(inGrids gridIDs: [Int64], from start: Date, until end: Date) async throws -> [Int64: [Int64: WorkerVisits]] {
        var result: [Int64: [Int64: WorkerVisits]] = [:]
        for chunk in gridIDs.chunked(into: SQLBaseDataStore.chunk) {
            // The grid's own line is counted apart: distinct households are not a sum of its workers'.
            for byWorker in [true, false] {
                let worker: SQLQueryString = byWorker ? "user_id" : "0"
                var query: SQLQueryString = """
                    SELECT grid_id, \(worker) AS worker, COUNT(*) AS visits, \
                    COUNT(DISTINCT CASE WHEN subject = 'household' THEN subject_id END) AS households \
                    FROM visits WHERE grid_id IN (\(binds: Array(chunk))) AND visited_at >= \(bind: start.millisecondsSince1970) \
                    AND visited_at < \(bind: end.millisecondsSince1970) GROUP BY grid_id
                    """
                if byWorker { query += ", user_id" }
                for row in try await database.reportReader.raw(query).all() {
                    let grid = try row.decode(column: "grid_id", as: Int64.self)
                    result[grid, default: [:]][try row.decode(column: "worker", as: Int64.self)] = WorkerVisits(
                        visits: try row.decode(column: "visits", as: Int.self), households: try row.decode(column: "households", as: Int.self))
                }
            }
        }
        return result
    }

    public func households(inGrids gridIDs: [Int64]) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for chunk in gridIDs.chunked(into: SQLBaseDataStore.chunk) {
            let rows = try await database.reportReader.select().column("grid_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("households").where("grid_id", .in, Array(chunk)).groupBy("grid_id").all()
            for row in rows { counts[try row.decode(column: "grid_id", as: Int64.self)] = try row.decode(column: "n", as: Int.self) }
        }
        return counts
    }
}
