import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Open311 GeoReport v2 under `/open311/v2`, with FixMyStreet's `servicerequestupdates`: a
/// city's Open311 apps report and follow cases through the same use cases as the JSON API. The
/// service list and definitions are public; everything about cases needs an `api_key`, and a key
/// reports into and reads only its jurisdiction. Personal data never leaves.
struct Open311Controller {
    let services: OneGridServices

    static let base = "/open311/v2"
    /// At most this many requests or updates in one answer (the specification's bound).
    static let maximumResults = 1_000
    /// The longest span of a request search, and the default one back from now.
    static let searchSpan: TimeInterval = 90 * 86_400

    func register(on router: Router<OneGridRequestContext>) {
        let group = router.group(RouterPath(Self.base))
        for format in [Open311Format.xml, .json] {
            let suffix = "." + format.rawValue
            group.get(RouterPath("discovery" + suffix)) { request, _ in try discovery(request, format) }
            group.get(RouterPath("services" + suffix)) { request, _ in try serviceList(request, format) }
            group.get(RouterPath("requests" + suffix)) { request, context in try await requestList(request, context: context, format) }
            group.post(RouterPath("requests" + suffix)) { request, context in try await create(request, context: context, format) }
            group.get(RouterPath("servicerequestupdates" + suffix)) { request, context in try await updateList(request, context: context, format) }
            group.post(RouterPath("servicerequestupdates" + suffix)) { request, context in try await addUpdate(request, context: context, format) }
        }
        group.get("services/:file") { request, context in
            let (code, format) = try Self.file(context)
            return try definition(request, code: code, format)
        }
        group.get("requests/:file") { request, context in
            let (id, format) = try Self.file(context)
            return try await oneRequest(request, context: context, id: id, format)
        }
        group.get("tokens/:file") { request, context in
            let (token, format) = try Self.file(context)
            return try await tokenLookup(request, context: context, token: token, format)
        }
    }

    /// The name and format of a path's last component, or 404 for a format neither XML nor JSON.
    static func file(_ context: OneGridRequestContext) throws -> (String, Open311Format) {
        guard let component = context.parameters.get("file"), let split = Open311Format.split(component) else {
            throw Open311Error(.notFound, "no such Open311 resource: ask for .xml or .json")
        }
        return split
    }

    // MARK: Discovery and services

    func discovery(_ request: Request, _ format: Open311Format) throws -> Response {
        let formats: [Open311Value] = [Open311Format.xml, .json].map { .text($0.contentType.components(separatedBy: ";")[0]) }
        let endpoint = Open311Value.object([
            ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
            ("url", .text(Self.base)),
            ("changeset", .text(Self.changeset)),
            ("type", .text("production")),
            ("formats", .list(item: "format", formats)),
        ])
        return Open311Document(
            root: "discovery",
            value: .object([
                ("changeset", .text(Self.changeset)),
                ("contact", .text("The city's administrators of OneGrid")),
                ("key_service", .text("An administrator issues keys: POST /api/v1/admin/open311-keys")),
                ("endpoints", .list(item: "endpoint", [endpoint])),
            ])
        ).response(format)
    }

    /// When this endpoint's interface last changed.
    static let changeset = "2026-11-30T00:00:00Z"

    /// The categories cases are reported under: those without sub-categories.
    var leafCategories: [OneGridDomain.Category] {
        let categories = services.directory.categories.values
        let parents = Set(categories.compactMap(\.parentID))
        return categories.filter { !parents.contains($0.id) }.sorted { $0.code < $1.code }
    }

    func serviceList(_ request: Request, _ format: Open311Format) throws -> Response {
        try checkJurisdiction(request.uri.queryParameters.get("jurisdiction_id"), of: nil)
        let directory = services.directory
        let list = leafCategories.map { category -> Open311Value in
            .object([
                ("service_code", .text(category.code)),
                ("service_name", .text(category.name)),
                ("description", .text("\(category.name): \(Self.notice(category))")),
                // Every service has its definition: the optional short title.
                ("metadata", .boolean(true)),
                ("type", .text("realtime")),
                ("keywords", .text(category.keywords.joined(separator: ", "))),
                ("group", .text(category.parentID.flatMap { directory.categories[$0]?.name })),
            ])
        }
        return Open311Document(root: "services", value: .list(item: "service", list)).response(format)
    }

    func definition(_ request: Request, code: String, _ format: Open311Format) throws -> Response {
        try checkJurisdiction(request.uri.queryParameters.get("jurisdiction_id"), of: nil)
        guard leafCategories.contains(where: { $0.code == code }) else {
            throw Open311Error(.notFound, "service_code: \(code) is not a service; GET services lists them")
        }
        let title = Open311Value.object([
            ("variable", .boolean(true)),
            ("code", .text(Self.titleAttribute)),
            ("datatype", .text("string")),
            ("required", .boolean(false)),
            ("datatype_description", .text("At most 200 characters; when absent, the description's beginning")),
            ("order", .integer(1)),
            ("description", .text("A short title of the matter")),
        ])
        return Open311Document(
            root: "service_definition",
            value: .object([("service_code", .text(code)), ("attributes", .list(item: "attribute", [title]))])
        ).response(format)
    }

    static let titleAttribute = "title"

    /// What a reporter is told of the service's deadlines.
    static func notice(_ category: OneGridDomain.Category) -> String {
        "accepted within \(category.acceptanceLimit), handled within \(category.handlingLimit) at \(category.handlingLevel.rawValue) level"
    }

    // MARK: Keys and jurisdictions

    /// The caller a request's `api_key` names, counted against its rate.
    func client(_ parameters: Open311Parameters) async throws -> Open311Client {
        guard let key = parameters["api_key"], !key.isEmpty else {
            throw Open311Error(.forbidden, "api_key: required; an administrator issues one")
        }
        let client = try await services.open311Keys.client(apiKey: key)
        try checkJurisdiction(parameters["jurisdiction_id"], of: client)
        return client
    }

    /// A `jurisdiction_id` names an area by its division code; with a key it must be the key's.
    func checkJurisdiction(_ jurisdiction: String?, of client: Open311Client?) throws {
        guard let jurisdiction, !jurisdiction.isEmpty else { return }
        let known = client.map { $0.area.code == jurisdiction } ?? (services.directory.area(code: jurisdiction) != nil)
        guard known else { throw Open311Error(.notFound, "jurisdiction_id: \(jurisdiction) is not a jurisdiction this endpoint serves") }
    }
}
