import Crypto
public import Foundation
public import OneGridStore
import Synchronization

/// Bearer tokens for people and integrations alike. Only a token's SHA-256 is stored; a short
/// in-memory cache spares the database a lookup on every request (a revoked token stops working
/// on other instances within `ttl`).
public final class TokenAuthenticator: Sendable {
    private struct Entry {
        var principal: Principal
        var cachedAt: Date
    }

    private let people: any PeopleStore
    private let clock: ServerClock
    private let cache = Mutex<[String: Entry]>([:])
    private let ttl: TimeInterval = 30

    init(people: any PeopleStore, clock: ServerClock) {
        self.people = people
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

    public func forget(_ token: String) {
        _ = cache.withLock { $0.removeValue(forKey: Self.hash(token)) }
    }

    /// Drops every cached token of a user whose account or posts changed, so this instance asks
    /// the store again at once.
    public func forget(userID: Int64) {
        cache.withLock { cache in cache = cache.filter { $0.value.principal.user.id != userID } }
    }
}
