import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The administrator's pages of the categories: the list with levels, departments and limits,
/// one category's settings and keywords, and retraining the category proposal.
struct AdminCategoryPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.adminCategories, use: showCategories)
        pages.on(.adminCategory(.key), use: showCategory)
        pages.on(.adminCategory(.key), method: .post, use: changeCategory)
        pages.on(.adminClassifier, method: .post, use: retrain)
        pages.on(.adminPublicCategories, method: .post, use: changePublic)
    }

    @Sendable func showCategories(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let directory = site.services.directory
        let children = Dictionary(grouping: directory.categories.values, by: \.parentID)
        var rows: [AdminCategoriesPage.Row] = []
        func walk(_ parent: Int64?) {
            for category in (children[parent] ?? []).sorted(by: { $0.code < $1.code }) {
                rows.append(
                    AdminCategoriesPage.Row(
                        href: SiteURL.adminCategory(.value(category.id)).path, code: category.code, name: category.name,
                        child: category.parentID != nil, platform: t.text("platform.\(category.platform.rawValue)"),
                        level: t.text("level.\(category.handlingLevel.rawValue)"),
                        department: category.departmentKind.map { site.kindName($0, t) } ?? t.text("admin.categories.centre"),
                        acceptance: limitText(category.acceptanceLimit, t), signing: limitText(category.signingLimit, t),
                        handling: limitText(category.handlingLimit, t), escalates: category.escalatesWhenOverdue,
                        keywords: category.keywords.count))
                walk(category.id)
            }
        }
        walk(nil)
        let page = AdminCategoriesPage(
            rows: rows, message: site.changeNotice(request, context: context)?.message,
            hiddenCodes: try await site.services.citizenPortal.hiddenCategoryCodes().joined(separator: "\n"))
        let layout = Layout(title: t.text("admin.categories.heading"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-categories", page, layout: layout)
    }

    @Sendable func showCategory(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try categoryPage(request, context: context, form: nil, refusal: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func changeCategory(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let categoryID = try context.pathID()
        guard site.services.directory.categories[categoryID] != nil else { throw PageError.notFound }
        let categories = site.services.administrationCategories
        let t = site.renderer.translation(context.page.language)
        do {
            switch form["action"] {
            case "settings":
                try await categories.update(
                    categoryID: categoryID,
                    .init(
                        handlingLevel: form["handlingLevel"] ?? "", departmentKind: form["departmentKind"],
                        acceptanceLimit: form["acceptanceLimit"] ?? "", signingLimit: form["signingLimit"] ?? "",
                        handlingLimit: form["handlingLimit"] ?? "", escalatesWhenOverdue: form["escalatesWhenOverdue"] != nil),
                    by: context.principal)
                return site.redirect(to: .adminCategory(.value(categoryID)), context: context, message: t.text("admin.category.saved"))
            case "keywords":
                let keywords = try await categories.setKeywords(categoryID: categoryID, form["keywords"] ?? "", by: context.principal)
                return site.redirect(
                    to: .adminCategory(.value(categoryID)), context: context,
                    message: t.text("admin.category.keywordsSaved", ["count": String(keywords.count)]))
            default:
                throw PageError.notFound
            }
        } catch let refusal as DirectoryRefusal {
            return try categoryPage(request, context: context, form: form, refusal: refusal, message: nil)
        }
    }

    /// The categories the citizens' public list and map leave out besides petitions and disputes.
    @Sendable func changePublic(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let t = site.renderer.translation(context.page.language)
        let codes = (form["hiddenCategories"] ?? "").split(whereSeparator: { $0.isNewline || $0 == "," }).map(String.init)
        let message: String
        do {
            try await site.services.citizenPortal.setHiddenCategoryCodes(codes, by: context.principal)
            message = t.text("admin.categories.publicSaved")
        } catch let error as DomainError where error.field == "hiddenCategories" {
            message = t.text("admin.categories.publicUnknown", ["reason": error.message])
        }
        return site.redirect(to: .adminCategories, context: context, message: message)
    }

    @Sendable func retrain(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let training = try await site.services.administrationCategories.retrain(by: context.principal)
        let t = site.renderer.translation(context.page.language)
        func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
        let message = t.text(
            "admin.categories.retrained",
            ["cases": String(training.trainedOn), "heldOut": String(training.heldOut), "top1": percent(training.top1), "top3": percent(training.top3)])
        // Back to the page the button was on.
        let back = form["category"].flatMap(Int64.init).flatMap { site.services.directory.categories[$0] }
        return site.redirect(to: back.map { .adminCategory(.value($0.id)) } ?? .adminCategories, context: context, message: message)
    }

    private func categoryPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refusal: DirectoryRefusal?, message: String?
    ) throws -> Response {
        let directory = site.services.directory
        let categoryID = try context.pathID()
        guard let category = directory.categories[categoryID] else { throw PageError.notFound }
        let t = site.renderer.translation(context.page.language)
        let settings = form?["action"] == "settings" ? form : nil
        let level = settings?["handlingLevel"] ?? category.handlingLevel.rawValue
        let kind = settings.map { $0["departmentKind"] ?? "" } ?? category.departmentKind ?? ""
        let kinds = Set(directory.departments.values.filter { $0.retiredAt == nil }.map(\.kind)).sorted()
        func field(_ name: String, _ stored: TimeLimit) -> AdminField {
            AdminField(value: settings.map { $0[name] ?? "" } ?? stored.description, error: site.error(name, refusal, t))
        }
        let page = AdminCategoryPage(
            action: SiteURL.adminCategory(.value(category.id)).path, categoryID: category.id, code: category.code, name: category.name,
            platform: t.text("platform.\(category.platform.rawValue)"),
            levels: AdminLevel.allCases.filter(\.runsCentre).map {
                AdminOption(value: $0.rawValue, label: t.text("level.\($0.rawValue)"), selected: $0.rawValue == level)
            },
            departments: [AdminOption(value: "", label: t.text("admin.categories.centre"), selected: kind.isEmpty)]
                + kinds.map { AdminOption(value: $0, label: site.kindName($0, t), selected: $0 == kind) },
            levelError: site.error("handlingLevel", refusal, t), departmentError: site.error("departmentKind", refusal, t),
            acceptance: field("acceptanceLimit", category.acceptanceLimit), signing: field("signingLimit", category.signingLimit),
            handling: field("handlingLimit", category.handlingLimit),
            escalates: settings.map { $0["escalatesWhenOverdue"] != nil } ?? category.escalatesWhenOverdue,
            keywords: AdminField(
                value: form?["action"] == "keywords" ? form?["keywords"] ?? "" : category.keywords.joined(separator: "、"),
                error: site.error("keywords", refusal, t)),
            message: message)
        let layout = Layout(title: category.name, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-category", page, layout: layout, status: refusal == nil ? .ok : .unprocessableContent)
    }

    /// "5 个工作日" rather than "5wd".
    private func limitText(_ limit: TimeLimit, _ t: Translation) -> String {
        t.text("admin.limit.\(limit.unit.rawValue)", ["n": String(limit.amount)])
    }
}
