import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The grid worker's phone pages (`/field`): an installable app for one thumb in the sun. The
/// pages are rendered on the server like the desks'; the shell's script keeps reports and
/// verifications made without signal in the phone's outbox and sends them, once each, through
/// the POST routes here, which answer the script in the API's JSON and call the same use cases
/// as the API: intake and the steps, each with the Idempotency-Key the phone made.
struct FieldPages {
    let site: PageSite
    /// Cases on the home page: a grid rarely has more open at once.
    static let listLimit = 100

    func register(on pages: PageRouter) {
        pages.on(.field, use: home)
        pages.on(.fieldReport, use: reportForm)
        pages.on(.fieldReport, method: .post, use: report)
        pages.on(.fieldVerify(.key), use: verifyForm)
        pages.on(.fieldVerify(.key), method: .post, use: verify)
        pages.on(.fieldOutbox, use: outbox)
        pages.on(.fieldProposals, use: proposals)
        pages.on(.fieldSession, use: session)
        pages.on(.fieldServiceWorker, use: serviceWorker)
        pages.on(.fieldManifest, use: manifest)
    }

    // MARK: Pages

    @Sendable func home(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let services = site.services
        let post = context.principal.post
        let formats = site.formats(context.page.language)
        let t = formats.t
        var query = CaseQuery()
        query.statuses = CaseStatus.allCases.filter(\.isOpen)
        query.area = (.grid, post.areaID)
        query.order = .urgent
        query.limit = Self.listLimit
        let cases = post.areaLevel == .grid ? try await services.reading.list(query, for: post).cases : []
        func row(_ record: CaseRecord, href: String) -> FieldHome.Row {
            FieldHome.Row(
                href: href, number: CaseJSON.number(of: record, calendar: services.calendar), title: record.title,
                status: t.text("status.\(record.file.status.rawValue)"), clock: formats.badge(record))
        }
        let verifiable = cases.filter { CasePolicy.allowedActions(on: $0.file, as: post).contains(.verifyPass) }
        let watched = cases.filter { $0.file.watcherUserID == post.userID }
        let model = FieldHome(
            sections: [
                .init(
                    id: "verify", heading: t.text("field.home.toVerify"),
                    rows: verifiable.map { row($0, href: SiteURL.fieldVerify(.value($0.id)).path) }, none: t.text("field.home.noneToVerify")),
                .init(
                    id: "watched", heading: t.text("field.home.watched"),
                    rows: watched.map { row($0, href: SiteURL.caseDetail(.value($0.id)).path) }, none: t.text("field.home.noneWatched")),
                .init(
                    id: "open", heading: t.text("field.home.open"),
                    rows: cases.map { row($0, href: SiteURL.caseDetail(.value($0.id)).path) }, none: t.text("field.home.noneOpen")),
            ],
            updated: t.text("field.updated", ["at": formats.dateTime(formats.now)]))
        return render("field-home", model, title: t.text("field.title"), request: request, context: context)
    }

    @Sendable func reportForm(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let directory = site.services.directory
        let t = site.renderer.translation(context.page.language)
        let gridID = context.principal.post.areaID
        let categories = IntakePages.categoryGroups(directory, selected: nil, t: t)
        let village = directory.areas[gridID]?.parentID
        let grids = (village.map { directory.children(of: $0).map(\.id) } ?? [gridID])
        let shapes: [[String: Any]] = grids.compactMap { id in
            guard let boundary = directory.boundaries[id], boundary.ring.count >= 3 else { return nil }
            let name = directory.areas[id]?.name ?? ""
            let villageName = village.flatMap { directory.areas[$0]?.name } ?? ""
            return [
                "ring": boundary.ring.map { ["lat": $0.lat, "lng": $0.lng] },
                "label": name.hasPrefix(villageName) ? String(name.dropFirst(villageName.count)) : name, "own": id == gridID,
            ]
        }
        let solvable = directory.categories.values.filter(FieldReport.solvableOnSpot).map(\.id).sorted()
        let model = FieldReport(
            categories: categories, shapesJSON: Self.json(shapes), solvableJSON: Self.json(solvable))
        var layout = layout(t.text("field.report.title"), request: request, context: context)
        layout.pageScripts = [site.renderer.assets.url("field/photo.js"), site.renderer.assets.url("field/place.js")]
        return site.renderer.render("field-report", model, layout: layout)
    }

    @Sendable func verifyForm(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        let services = site.services
        let post = context.principal.post
        let record = try await services.reading.visibleCase(id, to: post)
        let formats = site.formats(context.page.language)
        let t = formats.t
        let feedback = try await services.reading.timeline(of: id, for: post).last { $0.event.action == .feedBack }?.event.note
        let directory = services.directory
        let model = FieldVerify(
            id: id, number: CaseJSON.number(of: record, calendar: services.calendar), title: record.title,
            description: record.description,
            place: [record.file.areas.grid].compactMap { directory.areas[$0]?.name }.joined() + (record.address.map { " · " + $0 } ?? ""),
            feedback: feedback ?? "", clock: formats.badge(record), actionURL: SiteURL.fieldVerify(.value(id)).path,
            caseURL: SiteURL.caseDetail(.value(id)).path,
            mayVerify: CasePolicy.allowedActions(on: record.file, as: post).contains(.verifyPass))
        var layout = layout(t.text("field.verify.title"), request: request, context: context)
        layout.pageScripts = [site.renderer.assets.url("field/photo.js")]
        return site.renderer.render("field-verify", model, layout: layout)
    }

    @Sendable func outbox(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        return render("field-outbox", ["signInURL": SiteURL.signIn.with([("next", SiteURL.fieldOutbox.path)])], title: t.text("field.outbox.title"), request: request, context: context)
    }

    // MARK: What the script calls

    /// Sends a report from the outbox: its photos and voice note kept as attachments, then intake
    /// with the phone's Idempotency-Key, so a report sent twice is one case. Answers JSON.
    @Sendable func report(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await answeringJSON(request, context: context) {
            var request = request
            let form = try await FormData(request: &request, context: context)
            let key = try CaseController.idempotencyKey(request) ?? form["key"]
            let kept = try keep(form.files.filter { $0.field == "photo" || $0.field == "voice" })
            let after = try keep(form.files.filter { $0.field == "after" })
            let solved = form["solved"]
            let location = try Self.point(form)
            let intake = try await site.services.intake.report(
                IntakeForm(
                    title: form["title"] ?? "", description: form["description"], categoryID: form["category"].flatMap(Int64.init),
                    location: location, gridID: location == nil ? context.principal.post.areaID : nil,
                    solvedOnSpot: solved, evidence: kept.map(\.evidence), solvedOnSpotEvidence: after.map(\.evidence)),
                by: context.principal, idempotencyKey: key)
            return (intake.isReplay ? .ok : .created, intake.record, intake.isReplay)
        }
    }

    /// Sends a verification from the outbox: pass or fail with a note and photos, through the
    /// verify step with the phone's Idempotency-Key. No version: the phone may have seen the
    /// case hours before, and the step itself is allowed only while the case waits for it.
    @Sendable func verify(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await answeringJSON(request, context: context) {
            let id = try Self.caseID(context)
            var request = request
            let form = try await FormData(request: &request, context: context)
            let key = try CaseController.idempotencyKey(request) ?? form["key"]
            let action: CaseAction
            switch form["result"] {
            case "pass": action = .verifyPass
            case "fail": action = .verifyFail
            default: throw DomainError.invalid(field: "result", "result is pass or fail")
            }
            // Read first, so a post that may not see the case cannot store files through it.
            _ = try await site.services.reading.visibleCase(id, to: context.principal.post)
            let kept = try keep(form.files.filter { $0.field == "photo" })
            let taken = try await site.services.steps.take(
                action, on: id, input: CaseActionInput(note: form["note"], evidence: kept.isEmpty ? nil : kept.map(\.evidence)),
                expectedVersion: nil, by: context.principal, idempotencyKey: key)
            return (.ok, taken.record, taken.isReplay)
        }
    }

    /// The categories proposed for the text typed so far, best first, as JSON.
    @Sendable func proposals(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let text = request.uri.queryParameters.get("text") ?? ""
        let proposals = try await site.services.proposals.propose(text).map { proposal -> [String: Any] in
            ["id": proposal.category.id, "name": proposal.category.name, "confidence": (proposal.confidence * 100).rounded() / 100]
        }
        return Self.jsonResponse(.ok, ["proposals": proposals])
    }

    /// Whether the session holds, and the form token to send with: the outbox asks before it
    /// sends, so an item made before a sign-out waits for the next sign-in instead of failing.
    @Sendable func session(_ request: Request, context: SignedInPageContext) async throws -> Response {
        Self.jsonResponse(.ok, ["formToken": context.page.formToken, "user": context.principal.user.username])
    }

    // MARK: The installable app

    /// The service worker, with the shell's versioned URLs written in: a new deploy changes its
    /// bytes, so phones fetch it anew and drop the old shell. Its scope is `/field`, not the
    /// `/field/` its path allows by default, so the home page itself works without signal.
    @Sendable func serviceWorker(_ request: Request, context: PageRequestContext) async throws -> Response {
        let assets = site.renderer.assets
        let shell = [SiteURL.field.path, SiteURL.fieldReport.path, SiteURL.fieldOutbox.path, SiteURL.fieldVisits.path, SiteURL.fieldScreening.path]
            + ["field/field.css", "field/field.js", "field/photo.js", "field/place.js", "field/icon-192.png"].map(assets.url)
        let script = "self.ONEGRID_SHELL = " + Self.json(shell) + ";\n" + (assets.text("field/sw.js") ?? "")
        return Response(
            status: .ok,
            headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache", HTTPField.Name("Service-Worker-Allowed")!: SiteURL.field.path],
            body: .init(byteBuffer: ByteBuffer(string: script)))
    }

    @Sendable func manifest(_ request: Request, context: PageRequestContext) async throws -> Response {
        let t = site.renderer.translation(context.language)
        let assets = site.renderer.assets
        let manifest: [String: Any] = [
            "name": t.text("field.appName"), "short_name": t.text("field.shortName"), "lang": context.language.code,
            "start_url": SiteURL.field.path, "scope": SiteURL.field.path, "display": "standalone",
            "background_color": "#ffffff", "theme_color": "#0b4f8a",
            "icons": [192, 512].map { ["src": assets.url("field/icon-\($0).png"), "sizes": "\($0)x\($0)", "type": "image/png"] },
        ]
        return Response(
            status: .ok, headers: [.contentType: "application/manifest+json; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: Self.json(manifest))))
    }

    // MARK: Helpers

    private func keep(_ files: [FormData.File]) throws -> [Attachment] {
        try files.map { try site.attachments.keep($0.bytes, name: $0.name, field: $0.field) }
    }

    /// The phone's point, when it sent one; both coordinates or none.
    private static func point(_ form: FormData) throws -> GeoPoint? {
        switch (form["lat"], form["lng"]) {
        case (nil, nil): return nil
        case (let lat?, let lng?):
            guard let lat = Double(lat), let lng = Double(lng), (-90...90).contains(lat), (-180...180).contains(lng) else {
                throw DomainError.invalid(field: "location", "lat and lng are decimal degrees")
            }
            return GeoPoint(lat: lat, lng: lng)
        default: throw DomainError.invalid(field: "location", "a point needs both lat and lng")
        }
    }

    /// Runs a step the outbox sent and answers it as the API would: the case's id and number,
    /// or the refusal in the API's error shape, so the outbox can tell a refusal (kept, with its
    /// reason) from a failure to try again.
    func answeringJSON(
        _ request: Request, context: SignedInPageContext,
        _ body: () async throws -> (HTTPResponse.Status, CaseRecord, Bool)
    ) async throws -> Response {
        do {
            let (status, record, replayed) = try await body()
            return Self.jsonResponse(
                status,
                ["id": record.id, "number": CaseJSON.number(of: record, calendar: site.services.calendar), "replayed": replayed,
                 "status": record.file.status.rawValue])
        } catch let error as DomainError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        }
    }

    private func layout(_ title: String, request: Request, context: SignedInPageContext) -> FieldLayout {
        FieldLayout(title: title, request: request, context: context, renderer: site.renderer)
    }

    private func render(_ template: String, _ model: Any, title: String, request: Request, context: SignedInPageContext) -> Response {
        site.renderer.render(template, model, layout: layout(title, request: request, context: context))
    }

    private static func caseID(_ context: SignedInPageContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw PageError.notFound }
        return id
    }

    private static func json(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ value: [String: Any]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: json(value))))
    }
}
