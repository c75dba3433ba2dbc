import Crypto
public import Foundation
public import Logging
public import OneGridStore
import Synchronization

/// Bearer tokens for people and integrations alike. Only a token's SHA-256 is stored; a short
/// in-memory cache spares the database a lookup on every request. A token signed out or revoked,
/// or a user disabled, leaves every server's cache at once: the server that did it drops its
/// own entries and tells the others sharing a PostgreSQL database (NOTIFY), whose `run` drops
/// theirs.
public final class TokenAuthenticator: Sendable {
    private struct Entry {
        var principal: Principal
        var cachedAt: Date
    }

    /// The PostgreSQL channel: "token:<hash>" or "user:<id>".
    static let channel = "onegrid_revocations"

    private let people: any PeopleStore
    private let database: OneGridDatabase
    private let clock: ServerClock
    private let cache = Mutex<[String: Entry]>([:])
    private let ttl: TimeInterval = 30

    init(people: any PeopleStore, database: OneGridDatabase, clock: ServerClock) {
        self.people = people
        self.database = database
        self.clock = clock
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexEncoded
    }

    /// A new random token: 32 bytes, hex.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexEncoded
    }

    public func principal(for token: String) async throws -> Principal? {
        let hash = Self.hash(token)
        let now = Date()
        if let entry = cache.withLock({ $0[hash] }), now.timeIntervalSince(entry.cachedAt) < ttl {
            return entry.principal
        }
        guard let principal = try await people.principal(tokenHash: hash, now: clock.now) else {
            cache.withLock { $0[hash] = nil }
            return nil
        }
        cache.withLock { cache in
            // Bounded: a flood of distinct tokens cannot grow the cache without limit.
            if cache.count > 50_000 { cache.removeAll() }
            cache[hash] = Entry(principal: principal, cachedAt: now)
        }
        return principal
    }

    /// Stops honouring a token signed out or revoked (already deleted from the store), here and
    /// on every other server.
    public func revoked(_ token: String) async throws {
        let hash = Self.hash(token)
        forget(["token:" + hash])
        try await database.notify(Self.channel, payloads: ["token:" + hash])
    }

    /// Stops honouring the cached tokens of a user whose account or posts changed (already
    /// stored), so every server asks the store again at once.
    public func revoked(userID: Int64) async throws {
        forget(["user:\(userID)"])
        try await database.notify(Self.channel, payloads: ["user:\(userID)"])
    }

    /// On PostgreSQL: drops what other servers revoke, until cancelled. Returns at once on SQLite,
    /// whose one server drops its own.
    public func run(logger: Logger) async throws {
        try await database.listen(Self.channel, logger: logger, listening: {
            // Revocations sent while this server was not listening are lost: forget everything.
            self.cache.withLock { $0.removeAll() }
        }) { payload in
            self.forget([payload])
        }
    }

    private func forget(_ payloads: [String]) {
        cache.withLock { cache in
            for payload in payloads {
                if payload.hasPrefix("token:") {
                    cache[String(payload.dropFirst("token:".count))] = nil
                } else if let userID = Int64(payload.dropFirst("user:".count)) {
                    cache = cache.filter { $0.value.principal.user.id != userID }
                }
            }
        }
    }
}
