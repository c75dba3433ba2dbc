import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import NIOPosix
import OneGridDomain
import OneGridStore

/// Log-in, log-out, who am I, and API tokens for integrations.
struct SessionController {
    let services: OneGridServices

    func register(on router: Router<OneGridRequestContext>) {
        router.on(APIRoute.session, use: logIn)
        router.on(APIRoute.sessionEnd, use: logOut)
        router.on(APIRoute.me, use: me)
        router.on(APIRoute.tokens, use: createToken)
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
        let refused = APIError(.unauthorized, code: .unauthorized, "unknown username or wrong password")
        guard let (user, hash) = try await services.people.credentials(username: body.username) else { throw refused }
        // bcrypt is deliberately slow: keep it off the event loop.
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(body.password, hash: hash) }
        guard matches else { throw refused }
        let posts = try await services.people.posts(ofUser: user.id)
        guard let post = body.postID.map({ id in posts.first { $0.id == id } }) ?? posts.first else {
            throw APIError(.unprocessableContent, code: .invalid, "user \(user.username) holds no post \(body.postID.map(String.init) ?? "")", field: "postID")
        }
        let token = TokenAuthenticator.newToken()
        let expiresAt = services.clock.now.addingTimeInterval(services.config.sessionLifetime)
        try await services.people.saveToken(
            hash: TokenAuthenticator.hash(token), principal: Principal(user: user, post: post), kind: .session, label: nil,
            expiresAt: expiresAt)
        let directory = services.directory
        return EditedResponse(
            status: .created,
            response: SessionJSON(
                token: token, expiresAt: expiresAt, user: user, post: PostJSON(post, directory: directory),
                posts: posts.map { PostJSON($0, directory: directory) }))
    }

    @Sendable func logOut(_ request: Request, context: OneGridRequestContext) async throws -> Response {
        _ = try context.principal()
        guard let token = request.headers.bearer?.token else { throw APIError(.unauthorized, code: .unauthorized, "no token") }
        try await services.people.deleteToken(hash: TokenAuthenticator.hash(token))
        services.authenticator.forget(token)
        return Response(status: .noContent)
    }

    struct MeJSON: ResponseEncodable {
        var user: User
        var post: PostJSON
    }

    @Sendable func me(_ request: Request, context: OneGridRequestContext) async throws -> MeJSON {
        let principal = try context.principal()
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
    @Sendable func createToken(_ request: Request, context: OneGridRequestContext) async throws -> EditedResponse<TokenJSON> {
        let principal = try context.principal()
        var request = request
        let body = try await request.decodeJSON(TokenRequest.self, context: context)
        let label = body.label.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(label.count) else {
            throw APIError(.unprocessableContent, code: .invalid, "label must be 1–100 characters", field: "label")
        }
        let token = TokenAuthenticator.newToken()
        try await services.people.saveToken(
            hash: TokenAuthenticator.hash(token), principal: principal, kind: .api, label: label, expiresAt: nil)
        return EditedResponse(
            status: .created,
            response: TokenJSON(token: token, label: label, post: PostJSON(principal.post, directory: services.directory)))
    }
}
