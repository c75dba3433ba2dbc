import Foundation
import Logging
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import Testing

/// A token signed out or revoked, or a user disabled, stops working on every server at once,
/// although each server keeps recently seen tokens in a cache.
@Suite struct SessionRevocationTests {
    /// Whether `token` stops being honoured by `server` within `seconds`.
    static func refused(_ token: String, by server: OneGridServices, within seconds: Double) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await server.authenticator.principal(for: token) == nil { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Two servers on one database, as two `onegrid serve` processes sharing PostgreSQL; on
    /// SQLite, which one server serves, that server alone.
    @Test(arguments: TestDatabases.kinds)
    func aRevocationReachesEveryServerAtOnce(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let a = city.services
            let b = try await OneGridServices(database: city.database, logger: Logger(label: "b"))
            let servers = kind == .postgres ? [a, b] : [a]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for server in servers { group.addTask { try await server.authenticator.run(logger: server.logger) } }
                // Listening has begun by then: a notification sent before it would not be heard.
                if kind == .postgres { try await Task.sleep(for: .milliseconds(500)) }

                let signedOut = try await a.sessions.signIn(username: "village1", password: DemoCity.password, postID: nil)
                let disabled = try await a.sessions.signIn(username: "town1", password: DemoCity.password, postID: nil)
                // Every server has both in its cache.
                for server in servers {
                    #expect(try await server.authenticator.principal(for: signedOut.token) != nil)
                    #expect(try await server.authenticator.principal(for: disabled.token) != nil)
                }
                try await a.sessions.signOut(token: signedOut.token)
                try await a.administrationUsers.setDisabled(userID: disabled.principal.user.id, true, by: try await city.principal("admin"))
                // "At once" is the time a notification takes; the cache would have kept them 30 s.
                for server in servers {
                    #expect(try await Self.refused(signedOut.token, by: server, within: 5))
                    #expect(try await Self.refused(disabled.token, by: server, within: 5))
                }
                group.cancelAll()
            }
        }
    }
}
