import Foundation
public import Hummingbird
import Logging
import OneGridDomain

/// The one error shape of the API: `{"error": {"code", "message", "field"}}` with a 4xx status
/// (5xx only for faults of the server itself, never for what a client sent).
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var extra: [String: String] = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil, extra: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra
    }

    init(_ error: DomainError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .invalid: .unprocessableContent
            case .notFound: .notFound
            case .notAllowedInState, .versionConflict: .conflict
            case .forbidden: .forbidden
            }
        var extra: [String: String] = [:]
        if let version = error.currentVersion { extra["currentVersion"] = String(version) }
        self.init(status, code: error.code.rawValue, error.message, field: error.field, extra: extra)
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?
            var currentVersion: Int?
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            error: .init(code: code, message: message, field: field, currentVersion: extra["currentVersion"].flatMap { Int($0) }))
        let data = try JSONEncoder.api.encode(body)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into the API's shape: domain refusals keep their meaning, Hummingbird's
/// own errors (unknown route, body too large) keep their status, anything else is logged and
/// answered with a plain 500 that leaks nothing.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as DomainError {
            throw APIError(error)
        } catch let error as HTTPError {
            let code =
                switch error.status {
                case .notFound: "routeNotFound"
                case .contentTooLarge: "bodyTooLarge"
                case .methodNotAllowed: "methodNotAllowed"
                case .unauthorized: "unauthorized"
                default: "badRequest"
                }
            throw APIError(error.status, code: code, error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.internalServerError, code: "internal", "the server failed; the failure is logged")
        }
    }
}
