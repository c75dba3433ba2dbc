import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Every route of the JSON API, in one place: the router registers from it, the OpenAPI document
/// is written against it, and who may call each is data here, enforced by `RoutePolicyMiddleware`
/// before any handler runs.
enum APIRoute: CaseIterable {
    case openAPI
    case session, sessionEnd, me, tokens
    case areas, area, categories, categoryProposals, departments, locate
    case cases, caseExport, caseCreate, caseDetail, caseActions, caseTimeline, caseReveal, caseDisclosures, caseDuplicates
    case calendar, calendarReplace, deadlineSettings, deadlineSettingsReplace
    case deadlineFigures, figureOverview, liveCases
    case inbox, inboxRead
    case webhooks, webhookCreate, webhookDeliveries
    case open311Keys, open311KeyIssue, open311KeyRevoke
    // Petitions (信访): their own block, so other procedures' routes merge beside it.
    case petitionDesk, petitionRegister, petitionMisses, petitionLimits, petitionLimitsReplace
    case petitionDetail, petitionStep, petitionRepeats, petitionRepeatLink
    // Mediation of dispute cases; `{id}` is the dispute's case.
    case disputeDesk, disputeDetail, disputeRegister, disputeSteps, disputeReveal, disputeBodies
    // The administrator's mediation bodies and major-dispute thresholds.
    case mediationBodies, mediationBodyCreate, mediationBody, mediationBodyRename, mediationBodyRetire
    case mediationBodyMemberAdd, mediationBodyMemberRemove, majorDisputeRule, majorDisputeRuleReplace
    // Notices (通知公告) published down the hierarchy.
    case notices, noticePublish, noticesSent, noticeDetail, noticeAnswer
    // The 12345 hotline's contract (docs/hotline.md).
    case hotlineTicketCreate, hotlineTicket
    // The data brain's feeds: 110 incidents and public opinion.
    case feedPoliceIncidents, feedPublicOpinion, feedItems, feedCounts, feedItemLink
    // The grid's base data and visits (一口采集、多口使用).
    case residents, resident, residentReveal, visitsDue, visitLog
    // Dispute screening rounds (排查), their cadence, and mediation's and petitions' figures.
    case screeningRounds, screeningRoundRecord, screeningRound, screeningRoundDispute, screeningCadence, screeningCadenceReplace
    case figureProcedures
    // Assessment (考核) and grid workers' figures.
    case assessment, assessmentSheet, assessmentSettings, assessmentSettingsReplace, assessmentClose, assessmentCards, gridWorkFigures
    // The risk picture (四情三色): areas' colours and red and yellow matters, a matter's colour
    // history, and a county's weekly report.
    case riskPicture, riskMatter, riskReport

    /// Spelled out for every route: a route added without its method does not compile, instead
    /// of silently answering GET.
    var method: HTTPRequest.Method {
        switch self {
        case .session, .tokens, .caseCreate, .caseActions, .caseReveal, .inboxRead, .webhookCreate, .open311KeyIssue: .post
        case .sessionEnd, .open311KeyRevoke: .delete
        case .calendarReplace, .deadlineSettingsReplace: .put
        case .petitionRegister, .petitionStep, .petitionRepeatLink: .post
        case .petitionLimitsReplace: .put
        case .petitionDesk, .petitionMisses, .petitionLimits, .petitionDetail, .petitionRepeats: .get
        case .openAPI, .me, .areas, .area, .categories, .categoryProposals, .departments, .locate, .cases, .caseExport, .caseDetail, .caseTimeline,
            .caseDisclosures, .caseDuplicates, .calendar, .deadlineSettings, .deadlineFigures, .figureOverview, .liveCases, .inbox, .webhooks,
            .webhookDeliveries, .open311Keys:
            .get
        case .disputeRegister, .disputeSteps, .disputeReveal: .post
        case .disputeDesk, .disputeDetail, .disputeBodies: .get
        case .mediationBodies, .mediationBody, .majorDisputeRule: .get
        case .mediationBodyCreate, .mediationBodyMemberAdd: .post
        case .mediationBodyRename, .majorDisputeRuleReplace: .put
        case .mediationBodyRetire, .mediationBodyMemberRemove: .delete
        case .notices, .noticesSent, .noticeDetail: .get
        case .noticePublish, .noticeAnswer: .post
        case .hotlineTicketCreate: .post
        case .hotlineTicket: .get
        case .feedPoliceIncidents, .feedPublicOpinion, .feedItemLink: .post
        case .feedItems, .feedCounts: .get
        case .residents, .resident, .visitsDue: .get
        case .residentReveal, .visitLog: .post
        case .screeningRounds, .screeningRound, .screeningCadence, .figureProcedures: .get
        case .screeningRoundRecord, .screeningRoundDispute: .post
        case .screeningCadenceReplace: .put
        case .riskPicture, .riskMatter, .riskReport: .get
        case .assessment, .assessmentSheet, .assessmentSettings, .gridWorkFigures: .get
        case .assessmentSettingsReplace: .put
        case .assessmentClose, .assessmentCards: .post
        }
    }

    /// The path as OpenAPI writes it, `{id}` for a parameter.
    var path: String {
        switch self {
        case .openAPI: "/api/v1/openapi.json"
        case .session, .sessionEnd: "/api/v1/session"
        case .me: "/api/v1/me"
        case .tokens: "/api/v1/tokens"
        case .areas: "/api/v1/areas"
        case .area: "/api/v1/areas/{id}"
        case .categories: "/api/v1/categories"
        case .categoryProposals: "/api/v1/categories/proposals"
        case .departments: "/api/v1/departments"
        case .locate: "/api/v1/locate"
        case .cases, .caseCreate: "/api/v1/cases"
        case .caseExport: "/api/v1/cases/export"
        case .caseDetail: "/api/v1/cases/{id}"
        case .caseActions: "/api/v1/cases/{id}/actions"
        case .caseTimeline: "/api/v1/cases/{id}/timeline"
        case .caseReveal: "/api/v1/cases/{id}/reveal"
        case .caseDisclosures: "/api/v1/cases/{id}/disclosures"
        case .caseDuplicates: "/api/v1/cases/{id}/duplicates"
        case .calendar, .calendarReplace: "/api/v1/calendar"
        case .deadlineSettings, .deadlineSettingsReplace: "/api/v1/settings/deadlines"
        case .deadlineFigures: "/api/v1/figures/deadlines"
        case .figureOverview: "/api/v1/figures/overview"
        case .liveCases: "/api/v1/live/cases"
        case .inbox: "/api/v1/inbox"
        case .inboxRead: "/api/v1/inbox/{id}/read"
        case .webhooks, .webhookCreate: "/api/v1/webhooks"
        case .webhookDeliveries: "/api/v1/webhooks/{id}/deliveries"
        case .open311Keys, .open311KeyIssue: "/api/v1/admin/open311-keys"
        case .open311KeyRevoke: "/api/v1/admin/open311-keys/{id}"
        case .petitionDesk, .petitionRegister: "/api/v1/petitions"
        case .petitionMisses: "/api/v1/petitions/misses"
        case .petitionLimits, .petitionLimitsReplace: "/api/v1/petitions/limits"
        case .petitionDetail: "/api/v1/petitions/{id}"
        case .petitionStep: "/api/v1/petitions/{id}/steps"
        case .petitionRepeats: "/api/v1/petitions/{id}/repeats"
        case .petitionRepeatLink: "/api/v1/petitions/{id}/repeat"
        case .disputeDesk: "/api/v1/disputes"
        case .disputeDetail, .disputeRegister: "/api/v1/disputes/{id}"
        case .disputeSteps: "/api/v1/disputes/{id}/steps"
        case .disputeReveal: "/api/v1/disputes/{id}/reveal"
        case .disputeBodies: "/api/v1/disputes/{id}/bodies"
        case .mediationBodies, .mediationBodyCreate: "/api/v1/admin/mediation-bodies"
        case .mediationBody, .mediationBodyRename, .mediationBodyRetire: "/api/v1/admin/mediation-bodies/{id}"
        case .mediationBodyMemberAdd, .mediationBodyMemberRemove: "/api/v1/admin/mediation-bodies/{id}/members"
        case .majorDisputeRule, .majorDisputeRuleReplace: "/api/v1/admin/major-dispute-rule"
        case .notices, .noticePublish: "/api/v1/notices"
        case .noticesSent: "/api/v1/notices/sent"
        case .noticeDetail: "/api/v1/notices/{id}"
        case .noticeAnswer: "/api/v1/notices/{id}/answer"
        case .hotlineTicketCreate, .hotlineTicket: "/api/v1/hotline/tickets"
        case .feedPoliceIncidents: "/api/v1/feeds/police-incidents"
        case .feedPublicOpinion: "/api/v1/feeds/public-opinion"
        case .feedItems: "/api/v1/feeds/items"
        case .feedCounts: "/api/v1/feeds/counts"
        case .feedItemLink: "/api/v1/feeds/items/{id}/case"
        case .residents: "/api/v1/residents"
        case .resident: "/api/v1/residents/{id}"
        case .residentReveal: "/api/v1/residents/{id}/reveal"
        case .visitsDue: "/api/v1/visits/due"
        case .visitLog: "/api/v1/visits"
        case .screeningRounds, .screeningRoundRecord: "/api/v1/screening-rounds"
        case .screeningRound: "/api/v1/screening-rounds/{id}"
        case .screeningRoundDispute: "/api/v1/screening-rounds/{id}/disputes"
        case .screeningCadence, .screeningCadenceReplace: "/api/v1/admin/screening-cadence"
        case .figureProcedures: "/api/v1/figures/procedures"
        case .assessment: "/api/v1/assessment"
        case .assessmentSheet: "/api/v1/assessment/sheet"
        case .assessmentSettings, .assessmentSettingsReplace: "/api/v1/assessment/settings"
        case .assessmentClose: "/api/v1/assessment/close"
        case .assessmentCards: "/api/v1/assessment/cards"
        case .gridWorkFigures: "/api/v1/figures/grid-work"
        case .riskPicture: "/api/v1/risk"
        case .riskMatter: "/api/v1/risk/matters/{id}"
        case .riskReport: "/api/v1/risk/reports/{id}"
        }
    }

    /// The same path in Hummingbird's syntax, `:id`.
    var routerPath: RouterPath {
        RouterPath(path.replacingOccurrences(of: "{id}", with: ":id"))
    }

    /// Who may call the route. Rules that depend on the case (which step a role may take on it,
    /// whether the post's area covers it) are the domain's, checked by the use case.
    var access: RouteAccess {
        switch self {
        case .openAPI, .session: .open
        // Proposals serve whoever writes a report.
        case .caseCreate, .categoryProposals: .signedIn(Role.reporters)
        case .caseReveal: .signedIn(CaseReading.revealers)
        case .caseDisclosures: .signedIn(CaseReading.disclosureReaders)
        case .calendarReplace, .deadlineSettingsReplace: .signedIn(DeadlineSettings.changedBy)
        // Figures are for posts that work on cases.
        case .deadlineFigures, .figureOverview: .signedIn(Set(Role.allCases).subtracting([.citizen]))
        // Webhooks send case data out of the platform: only an administrator sets them up.
        case .webhooks, .webhookCreate, .webhookDeliveries: .signedIn([.administrator])
        // Open311 keys let outside apps report and read cases: only an administrator issues them.
        case .open311Keys, .open311KeyIssue, .open311KeyRevoke: .signedIn([.administrator])
        case .petitionRegister, .petitionStep, .petitionRepeatLink: .signedIn(Petitions.clerks)
        case .petitionDesk, .petitionDetail, .petitionRepeats, .petitionLimits: .signedIn(Petitions.readers)
        case .petitionMisses: .signedIn(Petitions.missReaders)
        case .petitionLimitsReplace: .signedIn([.administrator])
        // A dispute is the business of its mediators and the centre that places it (`DisputePolicy`).
        case .disputeDesk: .signedIn([.mediator])
        case .disputeRegister, .disputeBodies: .signedIn([.dispatcher])
        case .disputeDetail, .disputeSteps, .disputeReveal: .signedIn([.mediator, .dispatcher])
        case .mediationBodies, .mediationBodyCreate, .mediationBody, .mediationBodyRename, .mediationBodyRetire, .mediationBodyMemberAdd,
            .mediationBodyMemberRemove, .majorDisputeRule, .majorDisputeRuleReplace:
            .signedIn([.administrator])
        case .noticePublish, .noticesSent: .signedIn(NoticeDraft.publishers)
        case .notices, .noticeDetail, .noticeAnswer: .signedIn(Set(Role.allCases).subtracting([.citizen]))
        // A hotline system speaks as a hotline agent's post, through a token of its own.
        case .hotlineTicketCreate, .hotlineTicket: .signedIn(Hotline.agents)
        case .feedPoliceIncidents, .feedPublicOpinion: .signedIn(Feeds.feeders)
        case .feedItems, .feedCounts: .signedIn(Feeds.readers)
        case .feedItemLink: .signedIn(Feeds.linkers)
        case .residents, .resident: .signedIn(Set(Role.allCases).subtracting([.citizen]))
        case .residentReveal: .signedIn(BaseDataPolicy.revealers)
        case .visitsDue, .visitLog: .signedIn(BaseDataPolicy.visitors)
        case .screeningRounds, .screeningRound: .signedIn(ScreeningRounds.readers)
        case .screeningRoundRecord: .signedIn(ScreeningRounds.recorders)
        // Only a centre's dispatcher opens a dispute's file (`DisputePolicy`).
        case .screeningRoundDispute: .signedIn([.dispatcher])
        case .screeningCadence, .screeningCadenceReplace: .signedIn([.administrator])
        case .figureProcedures: .signedIn(Set(Role.allCases).subtracting([.citizen]))
        case .assessment, .assessmentSheet, .assessmentSettings: .signedIn(Assessment.readers)
        case .assessmentSettingsReplace, .assessmentClose: .signedIn(Assessment.administrators)
        case .assessmentCards: .signedIn(Assessment.cardGivers)
        case .gridWorkFigures: .signedIn(Set(Role.allCases).subtracting([.citizen, .departmentHandler]))
        // Which area and matter each sees is `RiskWatch`'s: the post's area, as for cases.
        case .riskPicture, .riskMatter, .riskReport: .signedIn(RiskWatch.readers)
        case .sessionEnd, .me, .tokens, .areas, .area, .categories, .departments, .locate, .cases, .caseExport,
            .caseDetail, .caseActions, .caseTimeline, .caseDuplicates, .calendar, .deadlineSettings, .inbox, .inboxRead, .liveCases:
            .signedIn(Set(Role.allCases))
        }
    }
}

/// Who may call a route.
enum RouteAccess: Equatable {
    /// Anyone, signed in or not.
    case open
    /// A signed-in post holding one of these roles.
    case signedIn(Set<Role>)
}

/// The API's routes, registered each with its method, path and access rule: a handler for a
/// signed-in route receives a `SignedInContext`, so it cannot forget to check who is asking.
struct APIRouter {
    let group: RouterGroup<OneGridRequestContext>

    func on(_ route: APIRoute, use handler: @escaping @Sendable (Request, OneGridRequestContext) async throws -> some ResponseGenerator) {
        precondition(route.access == .open, "\(route) needs a signed-in handler")
        group.on(route.routerPath, method: route.method, use: handler)
    }

    func on(_ route: APIRoute, use handler: @escaping @Sendable (Request, SignedInContext) async throws -> some ResponseGenerator) {
        guard case .signedIn(let roles) = route.access else { preconditionFailure("\(route) is open: give it an open handler") }
        group.group(context: SignedInContext.self)
            .add(middleware: RolePolicyMiddleware(roles: roles, route: "\(route.method) \(route.path)"))
            .on(route.routerPath, method: route.method, use: handler)
    }
}

/// Refuses a post whose role the route does not serve, before the handler runs.
struct RolePolicyMiddleware: RouterMiddleware {
    typealias Context = SignedInContext
    let roles: Set<Role>
    let route: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let role = context.principal.post.role
        guard roles.contains(role) else {
            let allowed = Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
            throw APIError(.forbidden, code: .forbidden, "a \(role.rawValue) may not call \(route); it is for: \(allowed)")
        }
        return try await next(request, context)
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
