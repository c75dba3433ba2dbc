import Foundation
import Hummingbird
import Mustache
import OneGridApplication
import OneGridDomain

/// Renders pages: the Mustache templates of `Resources/templates`, the strings of both
/// languages and the assets, each read once at start. A page is its model rendered inside the
/// layout, with `t` (the strings of the reader's language) and `layout` beside it.
struct PageRenderer: Sendable {
    let services: OneGridServices
    let resources: PageResources
    /// Usernames shown under the sign-in form when the server runs the demo city.
    let demoAccounts: [DemoAccount]

    var assets: Assets { resources.assets }

    func translation(_ language: Language) -> Translation {
        resources.translation(language)
    }

    /// A page's HTML. Pages show one post's data, so no cache keeps them.
    func render(_ template: String, _ model: Any, layout: Layout, status: HTTPResponse.Status = .ok) -> Response {
        render(template, model, layout: RenderTree.of(layout) as Any, language: layout.language, status: status)
    }

    /// A phone page inside the phone's own slim layout.
    func render(_ template: String, _ model: Any, layout: FieldLayout, status: HTTPResponse.Status = .ok) -> Response {
        render(template, model, layout: RenderTree.of(layout) as Any, language: layout.language, status: status)
    }

    private func render(_ template: String, _ model: Any, layout: Any, language: Language, status: HTTPResponse.Status) -> Response {
        let values: [String: Any] = ["t": translation(language).tree, "layout": layout, "page": RenderTree.of(model) as Any]
        let html = resources.library.render(values, withTemplate: template) ?? "template \(template) is missing"
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentLanguage: language.code],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Post, redirect, get: a form's answer is a redirect, so reloading never sends it twice.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// The templates, strings and assets shipped in the bundle: read and parsed once per process.
struct PageResources: Sendable {
    static let bundled = Result { try PageResources() }

    let library: MustacheLibrary
    let translations: [Language: Translation]
    let assets: Assets

    private init() throws {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("templates") else {
            throw TranslationError.missing("templates")
        }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            try library.register(HTMLEscaping.template(text), named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
        let chinese = try Translation.load(.zhCN, fallback: nil)
        self.translations = [.zhCN: chinese, .en: try Translation.load(.en, fallback: chinese)]
        self.assets = try Assets()
    }

    func translation(_ language: Language) -> Translation {
        translations[language] ?? translations[.zhCN]!
    }
}

/// A demo user to sign in as, printed by `onegrid serve --demo` and listed on its sign-in page.
public struct DemoAccount: Sendable {
    public var username: String
    /// What the user acts as, e.g. "调度员 @ 城关镇".
    public var post: String

    public init(username: String, post: String) {
        self.username = username
        self.post = post
    }
}
