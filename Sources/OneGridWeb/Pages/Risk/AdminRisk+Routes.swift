import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// The administrator's risk rules: every threshold of the colours as one form, each field checked
/// by `RiskRules.validated` and a refusal shown next to the field it names.
struct AdminRiskPages {
    let site: PageSite

    struct Field {
        var name: String
        var label: String
        var value: String
        var error: String?
    }

    struct Page {
        var fields: [Field]
        var message: String?
        var action = SiteURL.adminRisk.path
    }

    func register(on pages: PageRouter) {
        pages.on(.adminRisk, use: show)
        pages.on(.adminRisk, method: .post, use: change)
    }

    /// The rules' values by name, the baseline's first, as `RiskRules.validated` names them:
    /// read off the values themselves, so a rule added to `RiskRules` is on the form at once.
    static func values(_ rules: RiskRules) -> [(name: String, value: Any)] {
        let named = { (value: Any) in Mirror(reflecting: value).children.compactMap { child in child.label.map { ($0, child.value) } } }
        return named(rules.baseline) + named(rules).filter { $0.0 != "baseline" }
    }

    static func fields(_ rules: RiskRules) -> [(name: String, value: String)] {
        values(rules).map { name, value in
            switch value {
            case let list as [String]: (name, list.joined(separator: ", "))
            case let number as Double: (name, number == number.rounded() ? String(Int(number)) : String(number))
            default: (name, "\(value)")
            }
        }
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let rules = try await site.services.riskWatch.rules()
        let done = request.uri.queryParameters.get("done") != nil
        return render(request, context: context, values: Dictionary(uniqueKeysWithValues: Self.fields(rules).map { ($0.name, $0.value) }), error: nil, saved: done)
    }

    @Sendable func change(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let current = try await site.services.riskWatch.rules()
        var values: [String: String] = [:]
        for (name, _) in Self.fields(current) { values[name] = form[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
        do {
            _ = try await site.services.riskWatch.setRules(try Self.rules(values, like: current), by: context.principal)
        } catch let error as DomainError where error.code == .invalid {
            return render(request, context: context, values: values, error: error, saved: false)
        }
        return PageRenderer.redirect(to: SiteURL.adminRisk.with([("done", "1")]))
    }

    /// The rules the form's texts give, each read as the stored value of that name is (a whole
    /// number, a number, a list of codes); a text that is not one is refused by its name.
    static func rules(_ texts: [String: String], like current: RiskRules) throws(DomainError) -> RiskRules {
        var baseline: [String: Any] = [:]
        var tree: [String: Any] = [:]
        let inBaseline = Set(Mirror(reflecting: current.baseline).children.compactMap(\.label))
        for (name, old) in values(current) {
            let text = texts[name] ?? ""
            let value: Any
            switch old {
            case is [String]: value = text.split { ", ，、".contains($0) }.map(String.init)
            case is Int:
                guard let whole = Int(text) else { throw DomainError.invalid(field: name, "expected a whole number") }
                value = whole
            default:
                guard let number = Double(text), number.isFinite else { throw DomainError.invalid(field: name, "expected a number") }
                value = number
            }
            if inBaseline.contains(name) { baseline[name] = value } else { tree[name] = value }
        }
        tree["baseline"] = baseline
        guard let json = try? JSONSerialization.data(withJSONObject: tree), let rules = try? JSONDecoder().decode(RiskRules.self, from: json) else {
            throw DomainError.invalid(field: "form", "expected the rules' fields")
        }
        return rules
    }

    func render(_ request: Request, context: SignedInPageContext, values: [String: String], error: DomainError?, saved: Bool) -> Response {
        let t = site.renderer.translation(context.page.language)
        let names = Self.fields(.defaults).map(\.name)
        let page = Page(
            fields: names.map { name in
                Field(
                    name: name, label: t.text("risk.rules.\(name)"), value: values[name] ?? "",
                    error: error?.field == name ? t.text("risk.rules.error", ["message": error?.message ?? ""]) : nil)
            },
            message: saved ? t.text("risk.rules.saved") : error.map { t.text("risk.rules.refused", ["field": t.text("risk.rules.\($0.field ?? "form")")]) })
        let layout = Layout(title: t.text("risk.rules.heading"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-risk", page, layout: layout, status: error == nil ? .ok : .unprocessableContent)
    }
}
