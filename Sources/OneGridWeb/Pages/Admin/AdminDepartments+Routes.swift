import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// The administrator's pages of the departments: the list by area, adding, editing, retiring.
struct AdminDepartmentPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.adminDepartments, use: showDepartments)
        pages.on(.adminDepartments, method: .post, use: createDepartment)
        pages.on(.adminDepartment(.key), use: showDepartment)
        pages.on(.adminDepartment(.key), method: .post, use: changeDepartment)
    }

    @Sendable func showDepartments(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try departmentsPage(request, context: context, form: nil, refusal: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func createDepartment(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            let department = try await site.services.administrationDepartments.create(departmentForm(form), by: context.principal)
            let t = site.renderer.translation(context.page.language)
            return site.redirect(
                to: .adminDepartment(.value(department.id)), context: context, message: t.text("admin.departments.created", ["name": department.name]))
        } catch let refusal as DirectoryRefusal {
            return try departmentsPage(request, context: context, form: form, refusal: refusal, message: nil)
        }
    }

    @Sendable func showDepartment(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try departmentPage(request, context: context, form: nil, refusal: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func changeDepartment(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let departmentID = try context.pathID()
        guard site.services.directory.departments[departmentID] != nil else { throw PageError.notFound }
        let departments = site.services.administrationDepartments
        let t = site.renderer.translation(context.page.language)
        do {
            switch form["action"] {
            case "save":
                try await departments.update(departmentID: departmentID, departmentForm(form), by: context.principal)
                return site.redirect(to: .adminDepartment(.value(departmentID)), context: context, message: t.text("admin.departments.saved"))
            case "retire":
                try await departments.retire(departmentID: departmentID, by: context.principal)
                return site.redirect(to: .adminDepartment(.value(departmentID)), context: context, message: t.text("admin.departments.retiredNow"))
            default:
                throw PageError.notFound
            }
        } catch let refusal as DirectoryRefusal {
            return try departmentPage(request, context: context, form: form, refusal: refusal, message: nil)
        }
    }

    // MARK: Pages

    private func departmentsPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refusal: DirectoryRefusal?, message: String?
    ) throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let directory = site.services.directory
        let areaID = request.uri.queryParameters.get("area").flatMap(Int64.init)
        // An area's departments and those of the areas below it.
        let shown = directory.departments.values.filter { department in
            areaID.map { id in directory.lineage(of: department.areaID).contains { $0.id == id } } ?? true
        }
        let rows = shown.sorted { (directory.areas[$0.areaID]?.code ?? "", $0.name) < (directory.areas[$1.areaID]?.code ?? "", $1.name) }
        let page = AdminDepartmentsPage(
            filterAreas: [AdminOption(value: "", label: t.text("admin.users.anyArea"), selected: areaID == nil)]
                + AdminOption.areas(areaID, directory, maxDepth: AdminLevel.village.depth),
            rows: rows.map { department in
                AdminDepartmentsPage.Row(
                    href: SiteURL.adminDepartment(.value(department.id)).path, name: department.name, kind: site.kindName(department.kind, t),
                    area: directory.areas[department.areaID]?.name ?? "", level: t.text("level.\(department.level.rawValue)"),
                    retired: department.retiredAt != nil)
            },
            count: rows.count,
            form: fields(form, prefix: "new", refusal: refusal, t: t),
            message: message)
        let layout = Layout(title: t.text("admin.departments.heading"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-departments", page, layout: layout, status: refusal == nil ? .ok : .unprocessableContent)
    }

    private func departmentPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refusal: DirectoryRefusal?, message: String?
    ) throws -> Response {
        let directory = site.services.directory
        let departmentID = try context.pathID()
        guard let department = directory.departments[departmentID] else { throw PageError.notFound }
        let t = site.renderer.translation(context.page.language)
        let shown = form?["action"] == "save" ? form : nil
        let page = AdminDepartmentPage(
            action: SiteURL.adminDepartment(.value(department.id)).path, name: department.name,
            area: directory.lineage(of: department.areaID).map(\.name).joined(separator: " › "),
            retired: department.retiredAt != nil,
            retiredAt: department.retiredAt.map(site.formats(context.page.language).dateTime) ?? "",
            form: fields(shown, prefix: "edit", refusal: shown == nil ? nil : refusal, t: t, department: shown == nil ? department : nil),
            retireError: form?["action"] == "retire" ? site.error("department", refusal, t) : nil,
            message: message)
        let layout = Layout(title: department.name, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-department", page, layout: layout, status: refusal == nil ? .ok : .unprocessableContent)
    }

    // MARK: Forms

    private func departmentForm(_ form: FormData) -> AdministrationDepartments.Form {
        AdministrationDepartments.Form(name: form["name"] ?? "", kind: form["kind"] ?? "", areaID: form["area"].flatMap(Int64.init))
    }

    /// The fields as posted, or as the department stands when one is given.
    private func fields(_ form: FormData?, prefix: String, refusal: DirectoryRefusal?, t: Translation, department: Department? = nil) -> AdminDepartmentForm {
        let directory = site.services.directory
        let kind = department?.kind ?? form?["kind"]
        let areaID = department?.areaID ?? form?["area"].flatMap(Int64.init)
        return AdminDepartmentForm(
            prefix: prefix,
            name: AdminField(value: department?.name ?? form?["name"] ?? "", error: site.error("name", refusal, t)),
            kinds: [AdminOption(value: "", label: t.text("admin.departments.chooseKind"), selected: kind == nil)]
                + site.services.administrationDepartments.kinds().map { AdminOption(value: $0, label: site.kindName($0, t), selected: $0 == kind) },
            kindError: site.error("kind", refusal, t),
            areas: [AdminOption(value: "", label: t.text("admin.post.chooseArea"), selected: areaID == nil)]
                + AdminOption.areas(areaID, directory, maxDepth: AdminLevel.village.depth),
            areaError: site.error("area", refusal, t))
    }
}
