import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The event streams the pages listen to under their session: the command room's for the area
/// it shows, the queue's for the post's own area. The page's script refreshes what it shows
/// when an event arrives.
struct LivePages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.commandRoomLive, use: commandRoom)
        pages.on(.queueLive, use: queue)
    }

    @Sendable func commandRoom(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try stream(request.uri.queryParameters.get("area"), context: context)
    }

    @Sendable func queue(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try stream(nil, context: context)
    }

    private func stream(_ area: String?, context: SignedInPageContext) throws -> Response {
        do {
            let area = try LiveController.area(area, for: context.principal.post, in: site.services.directory)
            return LiveStream.response(for: area, services: site.services)
        } catch is APIError {
            throw PageError.notFound
        }
    }
}
