import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The administrator's pages: the home with the city's counts, and the accounts with their posts.
struct AdminPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.administration, use: showHome)
        pages.on(.adminUsers, use: showUsers)
        pages.on(.adminUsers, method: .post, use: createUser)
        pages.on(.adminUser(.key), use: showUser)
        pages.on(.adminUser(.key), method: .post, use: changeUser)
    }

    @Sendable func showHome(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let counts = try await site.services.administrationOverview.counts()
        let usersURL = SiteURL.adminUsers
        let page = AdminHomePage(
            hierarchy: AdminLevel.allCases.map { level in
                AdminHomePage.Count(label: t.text("level.\(level.rawValue)"), value: counts.areasByLevel[level] ?? 0, href: SiteURL.adminAreas.path)
            },
            directory: [
                AdminHomePage.Count(label: t.text("admin.home.departments"), value: counts.departments, href: SiteURL.adminDepartments.path),
                AdminHomePage.Count(label: t.text("admin.home.categories"), value: counts.categories, href: SiteURL.adminCategories.path),
                AdminHomePage.Count(label: t.text("admin.home.webhooks"), value: counts.webhooks, href: SiteURL.adminWebhooks.path),
            ],
            users: Role.allCases.filter { $0 != .citizen }.map { role in
                AdminHomePage.Count(
                    label: t.text("role.\(role.rawValue)"), value: counts.usersByRole[role] ?? 0,
                    href: usersURL.with([("role", role.rawValue)]))
            })
        let layout = Layout(title: t.text("nav.administration"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-home", page, layout: layout)
    }

    @Sendable func showUsers(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await usersPage(request, context: context, form: FormData(""), refusal: nil)
    }

    @Sendable func createUser(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        do {
            let created = try await site.services.administrationUsers.create(
                username: form["username"] ?? "", displayName: form["displayName"] ?? "", phone: form["phone"],
                password: form["password"], post: try postRequest(form), by: context.principal)
            let t = site.renderer.translation(context.page.language)
            return redirect(
                toUser: created.account.user.id, context: context,
                .account(message: t.text("admin.user.created", ["name": created.account.user.displayName]), password: created.generatedPassword))
        } catch let refusal as AdministrationUsers.Refusal {
            return try await usersPage(request, context: context, form: form, refusal: refusal)
        }
    }

    @Sendable func showUser(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let notice = site.notices.take(request.uri.queryParameters.get("notice"), session: context.session.token)
        guard case .account(let message, let password)? = notice else {
            return try await userPage(request, context: context, message: nil, password: nil, refusal: nil)
        }
        return try await userPage(request, context: context, message: message, password: password, refusal: nil)
    }

    @Sendable func changeUser(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let userID = try userID(context)
        let users = site.services.administrationUsers
        let t = site.renderer.translation(context.page.language)
        do {
            let message: String
            var password: String?
            switch form["action"] {
            case "addPost":
                _ = try await users.addPost(userID: userID, try postRequest(form), by: context.principal)
                message = t.text("admin.user.postAdded")
            case "removePost":
                try await users.removePost(userID: userID, postID: form["post"].flatMap(Int64.init) ?? 0, by: context.principal)
                message = t.text("admin.user.postRemoved")
            case "disable", "enable":
                try await users.setDisabled(userID: userID, form["action"] == "disable", by: context.principal)
                message = t.text(form["action"] == "disable" ? "admin.user.disabledNow" : "admin.user.enabledNow")
            case "resetPassword":
                let chosen = try await users.resetPassword(userID: userID, to: form["password"], by: context.principal)
                password = form["password"] == nil ? chosen : nil
                message = t.text("admin.user.passwordReset")
            default:
                throw PageError.notFound
            }
            return redirect(toUser: userID, context: context, .account(message: message, password: password))
        } catch let refusal as AdministrationUsers.Refusal where refusal.reason != .unknownUser {
            return try await userPage(request, context: context, message: nil, password: nil, refusal: refusal)
        } catch is AdministrationUsers.Refusal {
            throw PageError.notFound
        }
    }

    // MARK: Pages

    private func usersPage(
        _ request: Request, context: SignedInPageContext, form: FormData, refusal: AdministrationUsers.Refusal?
    ) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let directory = site.services.directory
        let query = request.uri.queryParameters
        let role = query.get("role").flatMap(Role.init(rawValue:))
        let areaID = query.get("area").flatMap(Int64.init)
        let text = query.get("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let accounts = try await site.services.people.accounts(matching: AccountFilter(role: role, areaID: areaID, text: text))
        func field(_ name: String) -> AdminField {
            AdminField(value: name == "password" ? "" : form[name] ?? "", error: refusal?.field == name ? refusalText(refusal, t) : nil)
        }
        let page = AdminUsersPage(
            text: text,
            roles: [AdminOption(value: "", label: t.text("admin.users.anyRole"), selected: role == nil)] + roleOptions(role, t),
            areas: [AdminOption(value: "", label: t.text("admin.users.anyArea"), selected: areaID == nil)]
                + AdminOption.areas(areaID, directory, maxDepth: AdminLevel.village.depth),
            rows: accounts.map { account in
                AdminUsersPage.Row(
                    href: SiteURL.adminUser(.value(account.user.id)).path, username: account.user.username,
                    displayName: account.user.displayName,
                    posts: account.posts.map { Layout.postName($0, directory: directory, t: t) }, disabled: account.disabledAt != nil,
                    lastSignIn: account.lastSignInAt.map(formats.dateTime) ?? t.text("admin.users.never"))
            },
            count: accounts.count,
            username: field("username"), displayName: field("displayName"), phone: field("phone"), password: field("password"),
            post: postForm("new", form, refusal: refusal, t: t))
        let layout = Layout(title: t.text("admin.users.title"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-users", page, layout: layout, status: refusal == nil ? .ok : .unprocessableContent)
    }

    private func userPage(
        _ request: Request, context: SignedInPageContext, message: String?, password: String?, refusal: AdministrationUsers.Refusal?
    ) async throws -> Response {
        let userID = try userID(context)
        guard let account = try await site.services.people.account(id: userID) else { throw PageError.notFound }
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let directory = site.services.directory
        let postFields: Set<String> = ["role", "area", "department"]
        let page = AdminUserPage(
            action: SiteURL.adminUser(.value(userID)).path, username: account.user.username, displayName: account.user.displayName,
            phone: account.user.phone ?? "", disabled: account.disabledAt != nil,
            disabledAt: account.disabledAt.map(formats.dateTime) ?? "",
            lastSignIn: account.lastSignInAt.map(formats.dateTime) ?? t.text("admin.users.never"),
            posts: account.posts.map { post in
                AdminUserPage.PostRow(id: post.id, name: Layout.postName(post, directory: directory, t: t), removable: account.posts.count > 1)
            },
            post: postForm("add", FormData(""), refusal: refusal.flatMap { postFields.contains($0.field) ? $0 : nil }, t: t),
            own: userID == context.principal.user.id, message: message, password: password,
            error: refusal.flatMap { postFields.contains($0.field) || $0.field == "password" ? nil : refusalText($0, t) },
            passwordError: refusal?.field == "password" ? refusalText(refusal, t) : nil)
        let layout = Layout(title: account.user.displayName, request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("admin-user", page, layout: layout, status: refusal == nil ? .ok : .unprocessableContent)
    }

    // MARK: Forms

    private func postRequest(_ form: FormData) throws -> AdministrationUsers.PostRequest {
        guard let role = form["role"].flatMap(Role.init(rawValue:)) else {
            throw AdministrationUsers.Refusal(field: "role", reason: .citizenPost)
        }
        guard let areaID = form["area"].flatMap(Int64.init) else { throw AdministrationUsers.Refusal(field: "area", reason: .unknownArea) }
        return AdministrationUsers.PostRequest(role: role, areaID: areaID, departmentID: form["department"].flatMap(Int64.init))
    }

    private func postForm(_ prefix: String, _ form: FormData, refusal: AdministrationUsers.Refusal?, t: Translation) -> AdminPostForm {
        let directory = site.services.directory
        let departmentID = form["department"].flatMap(Int64.init)
        func error(_ field: String) -> String? { refusal?.field == field ? refusalText(refusal, t) : nil }
        return AdminPostForm(
            prefix: prefix, roles: [AdminOption(value: "", label: t.text("admin.post.chooseRole"), selected: form["role"] == nil)]
                + roleOptions(form["role"].flatMap(Role.init(rawValue:)), t),
            areas: [AdminOption(value: "", label: t.text("admin.post.chooseArea"), selected: form["area"] == nil)]
                + AdminOption.areas(form["area"].flatMap(Int64.init), directory, maxDepth: AdminLevel.grid.depth),
            departments: [AdminOption(value: "", label: t.text("admin.post.noDepartment"), selected: departmentID == nil)]
                + directory.departments.values.sorted { ($0.areaID, $0.name) < ($1.areaID, $1.name) }.map { department in
                    AdminOption(
                        value: String(department.id),
                        label: department.name + "（" + (directory.areas[department.areaID]?.name ?? "") + "）",
                        selected: department.id == departmentID)
                },
            roleError: error("role"), areaError: error("area"), departmentError: error("department"))
    }

    private func roleOptions(_ chosen: Role?, _ t: Translation) -> [AdminOption] {
        Role.allCases.filter { $0 != .citizen }.map { AdminOption(value: $0.rawValue, label: t.text("role.\($0.rawValue)"), selected: $0 == chosen) }
    }

    private func refusalText(_ refusal: AdministrationUsers.Refusal?, _ t: Translation) -> String? {
        refusal.map { t.text("admin.refusal.\($0.reason.rawValue)", ["min": String(AdministrationUsers.minimumPasswordLength)]) }
    }

    private func userID(_ context: SignedInPageContext) throws -> Int64 { try context.pathID() }

    private func redirect(toUser userID: Int64, context: SignedInPageContext, _ notice: Notices.Notice) -> Response {
        let key = site.notices.put(notice, session: context.session.token)
        return PageRenderer.redirect(to: SiteURL.adminUser(.value(userID)).with([("notice", key)]))
    }
}
