import Foundation
import Hummingbird
import Logging
import OneGridApplication
import OneGridDomain
import OneGridStore

/// GeoReport v2's error shape, `<errors><error><code>400</code><description>…</description></error></errors>`
/// (a JSON array of `{"code","description"}`), in the format the path asked for, XML unless `.json`.
struct Open311Error: HTTPResponseError {
    var status: HTTPResponse.Status
    var description: String
    /// Seconds after which trying again is worthwhile, sent as Retry-After.
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ description: String, retryAfter: Int? = nil) {
        self.status = status
        self.description = description
        self.retryAfter = retryAfter
    }

    /// A parameter that is missing or malformed, named as the specification names it.
    static func invalid(_ parameter: String, _ expected: String) -> Open311Error {
        Open311Error(.badRequest, "\(parameter): \(expected)")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let format = Open311Format.split(String(request.uri.path.split(separator: "/").last ?? ""))?.format ?? .xml
        let error = Open311Value.object([("code", .integer(Int64(status.code))), ("description", .text(description))])
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Open311Document(root: "errors", value: .list(item: "error", [error])).response(format, status: status, headers: headers)
    }
}

/// Turns every error under `/open311/` into the Open311 shape: a domain refusal keeps its
/// meaning (a bad field 400, not found 404, not allowed 403), a key refused 403, a key over its
/// rate 429, the database's faults their own statuses, anything else a logged 500 that leaks
/// nothing.
struct Open311ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    static var prefix: String { "/open311/" }
    /// Failures repeat alike during an outage: each kind is written once per interval.
    let log: RepeatedLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(Self.prefix) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as Open311Error {
            throw error
        } catch let error as DomainError {
            let status: HTTPResponse.Status =
                switch error.code {
                case .invalid, .notAllowedInState: .badRequest
                case .notFound: .notFound
                case .forbidden: .forbidden
                case .versionConflict: .conflict
                }
            let field = error.field.map { Self.parameter(naming: $0) + ": " } ?? ""
            throw Open311Error(status, field + error.message)
        } catch let refusal as Open311Refusal {
            switch refusal {
            case .invalidKey:
                throw Open311Error(.forbidden, "api_key: a valid api_key is required; an administrator issues one")
            case .tooManyRequests(let wait):
                throw Open311Error(.tooManyRequests, "api_key: this key's requests per minute are used up; try again in \(wait) s", retryAfter: wait)
            }
        } catch let error as HTTPError {
            throw Open311Error(error.status, error.body ?? (error.status == .notFound ? "no such Open311 resource" : error.status.reasonPhrase))
        } catch {
            if let fault = DatabaseFault(error) {
                log.log(.warning, fault.logMessage, error: error, to: context.logger)
                let api = APIError(fault)
                throw Open311Error(api.status, api.message, retryAfter: api.retryAfter)
            }
            log.log(.error, "unhandled error", error: error, to: context.logger)
            throw Open311Error(.internalServerError, "the server failed; the failure is logged")
        }
    }

    /// The Open311 parameter a use case's field stands for, so a refusal names what was sent.
    static func parameter(naming field: String) -> String {
        switch field {
        case "categoryCode", "categoryID": "service_code"
        case "location": "lat/long"
        case "gridID": "address_id"
        case "address": "address_string"
        case "title": "attribute[title]"
        case "reporter.name": "first_name/last_name"
        case "reporter.phone": "phone"
        case "id": "service_request_id"
        case "note": "description"
        default: field
        }
    }
}
