import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Open311 keys, for administrators: issue one for a post over an area (the key is shown in the
/// answer and never again), list them, revoke one.
struct Open311KeyController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.open311KeyIssue, use: issue)
        api.on(.open311Keys, use: list)
        api.on(.open311KeyRevoke, use: revoke)
    }

    struct IssueRequest: Decodable {
        var name: String
        var postID: Int64
        var areaID: Int64?
        var requestsPerMinute: Int?
    }

    /// A key as the API shows it: everything but the key, unless just issued.
    struct KeyJSON: ResponseEncodable {
        var id: Int64
        var name: String
        var postID: Int64
        var areaID: Int64
        /// The area's division code: the `jurisdiction_id` Open311 clients send.
        var jurisdictionID: String
        var requestsPerMinute: Int
        var createdAt: Date
        var revokedAt: Date?
        /// Only in the answer that issued it.
        var apiKey: String?

        init(_ key: Open311Key, directory: Directory, apiKey: String? = nil) {
            id = key.id
            name = key.name
            postID = key.postID
            areaID = key.areaID
            jurisdictionID = directory.areas[key.areaID]?.code ?? ""
            requestsPerMinute = key.requestsPerMinute
            createdAt = key.createdAt
            revokedAt = key.revokedAt
            self.apiKey = apiKey
        }
    }

    @Sendable func issue(_ request: Request, context: SignedInContext) async throws -> EditedResponse<KeyJSON> {
        var request = request
        let body = try await request.decodeJSON(IssueRequest.self, context: context)
        let (key, secret) = try await services.open311Keys.issue(
            name: body.name, postID: body.postID, areaID: body.areaID, requestsPerMinute: body.requestsPerMinute, by: context.principal)
        return EditedResponse(status: .created, response: KeyJSON(key, directory: services.directory, apiKey: secret))
    }

    struct KeyList: ResponseEncodable {
        var keys: [KeyJSON]
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> KeyList {
        let directory = services.directory
        return KeyList(keys: try await services.open311Keys.list().map { KeyJSON($0, directory: directory) })
    }

    @Sendable func revoke(_ request: Request, context: SignedInContext) async throws -> KeyJSON {
        KeyJSON(try await services.open311Keys.revoke(id: try context.pathID("Open311 key"), by: context.principal), directory: services.directory)
    }
}
