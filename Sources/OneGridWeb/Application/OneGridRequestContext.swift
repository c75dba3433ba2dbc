public import Foundation
public import Hummingbird
public import HummingbirdAuth
public import OneGridStore

/// Every request carries who is asking, when a token said so (set by `TokenAuthenticatorMiddleware`).
public struct OneGridRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    /// The peer's IP address, which sign-in counts wrong passwords by.
    public var remoteAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Cases are text: 1 MiB is far above any real report and keeps a hostile body cheap.
    public var maxUploadSize: Int { 1 << 20 }

    public var responseEncoder: JSONEncoder { .api }
}

/// The context of a route that needs a signed-in post: made only when the request carries one,
/// else the request is refused with 401 before any handler or policy runs.
public struct SignedInContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal

    public init(context: OneGridRequestContext) throws {
        guard let principal = context.identity else {
            throw APIError(.unauthorized, code: .unauthorized, "sign in first: send Authorization: Bearer <token>")
        }
        self.coreContext = context.coreContext
        self.principal = principal
    }

    public var maxUploadSize: Int { 1 << 20 }

    public var responseEncoder: JSONEncoder { .api }
}

extension JSONEncoder {
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // Keys are not sorted: sorting every object of every answer cost a tenth of intake's CPU.
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
