import Foundation
public import Hummingbird
import Logging
import OneGridDomain
import OneGridStore

/// The one error shape of the API: `{"error": {"code", "message", "field"}}` with a 4xx status
/// (5xx only for faults of the server itself, never for what a client sent).
public struct APIError: HTTPResponseError, Sendable {
    /// Every code the API answers with: clients switch on these, so they are one closed list
    /// (the OpenAPI document enumerates it) instead of strings typed at each throw.
    public enum Code: String, Sendable, CaseIterable {
        // What the domain refuses (`DomainError.Code`), under the same names.
        case invalid, notFound, notAllowedInState, forbidden, versionConflict
        // What the HTTP layer refuses before the domain sees the request.
        case unauthorized, tooManyAttempts, badRequest, malformedJSON, bodyTooLarge, routeNotFound, methodNotAllowed
        /// A read ran past its time limit under load (503 with Retry-After); nothing changed.
        case readTimedOut
        /// The database cannot be reached (503 with Retry-After); nothing changed. Service
        /// returns by itself when the database does.
        case databaseUnavailable
        /// The disk or the database is full (507); nothing was written, reads go on.
        case storageFull
        case `internal`
        /// A 12345 ticket that is not the grid's business (422): `reason` says why.
        case diverted

        init(_ domain: DomainError.Code) {
            switch domain {
            case .invalid: self = .invalid
            case .notFound: self = .notFound
            case .notAllowedInState: self = .notAllowedInState
            case .forbidden: self = .forbidden
            case .versionConflict: self = .versionConflict
            }
        }
    }

    public var status: HTTPResponse.Status
    public var code: Code
    public var message: String
    public var field: String?
    /// On a version conflict: the case's version now, so the client can reload and retry.
    public var currentVersion: Int?
    /// Seconds after which trying again is worthwhile, sent as Retry-After.
    public var retryAfter: Int?
    /// For `diverted`: the reason's code (`DiversionReason`).
    public var reason: String?

    public init(
        _ status: HTTPResponse.Status, code: Code, _ message: String, field: String? = nil, currentVersion: Int? = nil,
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.currentVersion = currentVersion
        self.retryAfter = retryAfter
    }

    init(_ error: DomainError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .invalid: .unprocessableContent
            case .notFound: .notFound
            case .notAllowedInState, .versionConflict: .conflict
            case .forbidden: .forbidden
            }
        self.init(status, code: Code(error.code), error.message, field: error.field, currentVersion: error.currentVersion)
    }

    init(_ fault: DatabaseFault) {
        switch fault {
        case .unavailable:
            self.init(
                .serviceUnavailable, code: .databaseUnavailable, "the database cannot be reached; nothing changed, try again shortly",
                retryAfter: Self.databaseRetryAfter)
        case .full:
            self.init(.insufficientStorage, code: .storageFull, "the database's storage is full; nothing was written, reads still work")
        }
    }

    /// Seconds a client is asked to wait while the database cannot be reached: long enough not
    /// to hammer a database that is restarting, short enough to notice its return soon.
    static let databaseRetryAfter = 5

    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?
            var currentVersion: Int?
            var reason: String?
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            error: .init(code: code.rawValue, message: message, field: field, currentVersion: currentVersion, reason: reason))
        let data = try JSONEncoder.api.encode(body)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into the API's shape: domain refusals keep their meaning, Hummingbird's
/// own errors (unknown route, body too large) keep their status, the database's faults have
/// their own (`DatabaseFault`), anything else is logged and answered with a plain 500 that leaks
/// nothing.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The paths whose errors this formats; other audiences format their own.
    let audiencePrefix: String
    /// Failures repeat alike during an outage: each kind is written once per interval.
    let log: RepeatedLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(audiencePrefix) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as DomainError {
            throw APIError(error)
        } catch let error as ReadTimedOut {
            throw APIError(.serviceUnavailable, code: .readTimedOut, error.description, retryAfter: 1)
        } catch let error as HTTPError {
            let code: APIError.Code =
                switch error.status {
                case .notFound: .routeNotFound
                case .contentTooLarge: .bodyTooLarge
                case .methodNotAllowed: .methodNotAllowed
                case .unauthorized: .unauthorized
                default: .badRequest
                }
            throw APIError(error.status, code: code, error.body ?? error.status.reasonPhrase)
        } catch {
            if let fault = DatabaseFault(error) {
                log.log(.warning, fault.logMessage, error: error, to: context.logger)
                throw APIError(fault)
            }
            log.log(.error, "unhandled error", error: error, to: context.logger)
            throw APIError(.internalServerError, code: .internal, "the server failed; the failure is logged")
        }
    }
}

extension HTTPResponse.Status {
    /// WebDAV's status for storage that is full, which HTTPTypes does not name.
    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}

extension DatabaseFault {
    /// How the log names the fault, the same for the API and the pages.
    var logMessage: String {
        switch self {
        case .unavailable: "database unavailable"
        case .full: "database storage full"
        }
    }
}
