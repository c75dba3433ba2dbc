import Crypto
import Foundation
import Hummingbird
import OneGridStore

/// The stylesheets, scripts and icons, read from `Resources/public` (and its folders, as
/// `field/photo.js`) once at start and served from memory. Links carry a hash of the content, so
/// browsers keep a file for a year and fetch it anew only when it changes.
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
        for name in try Self.names(in: folder) {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let type =
                switch (name as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                case "svg": "image/svg+xml"
                case "png": "image/png"
                default: "application/octet-stream"
                }
            files[name] = File(
                bytes: ByteBuffer(bytes: data), contentType: type, version: String(SHA256.hash(data: data).hexEncoded.prefix(10)))
        }
        self.files = files
    }

    /// The files of the folder and of its folders one level down, named by their path in it.
    private static func names(in folder: URL) throws -> [String] {
        let manager = FileManager.default
        return try manager.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.flatMap { name -> [String] in
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder), isFolder.boolValue else {
                return [name]
            }
            return try manager.contentsOfDirectory(atPath: folder.appendingPathComponent(name).path)
                .filter { !$0.hasPrefix(".") }.map { name + "/" + $0 }
        }
    }

    /// The link to an asset, versioned by its content.
    func url(_ name: String) -> String {
        SiteURL.asset(name).path + (files[name].map { "?v=" + $0.version } ?? "")
    }

    /// A text asset's content, for a response that builds on it (the service worker).
    func text(_ name: String) -> String? {
        files[name].map { String(buffer: $0.bytes) }
    }

    func response(_ name: String) throws -> Response {
        guard let file = files[name] else { throw PageError.notFound }
        return Response(
            status: .ok,
            headers: [.contentType: file.contentType, .cacheControl: "public, max-age=31536000, immutable", .eTag: "\"\(file.version)\""],
            body: .init(byteBuffer: file.bytes))
    }
}
