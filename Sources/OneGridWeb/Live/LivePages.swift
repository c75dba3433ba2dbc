import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The event streams the pages listen to under their session: the command room's and the risk
/// picture's for the area they show, the queue's for the post's own area. The page's script refreshes what it shows
/// when an event arrives.
struct LivePages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.commandRoomLive, use: areaShown)
        pages.on(.queueLive, use: queue)
        pages.on(.riskLive, use: areaShown)
    }

    /// The stream of the area a command room or risk picture shows, named by `area`.
    @Sendable func areaShown(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try Self.response(request.uri.queryParameters.get("area"), for: context.principal.post, services: site.services)
    }

    @Sendable func queue(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try Self.response(nil, for: context.principal.post, services: site.services)
    }

    /// The stream of the area named by `area` (the post's own when nil); an area outside the
    /// post's is a page that does not exist.
    static func response(_ area: String?, for post: Post, services: OneGridServices) throws -> Response {
        do {
            return LiveStream.response(for: try LiveController.area(area, for: post, in: services.directory), services: services)
        } catch is APIError {
            throw PageError.notFound
        }
    }
}
