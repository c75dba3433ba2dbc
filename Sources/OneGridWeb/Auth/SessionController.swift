import Foundation
import Hummingbird
import HummingbirdAuth
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Log-in, log-out, who am I, and API tokens for integrations.
struct SessionController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.session, use: logIn)
        api.on(.sessionEnd, use: logOut)
        api.on(.me, use: me)
        api.on(.tokens, use: createToken)
    }

    struct LogInRequest: Decodable {
        var username: String
        var password: String
        /// Which of the user's posts to act as; the first when omitted.
        var postID: Int64?
    }

    struct SessionJSON: ResponseEncodable {
        var token: String
        var expiresAt: Date?
        var user: User
        var post: PostJSON
        var posts: [PostJSON]
    }

    struct PostJSON: Codable, Sendable {
        var id: Int64
        var role: Role
        var roleName: String
        var area: AreaJSON?
        var department: DepartmentJSON?

        init(_ post: Post, directory: Directory) {
            id = post.id
            role = post.role
            roleName = post.role.chineseName
            area = directory.areas[post.areaID].map(AreaJSON.init)
            department = post.departmentID.flatMap { directory.departments[$0] }.map(DepartmentJSON.init)
        }
    }

    @Sendable func logIn(_ request: Request, context: OneGridRequestContext) async throws -> EditedResponse<SessionJSON> {
        var request = request
        let body = try await request.decodeJSON(LogInRequest.self, context: context)
        let session: Sessions.Opened
        do {
            session = try await services.sessions.signIn(
                username: body.username, password: body.password, postID: body.postID, address: context.remoteAddress)
        } catch let refused as SignInRefused {
            throw APIError(.unauthorized, code: .unauthorized, refused.message)
        } catch let throttled as SignInThrottled {
            throw APIError(
                .tooManyRequests, code: .tooManyAttempts, "too many wrong passwords; try again in \(Int(throttled.retryAfter)) seconds",
                retryAfter: Int(throttled.retryAfter))
        }
        let directory = services.directory
        return EditedResponse(
            status: .created,
            response: SessionJSON(
                token: session.token, expiresAt: session.expiresAt, user: session.principal.user,
                post: PostJSON(session.principal.post, directory: directory), posts: session.posts.map { PostJSON($0, directory: directory) }))
    }

    @Sendable func logOut(_ request: Request, context: SignedInContext) async throws -> Response {
        guard let token = request.headers.bearer?.token else { throw APIError(.unauthorized, code: .unauthorized, "no token") }
        try await services.sessions.signOut(token: token)
        return Response(status: .noContent)
    }

    struct MeJSON: ResponseEncodable {
        var user: User
        var post: PostJSON
    }

    @Sendable func me(_ request: Request, context: SignedInContext) async throws -> MeJSON {
        let principal = context.principal
        return MeJSON(user: principal.user, post: PostJSON(principal.post, directory: services.directory))
    }

    struct TokenRequest: Decodable {
        var label: String
    }

    struct TokenJSON: ResponseEncodable {
        var token: String
        var label: String
        var post: PostJSON
    }

    /// An integration (the 12345 hotline, the video network) gets a long-lived token for the post
    /// it acts as; it is shown once.
    @Sendable func createToken(_ request: Request, context: SignedInContext) async throws -> EditedResponse<TokenJSON> {
        var request = request
        let body = try await request.decodeJSON(TokenRequest.self, context: context)
        let token = try await services.sessions.issueToken(label: body.label, for: context.principal)
        return EditedResponse(
            status: .created,
            response: TokenJSON(
                token: token, label: body.label.trimmingCharacters(in: .whitespaces),
                post: PostJSON(context.principal.post, directory: services.directory)))
    }
}
