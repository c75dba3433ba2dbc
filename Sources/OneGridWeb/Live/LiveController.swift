import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Live updates for a client that holds a token (`GET /api/v1/live/cases`); the pages open the
/// same stream with their session.
struct LiveController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.liveCases, use: cases)
    }

    /// The changes to cases in `area` (default: the post's own), as server-sent events.
    @Sendable func cases(_ request: Request, context: SignedInContext) async throws -> Response {
        let post = context.principal.post
        let area = try Self.area(request.uri.queryParameters.get("area"), for: post, in: services.directory)
        return LiveStream.response(for: area, services: services)
    }

    /// The area named by `text` if the post covers it, else the post's own when none is named.
    static func area(_ text: String?, for post: Post, in directory: Directory) throws -> Area {
        guard let text else {
            guard let own = directory.areas[post.areaID] else { throw APIError(.notFound, code: .notFound, "the post's area is gone") }
            return own
        }
        guard let id = Int64(text), let area = directory.areas[id], directory.covers(post, areaID: id) else {
            throw APIError(.notFound, code: .notFound, "area \(text) not found within the post's area", field: "area")
        }
        return area
    }
}
