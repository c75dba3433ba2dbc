import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// A case's attachments, served only to posts that may see the case and only under a checksum
/// its timeline names: anything else is "not found", as if the file did not exist.
struct AttachmentPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.attachment(.key, sha256: ""), use: show)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0, let sha = context.parameters.get("sha") else {
            throw PageError.notFound
        }
        let events = try await site.services.reading.timeline(of: id, for: context.principal.post)
        guard let attachment = Self.attachments(in: events.map(\.event)).first(where: { $0.sha256 == sha }),
            let data = site.attachments.read(sha)
        else { throw PageError.notFound }
        var headers: HTTPFields = [
            .contentType: attachment.kind.mediaType, .cacheControl: "private, max-age=86400",
            .contentLength: String(data.count),
        ]
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The attachments a timeline's entries name in their evidence.
    static func attachments(in events: [TimelineEvent]) -> [Attachment] {
        events.flatMap { attachments(of: $0) }
    }

    static func attachments(of event: TimelineEvent) -> [Attachment] {
        event.details["evidence"]?.split(separator: "\n").compactMap { Attachment(evidence: String($0)) } ?? []
    }
}
