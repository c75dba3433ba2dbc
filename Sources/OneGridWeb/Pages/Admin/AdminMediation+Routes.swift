import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The administrator's pages of people's mediation: the bodies of an area, one body with its
/// members, and the major-dispute thresholds, through the same use cases as the API.
struct AdminMediationPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.adminMediation, use: showBodies)
        pages.on(.adminMediation, method: .post, use: createBody)
        pages.on(.adminMediationBody(.key), use: showBody)
        pages.on(.adminMediationBody(.key), method: .post, use: changeBody)
        pages.on(.adminMajorDisputes, use: showThresholds)
        pages.on(.adminMajorDisputes, method: .post, use: changeThresholds)
    }

    private var administration: AdministrationMediation { site.services.administrationMediation }

    // MARK: Bodies

    @Sendable func showBodies(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await bodiesPage(request, context: context, form: nil, refused: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func createBody(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            let body = try await administration.create(
                name: form["name"] ?? "", kind: form["kind"] ?? "", areaID: form["area"].flatMap(Int64.init), by: context.principal)
            let t = site.renderer.translation(context.page.language)
            return site.redirect(to: .adminMediationBody(.value(body.id)), context: context, message: t.text("adminMediation.created", ["name": body.name]))
        } catch let error as DomainError where error.code == .invalid {
            return try await bodiesPage(request, context: context, form: form, refused: error, message: nil)
        }
    }

    @Sendable func showBody(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await bodyPage(request, context: context, form: nil, refused: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func changeBody(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let id = try context.pathID()
        let principal = context.principal
        let t = site.renderer.translation(context.page.language)
        do {
            let message: String
            switch form["action"] {
            case "addMember":
                _ = try await administration.addMember(id, username: form["username"] ?? "", by: principal)
                message = t.text("adminMediation.memberAdded")
            case "removeMember":
                _ = try await administration.removeMember(id, userID: form["userID"].flatMap(Int64.init) ?? 0, by: principal)
                message = t.text("adminMediation.memberRemoved")
            case "rename":
                _ = try await administration.rename(id, to: form["name"] ?? "", by: principal)
                message = t.text("adminMediation.renamed")
            case "retire":
                _ = try await administration.retire(id, by: principal)
                message = t.text("adminMediation.retiredNow")
            default:
                throw PageError.notFound
            }
            return site.redirect(to: .adminMediationBody(.value(id)), context: context, message: message)
        } catch let error as DomainError where error.code == .invalid || error.code == .notAllowedInState {
            return try await bodyPage(request, context: context, form: form, refused: error, message: nil)
        }
    }

    private func bodiesPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refused: DomainError?, message: String?
    ) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let directory = site.services.directory
        let areaID = request.uri.queryParameters.get("area").flatMap(Int64.init).flatMap { directory.areas[$0]?.id }
        var bodies: [MediationBody] = []
        if let areaID { bodies = try await administration.bodies(inArea: areaID, by: context.principal) }
        let kind = form?["kind"]
        let chosenArea = form?["area"].flatMap(Int64.init) ?? areaID
        let page = AdminMediationBodiesPage(
            filterAreas: [AdminOption(value: "", label: t.text("admin.post.chooseArea"), selected: areaID == nil)]
                + AdminOption.areas(areaID, directory, maxDepth: AdminLevel.village.depth),
            areaChosen: areaID != nil,
            rows: bodies.map { body in
                AdminMediationBodiesPage.Row(
                    href: SiteURL.adminMediationBody(.value(body.id)).path, name: body.name, kind: t.text("adminMediation.kind.\(body.kind.rawValue)"),
                    members: body.memberUserIDs.count, retired: body.retiredAt != nil)
            },
            count: bodies.count,
            name: AdminField(value: form?["name"] ?? "", error: error("name", refused, t)),
            kinds: [AdminOption(value: "", label: t.text("adminMediation.chooseKind"), selected: kind == nil)]
                + MediationBodyKind.allCases.map {
                    AdminOption(value: $0.rawValue, label: t.text("adminMediation.kind.\($0.rawValue)"), selected: $0.rawValue == kind)
                },
            kindError: error("kind", refused, t),
            areas: [AdminOption(value: "", label: t.text("admin.post.chooseArea"), selected: chosenArea == nil)]
                + AdminOption.areas(chosenArea, directory, maxDepth: AdminLevel.village.depth),
            areaError: error("areaID", refused, t),
            message: message)
        let layout = Layout(title: t.text("adminMediation.heading"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-mediation", page, layout: layout, status: refused == nil ? .ok : .unprocessableContent)
    }

    private func bodyPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refused: DomainError?, message: String?
    ) async throws -> Response {
        let id = try context.pathID()
        let body: MediationBody
        do {
            body = try await administration.body(id, by: context.principal)
        } catch let error as DomainError where error.code == .notFound {
            throw PageError.notFound
        }
        let t = site.renderer.translation(context.page.language)
        let action = form?["action"]
        let page = AdminMediationBodyPage(
            bodiesURL: SiteURL.adminMediation.with([("area", String(body.areaID))]),
            action: SiteURL.adminMediationBody(.value(body.id)).path, name: body.name,
            kind: t.text("adminMediation.kind.\(body.kind.rawValue)"),
            area: site.services.directory.lineage(of: body.areaID).map(\.name).joined(separator: " › "),
            retired: body.retiredAt != nil,
            retiredAt: body.retiredAt.map(site.formats(context.page.language).dateTime) ?? "",
            members: try await administration.members(of: body).map {
                AdminMediationBodyPage.Member(userID: $0.id, username: $0.username, displayName: $0.displayName)
            },
            username: AdminField(value: action == "addMember" ? form?["username"] ?? "" : "", error: error("username", refused, t)),
            memberError: error("userID", refused, t),
            rename: AdminField(value: action == "rename" ? form?["name"] ?? "" : body.name, error: error("name", refused, t)),
            retireError: error("id", refused, t),
            message: message)
        let layout = Layout(title: body.name, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-mediation-body", page, layout: layout, status: refused == nil ? .ok : .unprocessableContent)
    }

    // MARK: Thresholds

    @Sendable func showThresholds(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await thresholdsPage(request, context: context, form: nil, refused: nil, message: site.changeNotice(request, context: context)?.message)
    }

    @Sendable func changeThresholds(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            _ = try await administration.setMajorDisputeRule(
                AdministrationMediation.RuleForm(
                    amountYuan: form["amountYuan"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) },
                    peopleInvolved: form["peopleInvolved"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                    types: form.all("types"), violenceRisk: form["violenceRisk"] != nil),
                by: context.principal)
            let t = site.renderer.translation(context.page.language)
            return site.redirect(to: .adminMajorDisputes, context: context, message: t.text("adminMediation.thresholdsSaved"))
        } catch let error as DomainError where error.code == .invalid {
            return try await thresholdsPage(request, context: context, form: form, refused: error, message: nil)
        }
    }

    private func thresholdsPage(
        _ request: Request, context: SignedInPageContext, form: FormData?, refused: DomainError?, message: String?
    ) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let rule = try await administration.majorDisputeRule(by: context.principal)
        let types = form.map { Set($0.all("types")) } ?? Set(rule.types.map(\.rawValue))
        let page = AdminMajorDisputesPage(
            amountYuan: AdminField(value: form?["amountYuan"] ?? String(rule.amountYuan), error: error("amountYuan", refused, t)),
            peopleInvolved: AdminField(value: form?["peopleInvolved"] ?? String(rule.peopleInvolved), error: error("peopleInvolved", refused, t)),
            types: DisputeType.allCases.map {
                AdminOption(value: $0.rawValue, label: t.text("mediation.type.\($0.rawValue)"), selected: types.contains($0.rawValue))
            },
            typesError: error("types", refused, t),
            violenceRisk: form.map { $0["violenceRisk"] != nil } ?? rule.violenceRisk,
            message: message)
        let layout = Layout(title: t.text("adminMediation.thresholdsHeading"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-major-disputes", page, layout: layout, status: refused == nil ? .ok : .unprocessableContent)
    }

    /// What is wrong with `field` in plain words, when the refusal is about it.
    private func error(_ field: String, _ refused: DomainError?, _ t: Translation) -> String? {
        refused?.field == field ? t.text("adminMediation.refusal.\(field)") : nil
    }
}
