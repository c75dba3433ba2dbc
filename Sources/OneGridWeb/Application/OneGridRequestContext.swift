public import Hummingbird
public import HummingbirdAuth
public import Foundation
public import OneGridStore

/// Every request carries who is asking (set by `TokenAuthenticator`) and encodes JSON the same way.
public struct OneGridRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
    }

    /// Cases are text: 1 MiB is far above any real report and keeps a hostile body cheap.
    public var maxUploadSize: Int { 1 << 20 }

    public var responseEncoder: JSONEncoder { .api }

    /// The signed-in principal, or 401.
    public func principal() throws -> Principal {
        guard let identity else { throw APIError(.unauthorized, code: .unauthorized, "sign in first: send Authorization: Bearer <token>") }
        return identity
    }
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
