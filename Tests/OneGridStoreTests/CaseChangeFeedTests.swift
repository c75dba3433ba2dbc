import Foundation
import Logging
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// Live updates: a step taken through one server reaches the subscribers of every server on the
/// same database within a second.
@Suite struct CaseChangeFeedTests {
    /// The first batch of changes on `stream` within `seconds`, or nil.
    static func next(_ stream: AsyncStream<[CaseChange]>, within seconds: Double) async -> [CaseChange]? {
        await withTaskGroup(of: [CaseChange]?.self) { group in
            group.addTask {
                for await batch in stream { return batch }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Reports a case as the grid worker and accepts it as the village, through the use cases.
    static func reportAndAccept(on services: OneGridServices, city: TinyCity) async throws -> CaseRecord {
        let intake = try await services.intake.report(
            IntakeForm(title: "路灯不亮", description: "村口路灯不亮", categoryCode: "service.streetlight", location: city.point(inGrid: 1)),
            by: try await city.principal("gridworker1"), idempotencyKey: nil)
        return try await services.steps.take(
            .accept, on: intake.record.id, input: CaseActionInput(), expectedVersion: nil, by: try await city.principal("village1"))
    }

    /// Two servers on one database, as two `onegrid serve` processes (each its own services and,
    /// on PostgreSQL, its own listening connection): what one does, both servers' subscribers hear
    /// (within a second on an idle machine). On SQLite, which one server serves, the server's own hear it.
    @Test(arguments: TestDatabases.kinds)
    func aStepReachesEveryServersSubscribers(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let a = city.services
            let b = try await OneGridServices(database: city.database, logger: Logger(label: "b"))
            let servers = kind == .postgres ? [a, b] : [a]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for server in servers {
                    group.addTask { try await server.changes.listen(logger: server.logger) }
                    group.addTask { await server.changes.sendAnnouncements(logger: server.logger) }
                }
                let streams = servers.map { $0.changes.subscribe() }
                // Listening has begun by then: a notification sent before it would not be heard.
                if kind == .postgres { try await Task.sleep(for: .milliseconds(500)) }
                let record = try await Self.reportAndAccept(on: a, city: city)
                // From the acceptance's commit to the last subscriber hearing of it.
                let started = ContinuousClock.now
                for (index, stream) in streams.enumerated() {
                    var heard: [CaseChange] = []
                    while heard.count < 2, let batch = await Self.next(stream, within: 10) { heard += batch }
                    #expect(heard == [CaseChange(record), CaseChange(record)], "server \(index) hears the report and the acceptance")
                }
                // The one-second target is the benchmark's to measure; here a loaded machine
                // must not fail a delivery that arrives, only one that never does.
                #expect(ContinuousClock.now - started < .seconds(10))
                if kind == .postgres {
                    // And the other way round.
                    let back = try await Self.reportAndAccept(on: b, city: city)
                    let batch = await Self.next(streams[0], within: 10)
                    #expect(batch?.contains(CaseChange(back)) == true, "a hears of b's case")
                }
                group.cancelAll()
            }
        }
    }
}
