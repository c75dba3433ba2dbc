public import OneGridDomain
import OneGridStore

extension OneGridServices {
    /// The post a command reads as: the named account's (its only post, or the one `postID`
    /// names), so a file holds what that post sees in the API; without a name, the city's
    /// administrator, who sees every case.
    public func commandLinePost(username: String?, postID: Int64?) async throws -> Post {
        guard let username else {
            let roots = directory.areas.values.filter { $0.parentID == nil }
            guard roots.count == 1, let root = roots.first else {
                throw DomainError.invalid(field: "as", "the hierarchy has \(roots.count) top areas; name an account with --as")
            }
            // Read only: the post is never written, so it needs no row of its own.
            return Post(id: 0, userID: 0, role: .administrator, areaID: root.id, areaLevel: root.level, departmentID: nil)
        }
        guard let user = try await people.credentials(username: username)?.user else {
            throw DomainError.notFound("an account \(username)", field: "as")
        }
        let posts = try await people.posts(ofUser: user.id)
        if let postID {
            guard let post = posts.first(where: { $0.id == postID }) else {
                throw DomainError.notFound("post \(postID) of \(username)", field: "post")
            }
            return post
        }
        guard posts.count == 1, let post = posts.first else {
            let ids = posts.map { "\($0.id) (\($0.role.rawValue))" }.joined(separator: ", ")
            throw DomainError.invalid(field: "post", "\(username) holds \(posts.count) posts\(ids.isEmpty ? "" : ": \(ids)"); choose one with --post")
        }
        return post
    }
}
