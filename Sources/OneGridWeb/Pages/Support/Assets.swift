import Crypto
import Foundation
import Hummingbird
import OneGridStore

/// The stylesheet, script and icons, read from `Resources/public` once at start and served from
/// memory. Links carry a hash of the content, so browsers keep a file for a year and fetch it
/// anew only when it changes.
struct Assets: Sendable {
    struct File: Sendable {
        var bytes: ByteBuffer
        var contentType: String
        var version: String
    }

    private let files: [String: File]

    init() throws {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("public") else { throw TranslationError.missing("public") }
        var files: [String: File] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let type =
                switch (name as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                case "svg": "image/svg+xml"
                default: "application/octet-stream"
                }
            files[name] = File(
                bytes: ByteBuffer(bytes: data), contentType: type, version: String(SHA256.hash(data: data).hexEncoded.prefix(10)))
        }
        self.files = files
    }

    /// The link to an asset, versioned by its content.
    func url(_ name: String) -> String {
        SiteURL.asset(name).path + (files[name].map { "?v=" + $0.version } ?? "")
    }

    func response(_ name: String) throws -> Response {
        guard let file = files[name] else { throw PageError.notFound }
        return Response(
            status: .ok,
            headers: [.contentType: file.contentType, .cacheControl: "public, max-age=31536000, immutable", .eTag: "\"\(file.version)\""],
            body: .init(byteBuffer: file.bytes))
    }
}
