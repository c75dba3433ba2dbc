import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// What the administrator's directory pages (areas, departments, categories) share: the id in
/// the path, a refusal said in plain words, the redirect that carries a change's outcome.
extension SignedInPageContext {
    /// The `:id` of the path; a page for no such id is not found.
    func pathID() throws -> Int64 {
        guard let id = parameters.get("id").flatMap(Int64.init), id > 0 else { throw PageError.notFound }
        return id
    }
}

extension AdminOption {
    /// The areas in use down to `maxDepth`, in tree order, each indented by its level.
    static func areas(_ chosen: Int64?, _ directory: Directory, maxDepth: Int) -> [AdminOption] {
        let children = Dictionary(grouping: directory.areas.values.filter { $0.retiredAt == nil }, by: \.parentID)
        var options: [AdminOption] = []
        func walk(_ parent: Int64?) {
            for area in (children[parent] ?? []).sorted(by: { $0.code < $1.code }) where area.level.depth <= maxDepth {
                options.append(
                    AdminOption(
                        value: String(area.id), label: String(repeating: "　", count: area.level.depth) + area.name, selected: area.id == chosen))
                walk(area.id)
            }
        }
        walk(nil)
        return options
    }
}

extension PageSite {
    /// A directory refusal in the reader's language.
    func text(_ refusal: DirectoryRefusal, _ t: Translation) -> String {
        t.text(
            "admin.directory.refusal.\(refusal.reason.rawValue)",
            ["max": String(AdministrationCategories.keywordLimit), "length": String(AdministrationCategories.keywordLength.upperBound)])
    }

    /// The error of `field` when the refusal concerns it.
    func error(_ field: String, _ refusal: DirectoryRefusal?, _ t: Translation) -> String? {
        refusal.flatMap { $0.field == field ? text($0, t) : nil }
    }

    /// Post, redirect, get, with the change's outcome shown once on the page it lands on.
    func redirect(to page: SiteURL, context: SignedInPageContext, message: String, upload: AdministrationAreas.GridUploadReport? = nil) -> Response {
        let key = notices.put(.change(message: message, upload: upload), session: context.session.token)
        return PageRenderer.redirect(to: page.with([("notice", key)]))
    }

    /// The outcome a redirect carried here, once.
    func changeNotice(_ request: Request, context: SignedInPageContext) -> (message: String, upload: AdministrationAreas.GridUploadReport?)? {
        guard case .change(let message, let upload)? = notices.take(request.uri.queryParameters.get("notice"), session: context.session.token)
        else { return nil }
        return (message, upload)
    }

    /// A department kind's name in the reader's language, its code where none is written.
    func kindName(_ kind: String, _ t: Translation) -> String {
        let key = "admin.kind.\(kind)"
        let name = t.text(key)
        return name == key ? kind : name
    }
}
