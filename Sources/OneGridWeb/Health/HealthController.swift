import Foundation
import Hummingbird
import OneGridStore

/// What a load balancer or service manager asks: `/health/live` (and its older name `/health`)
/// whether the process answers at all, from the process alone; `/health/ready` whether it can
/// serve, by asking the database a trivial question and whether its schema is this version's.
/// Both sit outside every audience's authentication, so they never touch the token store and
/// ignore any token sent.
struct HealthController {
    let database: OneGridDatabase
    /// How long readiness waits for the database: a probe that hangs is no answer.
    var timeLimit: Duration = .seconds(3)

    func register(on router: Router<OneGridRequestContext>) {
        router.on("/health", method: .get) { _, _ in Self.json(.ok, Status(status: "live")) }
        router.on("/health/live", method: .get) { _, _ in Self.json(.ok, Status(status: "live")) }
        router.on("/health/ready", method: .get) { _, _ in
            let status = await readiness()
            return Self.json(status.failed == nil ? .ok : .serviceUnavailable, status)
        }
    }

    struct Status: Encodable {
        var status: String
        /// Which check failed: `database` or `migrations`.
        var failed: String?
        var message: String?
    }

    /// Ready, or which check failed and why.
    func readiness() async -> Status {
        do {
            try await withTimeLimit { try await database.ping() }
        } catch {
            let message =
                error is TimedOut || DatabaseFault(error) == .unavailable
                ? "the database cannot be reached" : "the database did not answer: \(String(String(describing: error).prefix(200)))"
            return Status(status: "unready", failed: "database", message: message)
        }
        do {
            let pending = try await withTimeLimit { try await Migrator().pending(database).map(\.name) }
            guard pending.isEmpty else {
                return Status(
                    status: "unready", failed: "migrations",
                    message: "migrations not applied: \(pending.joined(separator: ", ")); run onegrid migrate")
            }
        } catch {
            return Status(status: "unready", failed: "migrations", message: String(String(describing: error).prefix(300)))
        }
        return Status(status: "ready")
    }

    private struct TimedOut: Error {}

    /// `body`'s answer, or `TimedOut` after `timeLimit`. Not a task group, which would wait for a
    /// pool request that does not heed cancellation.
    private func withTimeLimit<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let (answers, answer) = AsyncStream.makeStream(of: Result<T, any Error>.self)
        let work = Task {
            do { answer.yield(.success(try await body())) } catch { answer.yield(.failure(error)) }
        }
        let timer = Task {
            try await Task.sleep(for: timeLimit)
            answer.yield(.failure(TimedOut()))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        for await result in answers { return try result.get() }
        throw CancellationError()
    }

    private static func json(_ status: HTTPResponse.Status, _ body: Status) -> Response {
        let data = (try? JSONEncoder.api.encode(body)) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
