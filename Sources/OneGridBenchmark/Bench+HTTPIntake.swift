import Foundation
import OneGridApplication
import OneGridDemo
import OneGridStore

extension Bench {
    /// The real server (`onegrid serve`, a child process) on a tiny demo city; wrk drives it. On
    /// SQLite the trivial endpoint is measured first, under the same wrk settings, as the baseline.
    func http(on postgresURL: String?) async throws {
        let label = postgresURL == nil ? "SQLite" : "PostgreSQL"
        try await withDatabase(postgresURL: postgresURL, what: "http") { location in
            // The agent signs in before the server starts; its session is stored, so the server
            // accepts its token.
            let agent = try await OneGridDatabase.using(location, logger: self.logger) { db in
                _ = try await DemoCity.build(into: db, size: .tiny, cases: 0)
                let services = try await OneGridServices(database: db, logger: self.logger)
                let simulator = try await IntakeSimulator.signIn("hotline", on: services)
                return (token: simulator.session.token, bodies: try simulator.requestBodies())
            }

            let server = try await ServerProcess.start(options.server, database: location)
            do {
                if postgresURL == nil {
                    say("trivial endpoint GET /health/live …")
                    let trivial = try await self.load(
                        server.url("/health/live"), server: server, script: WrkScripts.plain(), label: "GET /health/live",
                        connections: self.options.connections, threads: self.options.threads)
                    self.report.trivial = trivial
                }
                let token = agent.token
                // One report first: it must be accepted, or the load run would only count refusals.
                let probe = try await HTTP.send("POST", server.url("/api/v1/cases"), token: token, rawJSON: agent.bodies[0])
                guard probe.status == 201 else {
                    throw BenchError("a single intake answered \(probe.status): \(String(decoding: probe.body, as: UTF8.self).prefix(500)) \(server.logTail())")
                }
                say("intake POST /api/v1/cases on \(label) …")
                let script = WrkScripts.requests(
                    agent.bodies.map { body in
                        WrkScripts.Request(
                            method: "POST", path: "/api/v1/cases",
                            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: body)
                    })
                let intake = try await self.load(
                    server.url("/api/v1/cases"), server: server, script: script, label: "POST /api/v1/cases",
                    connections: self.options.connections, threads: self.options.threads)
                try await server.stop()

                // Every answered 2xx must be a stored case: count them after the server stopped.
                let check = try await OneGridDatabase.open(location, logger: self.logger)
                let stored = try await Self.count("cases", in: check)
                try await check.shutdown()
                let http = HTTPIntake(database: label, run: intake, storedCases: stored)
                if postgresURL == nil { self.report.intakeSQLite = http } else { self.report.intakePostgres = http }
                say("  stored \(stored) cases (warm-up and measured run together)")
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }

    /// A warm-up run (not kept), then the measured run.
    func load(
        _ url: String, server: ServerProcess, script: String, label: String, connections: Int, threads: Int,
        seconds: Int? = nil, warmup: Int? = nil
    ) async throws -> WrkRun {
        let warmup = warmup ?? options.warmup
        if warmup > 0 {
            _ = try await Wrk.run(url: url, script: script, seconds: warmup, connections: connections, threads: threads, label: label)
        }
        let before = CPU.sample(server: server.process.processIdentifier)
        var run = try await Wrk.run(
            url: url, script: script, seconds: seconds ?? options.seconds, connections: connections, threads: threads, label: label)
        run.cpu = CPU.sample(server: server.process.processIdentifier).since(before)
        say("  \(run.line)")
        return run
    }
}
