import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The points pages: a village's board and the forms that write its rules and its ledger. Every
/// rule is `VillagePoints`' and the domain's; the pages only ask and show.
struct PointsPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.points, use: show)
        pages.on(.pointsRules, method: .post, use: rules)
        pages.on(.pointsEntries, method: .post, use: entries)
    }

    @Sendable func show(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let chosen = request.uri.queryParameters.get("village").flatMap { Int64($0) }
        return try await render(request, context: context, village: chosen, typed: [:], errors: [:], message: request.uri.queryParameters.get("done"))
    }

    /// The villages below the post's area, for posts above a village; none for a village's own posts.
    func villages(below post: Post) -> [Area] {
        let directory = site.services.directory
        guard post.areaLevel < .village else { return [] }
        return directory.areas.values.filter { $0.level == .village && directory.lineage(of: $0.id).contains { $0.id == post.areaID } }
            .sorted { $0.code < $1.code }
    }

    func render(
        _ request: Request, context: SignedInPageContext, village chosen: Int64?, typed: [String: String], errors: [String: [String: String]],
        message: String?
    ) async throws -> Response {
        let services = site.services
        let post = context.principal.post
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let choices = villages(below: post)
        guard let villageID = chosen ?? services.villagePoints.homeVillage(of: post) ?? choices.first?.id else { throw PageError.notFound }
        let board = try await services.villagePoints.board(villageID, for: context.principal)
        let chain = try await services.villagePoints.verify(villageID, for: context.principal)
        func signed(_ points: Int) -> String { points > 0 ? "+\(points)" : "\(points)" }
        let model = PointsPage(
            village: board.village.name,
            villages: choices.map { .init(value: String($0.id), label: $0.name, selected: $0.id == villageID) },
            ranking: board.ranking.enumerated().map { index, row in
                .init(rank: index + 1, number: row.household.id, address: row.household.address, head: row.household.head, balance: row.balance, earned: row.earned)
            },
            rules: board.rules.map { rule in
                .init(
                    id: rule.id, name: rule.name, points: signed(rule.points), positive: rule.points > 0, retired: rule.retiredAt != nil,
                    retireURL: board.keepsRules && rule.retiredAt == nil ? SiteURL.pointsRules.path : nil)
            },
            ruleOptions: board.rules.filter { $0.retiredAt == nil }.map {
                .init(value: String($0.id), label: "\($0.name)（\(signed($0.points))）", selected: typed["rule"] == String($0.id))
            },
            ledger: board.ledger.map { entry, household, by in
                .init(
                    sequence: entry.sequence, at: formats.dateTime(Date(millisecondsSince1970: entry.atMillis)),
                    household: household.head.isEmpty ? household.address : "\(household.head) · \(household.address)", note: entry.note,
                    points: signed(entry.points), positive: entry.points > 0, by: by)
            },
            chain: chain.findings.isEmpty
                ? t.text("points.chainIntact", ["n": "\(chain.entries)"]) : chain.findings.joined(separator: "；"),
            chainIntact: chain.findings.isEmpty, keepsRules: board.keepsRules, records: board.records, villageID: villageID,
            message: message.map { t.text("points.done.\($0)") }, typed: typed, errors: errors)
        let layout = Layout(title: t.text("points.title", ["village": board.village.name]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("points", model, layout: layout, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// A rule added, or one retired (`retire` names it).
    @Sendable func rules(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let villageID = Int64(form["village"] ?? "") ?? 0
        let points = site.services.villagePoints
        do {
            if let retire = form["retire"].flatMap({ Int64($0) }) {
                _ = try await points.retireRule(retire, by: context.principal)
                return redirect(villageID, done: "retired")
            }
            guard let value = Int(form["points"] ?? "") else { throw DomainError.invalid(field: "points", "a whole number") }
            _ = try await points.defineRule(villageID, name: form["name"] ?? "", points: value, by: context.principal)
            return redirect(villageID, done: "rule")
        } catch let error as DomainError where error.code == .invalid {
            return try await refused(request, context: context, villageID: villageID, form: form, field: "rule." + (error.field ?? "name"))
        }
    }

    /// Points recorded under a rule, or redeemed (`redeem` set).
    @Sendable func entries(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let villageID = Int64(form["village"] ?? "") ?? 0
        let redeeming = form["redeem"] != nil
        let prefix = redeeming ? "redeem." : "record."
        let points = site.services.villagePoints
        do {
            let household = try await household(form["household"] ?? "", in: villageID, context: context)
            if redeeming {
                guard let value = Int(form["points"] ?? "") else { throw DomainError.invalid(field: "points", "a whole number") }
                _ = try await points.redeem(householdID: household, points: value, item: form["item"] ?? "", by: context.principal)
                return redirect(villageID, done: "redeemed")
            }
            guard let rule = Int64(form["rule"] ?? "") else { throw DomainError.invalid(field: "ruleID", "a rule") }
            _ = try await points.record(householdID: household, ruleID: rule, note: form["note"], by: context.principal)
            return redirect(villageID, done: "recorded")
        } catch let choice as HouseholdChoice {
            return try await refused(request, context: context, villageID: villageID, form: form, field: prefix + "household", message: choice.message)
        } catch let error as DomainError where error.code == .invalid || error.field == "householdID" {
            let field = error.field == "householdID" ? "household" : error.field == "ruleID" ? "rule" : error.field ?? "household"
            return try await refused(request, context: context, villageID: villageID, form: form, field: prefix + field)
        }
    }

    /// Several households match what was typed: the message lists them with their numbers.
    struct HouseholdChoice: Error {
        var message: String
    }

    /// A household by its number, or by one of its people's name or ID number when that finds one.
    func household(_ text: String, in villageID: Int64, context: SignedInPageContext) async throws -> Int64 {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let id = Int64(text), text.count < 10 { return id }
        guard !text.isEmpty else { throw DomainError.invalid(field: "householdID", "a household") }
        let found = try await site.services.villagePoints.findHouseholds(text, in: villageID, for: context.principal)
        if found.count > 1 {
            let t = site.renderer.translation(context.page.language)
            let listed = found.map { "\($0.head)（\($0.address)，\(t.text("points.number")) \($0.id)）" }.joined(separator: "、")
            throw HouseholdChoice(message: t.text("points.choose", ["list": listed]))
        }
        guard let only = found.first else { throw DomainError.invalid(field: "householdID", "no household found") }
        return only.id
    }

    func refused(
        _ request: Request, context: SignedInPageContext, villageID: Int64, form: FormData, field: String, message: String = ""
    ) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let typed = Dictionary(["household", "rule", "note", "points", "item", "name"].compactMap { key in form[key].map { (key, $0) } }) { a, _ in a }
        let text = message.isEmpty ? t.text("points.error.\(field)") : message
        let (form, name) = (String(field.prefix { $0 != "." }), String(field.drop { $0 != "." }.dropFirst()))
        return try await render(request, context: context, village: villageID, typed: typed, errors: [form: [name: text]], message: nil)
    }

    func redirect(_ villageID: Int64, done: String) -> Response {
        PageRenderer.redirect(to: SiteURL.points.with([("village", String(villageID)), ("done", done)]))
    }
}
