import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// The administrator's pages of the hierarchy: each area with those below it and their codes,
/// adding, renaming and retiring areas, and uploading a GeoJSON of grids.
struct AdminAreaPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.adminAreas, use: showTop)
        pages.on(.adminArea(.key), use: showArea)
        pages.on(.adminArea(.key), method: .post, use: changeArea)
        pages.on(.adminGridUpload, method: .post, use: uploadGrids)
    }

    /// The hierarchy starts at the city.
    @Sendable func showTop(_ request: Request, context: SignedInPageContext) async throws -> Response {
        guard let top = site.services.directory.areas.values.filter({ $0.parentID == nil }).min(by: { $0.code < $1.code }) else {
            throw PageError.notFound
        }
        return PageRenderer.redirect(to: SiteURL.adminArea(.value(top.id)).path)
    }

    @Sendable func showArea(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let notice = site.changeNotice(request, context: context)
        return try areaPage(request, context: context, areaID: try context.pathID(), form: FormData(""), refusal: nil, notice: notice)
    }

    @Sendable func changeArea(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let areaID = try context.pathID()
        guard site.services.directory.areas[areaID] != nil else { throw PageError.notFound }
        let areas = site.services.administrationAreas
        let t = site.renderer.translation(context.page.language)
        do {
            switch form["action"] {
            case "rename":
                try await areas.rename(areaID: areaID, to: form["name"] ?? "", by: context.principal)
                return site.redirect(to: .adminArea(.value(areaID)), context: context, message: t.text("admin.areas.renamed"))
            case "retire":
                try await areas.retire(areaID: areaID, by: context.principal)
                return site.redirect(to: .adminArea(.value(areaID)), context: context, message: t.text("admin.areas.retiredNow"))
            case "create":
                let area = try await areas.create(code: form["code"] ?? "", name: form["newName"] ?? "", parentID: areaID, by: context.principal)
                return site.redirect(to: .adminArea(.value(areaID)), context: context, message: t.text("admin.areas.created", ["name": area.name]))
            default:
                throw PageError.notFound
            }
        } catch let refusal as DirectoryRefusal {
            return try areaPage(request, context: context, areaID: areaID, form: form, refusal: refusal, notice: nil)
        }
    }

    @Sendable func uploadGrids(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let directory = site.services.directory
        let from = form["from"].flatMap(Int64.init).flatMap { directory.areas[$0] }
            ?? directory.areas.values.filter { $0.parentID == nil }.min { $0.code < $1.code }
        guard let from else { throw PageError.notFound }
        let t = site.renderer.translation(context.page.language)
        do {
            let report = try await site.services.administrationAreas.uploadGrids(
                form.files.first { $0.field == "file" }?.bytes ?? [], by: context.principal)
            let message = t.text("admin.upload.summary", ["accepted": String(report.accepted.count), "refused": String(report.refused.count)])
            return site.redirect(to: .adminArea(.value(from.id)), context: context, message: message, upload: report)
        } catch let refusal as DirectoryRefusal {
            return try areaPage(request, context: context, areaID: from.id, form: FormData(""), refusal: refusal, notice: nil)
        }
    }

    private func areaPage(
        _ request: Request, context: SignedInPageContext, areaID: Int64, form: FormData, refusal: DirectoryRefusal?,
        notice: (message: String, upload: AdministrationAreas.GridUploadReport?)?
    ) throws -> Response {
        let directory = site.services.directory
        guard let area = directory.areas[areaID] else { throw PageError.notFound }
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let children = directory.children(of: area.id)
        let childLevel = area.level.below
        let action = form["action"]
        let page = AdminAreaPage(
            crumbs: directory.lineage(of: area.id).dropLast().map { .init(name: $0.name, href: SiteURL.adminArea(.value($0.id)).path) },
            action: SiteURL.adminArea(.value(area.id)).path, areaID: area.id, name: area.name, code: area.code,
            level: t.text("level.\(area.level.rawValue)"), retired: area.retiredAt != nil,
            retiredAt: area.retiredAt.map(formats.dateTime) ?? "",
            childLevel: childLevel.map { t.text("level.\($0.rawValue)") },
            belowLevel: childLevel?.below.map { t.text("level.\($0.rawValue)") },
            rows: children.map { child in
                AdminAreaPage.Row(
                    href: SiteURL.adminArea(.value(child.id)).path, name: child.name, code: child.code,
                    below: directory.children(of: child.id).filter { $0.retiredAt == nil }.count, retired: child.retiredAt != nil)
            },
            canAddArea: area.retiredAt == nil && childLevel.map { $0 != .grid } == true,
            rename: AdminField(value: action == "rename" ? form["name"] ?? "" : area.name, error: action == "rename" ? site.error("name", refusal, t) : nil),
            newCode: AdminField(value: action == "create" ? form["code"] ?? "" : "", error: action == "create" ? site.error("code", refusal, t) : nil),
            newName: AdminField(value: action == "create" ? form["newName"] ?? "" : "", error: action == "create" ? site.error("name", refusal, t) : nil),
            codeHint: t.text("admin.areas.codeHint", ["prefix": AdministrationAreas.codePrefix(of: area)]),
            retireError: action == "retire" || action == "rename" ? site.error("area", refusal, t) : nil,
            fileError: site.error("file", refusal, t),
            message: notice?.message,
            upload: notice?.upload.map { report(of: $0, t) })
        let layout = Layout(title: area.name, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-area", page, layout: layout, status: refusal == nil ? .ok : .unprocessableContent)
    }

    private func report(of upload: AdministrationAreas.GridUploadReport, _ t: Translation) -> AdminUploadReport {
        AdminUploadReport(
            accepted: upload.accepted.map { .init(code: $0.code, name: $0.name, village: $0.villageName) },
            refused: upload.refused.map { .init(feature: $0.feature, code: $0.code, reason: t.text("admin.upload.refusal.\($0.reason.rawValue)")) })
    }
}
