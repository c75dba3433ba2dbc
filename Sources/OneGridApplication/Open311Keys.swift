public import Foundation
public import OneGridDomain
public import OneGridStore
import Synchronization

/// An Open311 caller, once its key is known: the key, and the principal it acts as, whose post
/// is narrowed to the key's jurisdiction, so that intake's "within the post's area" and every
/// read's scope hold the key to that area without rules of their own.
public struct Open311Client: Sendable {
    public var key: Open311Key
    public var principal: Principal
    public var area: Area
}

/// The administrator's Open311 keys: issued for a post that reports cases (its role gives the
/// channel, as its own reports would have), over the post's area or one inside it, each under a
/// rate of requests per minute; shown once, stored hashed, revoked for good.
public struct Open311Keys: Sendable {
    let services: OneGridServices

    /// Who an Open311 key may speak for: posts that register reports others make. A citizen's
    /// post reports only as that citizen, never for an app's many users.
    public static let ownerRoles: Set<Role> = Role.reporters.subtracting([.citizen])
    /// A city's app at a few requests a second; an administrator may set more.
    public static let defaultRequestsPerMinute = 60
    public static let requestsPerMinuteRange = 1...6_000

    /// Issues a key and returns it with the key text, which is never shown again.
    public func issue(name: String, postID: Int64, areaID: Int64?, requestsPerMinute: Int?, by principal: Principal) async throws
        -> (key: Open311Key, secret: String)
    {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw DomainError.invalid(field: "name", "name must be 1–100 characters") }
        let rate = requestsPerMinute ?? Self.defaultRequestsPerMinute
        guard Self.requestsPerMinuteRange.contains(rate) else {
            throw DomainError.invalid(field: "requestsPerMinute", "requestsPerMinute must be \(Self.requestsPerMinuteRange.lowerBound)–\(Self.requestsPerMinuteRange.upperBound)")
        }
        guard let post = try await services.open311.post(id: postID) else { throw DomainError.notFound("post \(postID)", field: "postID") }
        guard Self.ownerRoles.contains(post.role) else {
            let roles = Role.allCases.filter(Self.ownerRoles.contains).map(\.rawValue).joined(separator: ", ")
            throw DomainError.invalid(field: "postID", "a key speaks for a post that reports cases (\(roles)); post \(postID) is a \(post.role.rawValue)")
        }
        let directory = services.directory
        let area = areaID ?? post.areaID
        guard directory.areas[area] != nil else { throw DomainError.notFound("area \(area)", field: "areaID") }
        guard directory.lineage(of: area).contains(where: { $0.id == post.areaID }) else {
            throw DomainError.invalid(field: "areaID", "area \(area) lies outside the area of post \(postID)")
        }
        let secret = TokenAuthenticator.newToken()
        let key = try await services.recording(
            "open311.issue", subject: "open311 key \(name)", ["post": String(postID), "area": String(area), "requestsPerMinute": String(rate)],
            by: principal
        ) {
            try await services.open311.issue(
                name: name, keyHash: TokenAuthenticator.hash(secret), postID: postID, areaID: area, requestsPerMinute: rate,
                at: services.clock.now)
        }
        return (key, secret)
    }

    public func list() async throws -> [Open311Key] {
        try await services.open311.keys()
    }

    /// Revokes a key: from the next request on, on every server (keys are looked up per request).
    public func revoke(id: Int64, by principal: Principal) async throws -> Open311Key {
        // An unknown key is refused inside the store's transaction: no entry in the log either.
        try await services.recording("open311.revoke", subject: "open311 key \(id)", by: principal) {
            try await services.open311.revoke(id: id, at: services.clock.now)
        }
    }

    /// The caller a key names, after counting the request against its rate.
    public func client(apiKey: String) async throws -> Open311Client {
        guard let (key, principal) = try await services.open311.client(keyHash: TokenAuthenticator.hash(apiKey)),
            let area = services.directory.areas[key.areaID]
        else {
            throw Open311Refusal.invalidKey
        }
        if let wait = services.open311Rates.admit(keyID: key.id, limit: key.requestsPerMinute, at: services.clock.now) {
            throw Open311Refusal.tooManyRequests(retryAfter: wait)
        }
        var narrowed = principal
        narrowed.post.areaID = area.id
        narrowed.post.areaLevel = area.level
        return Open311Client(key: key, principal: narrowed, area: area)
    }
}

/// What Open311 refuses before any use case runs.
public enum Open311Refusal: Error, Sendable, Equatable {
    /// No key, an unknown one, a revoked one, or one whose post is gone.
    case invalidKey
    /// The key used up its requests for this minute; seconds until the next one.
    case tooManyRequests(retryAfter: Int)
}

/// Requests per key per minute, counted in a fixed window of the clock's minute. Held per server:
/// a key spread over several servers gets its rate on each, which bounds a runaway client
/// without a database write per request.
public final class Open311RateLimiter: Sendable {
    private let windows = Mutex<[Int64: (minute: Int64, count: Int)]>([:])

    public init() {}

    /// Counts one request; nil when it is admitted, else the seconds until the next minute.
    func admit(keyID: Int64, limit: Int, at now: Date) -> Int? {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let minute = seconds / 60
        return windows.withLock { windows in
            var window: (minute: Int64, count: Int) = windows[keyID].flatMap { $0.minute == minute ? $0 : nil } ?? (minute, 0)
            guard window.count < limit else { return Int(60 - seconds % 60) }
            window.count += 1
            windows[keyID] = window
            return nil
        }
    }
}
