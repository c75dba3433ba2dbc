import Foundation
import Hummingbird

/// Every route of the API, in one place: the router registers from it and the OpenAPI document
/// is written against it, so a documented path cannot miss its handler or the other way round.
enum APIRoute: CaseIterable {
    case health
    case openAPI
    case session, sessionEnd, me, tokens
    case areas, area, categories, departments, locate
    case cases, caseCreate, caseDetail, caseActions, caseTimeline, caseReveal, caseDisclosures, caseDuplicates
    case calendar, calendarReplace, deadlineSettings, deadlineSettingsReplace
    case deadlineFigures
    case inbox, inboxRead
    case webhooks, webhookCreate, webhookDeliveries

    var method: HTTPRequest.Method {
        switch self {
        case .session, .tokens, .caseCreate, .caseActions, .caseReveal, .inboxRead: .post
        case .sessionEnd: .delete
        case .webhookCreate: .post
        case .calendarReplace, .deadlineSettingsReplace: .put
        default: .get
        }
    }

    /// The path as OpenAPI writes it, `{id}` for a parameter.
    var path: String {
        switch self {
        case .health: "/health"
        case .openAPI: "/api/v1/openapi.json"
        case .session, .sessionEnd: "/api/v1/session"
        case .me: "/api/v1/me"
        case .tokens: "/api/v1/tokens"
        case .areas: "/api/v1/areas"
        case .area: "/api/v1/areas/{id}"
        case .categories: "/api/v1/categories"
        case .departments: "/api/v1/departments"
        case .locate: "/api/v1/locate"
        case .cases, .caseCreate: "/api/v1/cases"
        case .caseDetail: "/api/v1/cases/{id}"
        case .caseActions: "/api/v1/cases/{id}/actions"
        case .caseTimeline: "/api/v1/cases/{id}/timeline"
        case .caseReveal: "/api/v1/cases/{id}/reveal"
        case .caseDisclosures: "/api/v1/cases/{id}/disclosures"
        case .caseDuplicates: "/api/v1/cases/{id}/duplicates"
        case .calendar, .calendarReplace: "/api/v1/calendar"
        case .deadlineSettings, .deadlineSettingsReplace: "/api/v1/settings/deadlines"
        case .deadlineFigures: "/api/v1/figures/deadlines"
        case .inbox: "/api/v1/inbox"
        case .inboxRead: "/api/v1/inbox/{id}/read"
        case .webhooks, .webhookCreate: "/api/v1/webhooks"
        case .webhookDeliveries: "/api/v1/webhooks/{id}/deliveries"
        }
    }

    /// The same path in Hummingbird's syntax, `:id`.
    var routerPath: RouterPath {
        RouterPath(path.replacingOccurrences(of: "{id}", with: ":id"))
    }

    /// Whether the route answers without a token.
    var isPublic: Bool {
        switch self {
        case .health, .openAPI, .session: true
        default: false
        }
    }
}

extension Router {
    @discardableResult
    func on<Output: ResponseGenerator>(
        _ route: APIRoute, use handler: @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        on(route.routerPath, method: route.method, use: handler)
    }
}

extension RequestContext {
    /// The `{id}` path parameter as a positive integer, or a 404 that names it.
    func pathID(_ what: String = "case") throws -> Int64 {
        guard let text = parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError(.notFound, code: .notFound, "\(what) \(parameters.get("id") ?? "") not found", field: "id")
        }
        return id
    }
}
