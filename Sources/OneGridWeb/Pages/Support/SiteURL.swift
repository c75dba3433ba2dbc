import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// Every path of the pages, in one place: routes are registered from it and links are built
/// from it, so a link can never point at a page that does not exist. Who may open each page is
/// data here, enforced by `PageRouter` before any handler runs.
enum SiteURL: Equatable {
    /// A path parameter: `.key` where a route is registered, `.value` where a link is built.
    enum ID: Equatable {
        case key
        case value(Int64)
    }

    case home
    case signIn, signOut, posts
    case queue, queueActions, queueLive, queueExport
    case caseDetail(ID), caseAction(ID), caseReveal(ID)
    case attachment(ID, sha256: String)
    case commandRoom, commandRoomLive, commandRoomExport, intake, administration
    case intakeProposals, receipt(ID)
    case adminUsers, adminUser(ID)
    case adminAreas, adminArea(ID), adminGridUpload
    case adminDepartments, adminDepartment(ID)
    case adminCategories, adminCategory(ID), adminClassifier, adminPublicCategories
    case adminDeadlines, adminWebhooks, adminWebhook(ID)
    case adminMediation, adminMediationBody(ID), adminMajorDisputes
    // Petitions (信访): the clerk's desk, a petition's page, its steps and its printed documents.
    case petitionDesk, petitionDetail(ID), petitionStep(ID), petitionRepeat(ID), petitionNotice(ID), petitionReply(ID)
    // Mediation; a dispute's `ID` is its case's.
    case mediationDesk, dispute(ID), disputeStep(ID), disputeReveal(ID), disputeAgreement(ID)
    // Notices (通知公告) published down the hierarchy.
    case notices, noticeNew, notice(ID), noticeAnswer(ID)
    // A village's points scheme (积分制).
    case points, pointsRules, pointsEntries
    // The grid worker's phone pages: an installable app under its own prefix, which is the
    // service worker's scope.
    case field, fieldReport, fieldVerify(ID), fieldOutbox, fieldProposals, fieldSession, fieldServiceWorker, fieldManifest
    // The grid's base data and visits.
    case residents, resident(ID), residentReveal(ID), residentsImport, residentsExport, visitsOverdue
    // The grid worker's visits on the phone.
    // A visit's form is a path of its own, so the phone keeps each household's for use without signal.
    case fieldVisits, fieldVisitNew(ID, subject: BaseSubject?)
    // The grid worker's daily screening round on the phone.
    case fieldScreening
    // The citizen's portal, open to everyone: a report, its follow link (a token, not an id), the
    // city's reports; and the dispatcher's mark of a portal report as abuse.
    case citizenReport, citizenReports, follow(String), followRating(String), followLookAgain(String), caseAbuse(ID)
    // The risk picture (四情三色): the map and lists, a matter's colour and history, and the
    // administrator's rules.
    case risk, riskLive, riskExport, riskMatter(ID), riskFollowUp(ID), riskLower(ID), adminRisk
    // A county's weekly stability reports: the list, one week's report (`week` as "2026-W48",
    // nil where a route is registered) and its CSV.
    case riskReports, riskReport(ID, week: String?), riskReportExport(ID, week: String?)
    // Assessment (考核): the tables, a unit's score sheet, cards, the settings, closing a period;
    // and grid workers' figures.
    case assessment, assessmentSheet, assessmentCards, assessmentSettings, assessmentClose, gridWork
    case asset(String)
    // Dispute screening (排查): the rounds and overdue areas, one round with its risks found.
    case screening, screeningRound(ID)

    /// The roles the centres' pages serve: a citizen reports and follows through Open311 and
    /// the citizen's pages, not these.
    static let staff: Set<Role> = Set(Role.allCases).subtracting([.citizen])

    var path: String {
        switch self {
        case .home: "/"
        case .signIn: "/signin"
        case .signOut: "/signout"
        case .posts: "/posts"
        case .queue: "/queue"
        case .queueActions: "/queue/actions"
        case .queueLive: "/queue/live"
        case .queueExport: "/queue/export"
        case .caseDetail(let id): "/cases/\(id.segment)"
        case .caseAction(let id): "/cases/\(id.segment)/actions"
        case .caseReveal(let id): "/cases/\(id.segment)/reveal"
        case .attachment(let id, let sha): "/cases/\(id.segment)/attachments/\(id == .key ? ":sha" : sha)"
        case .commandRoom: "/command-room"
        case .commandRoomLive: "/command-room/live"
        case .commandRoomExport: "/command-room/export"
        case .intake: "/intake"
        case .intakeProposals: "/intake/proposals"
        case .receipt(let id): "/intake/receipts/\(id.segment)"
        case .administration: "/administration"
        case .adminUsers: "/administration/users"
        case .adminUser(let id): "/administration/users/\(id.segment)"
        case .adminAreas: "/administration/areas"
        case .adminArea(let id): "/administration/areas/\(id.segment)"
        case .adminGridUpload: "/administration/grids"
        case .adminDepartments: "/administration/departments"
        case .adminDepartment(let id): "/administration/departments/\(id.segment)"
        case .adminCategories: "/administration/categories"
        case .adminCategory(let id): "/administration/categories/\(id.segment)"
        case .adminClassifier: "/administration/classifier"
        case .adminPublicCategories: "/administration/categories/public"
        case .adminDeadlines: "/administration/deadlines"
        case .adminWebhooks: "/administration/webhooks"
        case .adminWebhook(let id): "/administration/webhooks/\(id.segment)"
        case .adminMediation: "/administration/mediation"
        case .adminMediationBody(let id): "/administration/mediation/\(id.segment)"
        case .adminMajorDisputes: "/administration/major-disputes"
        case .petitionDesk: "/petitions"
        case .petitionDetail(let id): "/petitions/\(id.segment)"
        case .petitionStep(let id): "/petitions/\(id.segment)/steps"
        case .petitionRepeat(let id): "/petitions/\(id.segment)/repeat"
        case .petitionNotice(let id): "/petitions/\(id.segment)/notice"
        case .petitionReply(let id): "/petitions/\(id.segment)/reply"
        case .mediationDesk: "/mediation"
        case .dispute(let id): "/disputes/\(id.segment)"
        case .disputeStep(let id): "/disputes/\(id.segment)/steps"
        case .disputeReveal(let id): "/disputes/\(id.segment)/reveal"
        case .disputeAgreement(let id): "/disputes/\(id.segment)/agreement"
        case .notices: "/notices"
        case .noticeNew: "/notices/new"
        case .notice(let id): "/notices/\(id.segment)"
        case .noticeAnswer(let id): "/notices/\(id.segment)/answer"
        case .points: "/points"
        case .pointsRules: "/points/rules"
        case .pointsEntries: "/points/entries"
        case .field: "/field"
        case .fieldReport: "/field/report"
        case .fieldVerify(let id): "/field/cases/\(id.segment)/verify"
        case .fieldOutbox: "/field/outbox"
        case .fieldProposals: "/field/proposals"
        case .fieldSession: "/field/session"
        case .fieldServiceWorker: "/field/sw.js"
        case .fieldManifest: "/field/manifest.webmanifest"
        case .fieldVisits: "/field/visits"
        case .fieldScreening: "/field/screening"
        case .fieldVisitNew(let id, let subject): "/field/visits/\(subject?.rawValue ?? ":subject")/\(id.segment)"
        case .residents: "/residents"
        case .resident(let id): "/residents/\(id.segment)"
        case .residentReveal(let id): "/residents/\(id.segment)/reveal"
        case .residentsImport: "/residents/import"
        case .residentsExport: "/residents/export"
        case .visitsOverdue: "/visits/overdue"
        case .citizenReport: "/report"
        case .citizenReports: "/reports"
        case .follow(let token): "/follow/\(token)"
        case .followRating(let token): "/follow/\(token)/rating"
        case .followLookAgain(let token): "/follow/\(token)/look-again"
        case .caseAbuse(let id): "/cases/\(id.segment)/abuse"
        case .risk: "/risk"
        case .riskLive: "/risk/live"
        case .riskExport: "/risk/export"
        case .riskMatter(let id): "/risk/matters/\(id.segment)"
        case .riskFollowUp(let id): "/risk/matters/\(id.segment)/follow-up"
        case .riskLower(let id): "/risk/matters/\(id.segment)/lower"
        case .adminRisk: "/administration/risk"
        case .riskReports: "/risk/reports"
        case .riskReport(let id, let week): "/risk/reports/\(id.segment)/\(week ?? ":week")"
        case .riskReportExport(let id, let week): "/risk/reports/\(id.segment)/\(week ?? ":week")/csv"
        case .assessment: "/assessment"
        case .assessmentSheet: "/assessment/sheet"
        case .assessmentCards: "/assessment/cards"
        case .assessmentSettings: "/assessment/settings"
        case .assessmentClose: "/assessment/close"
        case .gridWork: "/grid-work"
        case .asset(let name): "/assets/\(name)"
        case .screening: "/screening"
        case .screeningRound(let id): "/screening/\(id.segment)"
        }
    }

    /// The path with a query, for links that keep filters.
    func with(_ query: [(String, String)]) -> String {
        let items = query.filter { !$0.1.isEmpty }
        guard !items.isEmpty else { return path }
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is a space in forms; spell it out so a query keeps it.
        return path + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    var access: RouteAccess {
        switch self {
        // The service worker and the manifest hold nothing of anyone's: a browser fetches them
        // without asking, also after the session ended.
        case .signIn, .asset, .fieldServiceWorker, .fieldManifest, .citizenReport, .citizenReports, .follow, .followRating, .followLookAgain: .open
        case .field, .fieldReport, .fieldVerify, .fieldOutbox, .fieldProposals, .fieldSession, .fieldScreening: .signedIn([.gridWorker])
        case .home, .signOut, .posts, .queue, .queueLive, .queueExport, .caseDetail, .caseAction, .attachment: .signedIn(Self.staff)
        case .queueActions, .caseAbuse: .signedIn([.dispatcher])
        case .caseReveal: .signedIn(CaseReading.revealers)
        case .commandRoom, .commandRoomLive, .commandRoomExport: .signedIn([.leader, .dispatcher])
        case .intake, .intakeProposals, .receipt: .signedIn(Role.reporters.subtracting([.citizen]))
        case .administration, .adminUsers, .adminUser, .adminAreas, .adminArea, .adminGridUpload, .adminDepartments, .adminDepartment,
            .adminCategories, .adminCategory, .adminClassifier, .adminPublicCategories, .adminDeadlines, .adminWebhooks, .adminWebhook, .adminMediation,
            .adminMediationBody, .adminMajorDisputes, .adminRisk:
            .signedIn([.administrator])
        case .petitionDesk, .petitionStep, .petitionRepeat: .signedIn(Petitions.clerks)
        case .petitionDetail, .petitionNotice, .petitionReply: .signedIn(Petitions.readers)
        case .mediationDesk: .signedIn([.mediator])
        // Who of these sees which dispute is `DisputePolicy`'s: the body's mediators, the area's dispatchers.
        case .dispute, .disputeStep, .disputeReveal, .disputeAgreement: .signedIn([.mediator, .dispatcher])
        case .notices, .notice, .noticeAnswer: .signedIn(Self.staff)
        case .noticeNew: .signedIn(NoticeDraft.publishers)
        // Which village each may read or write is `PointsPolicy`'s.
        case .points: .signedIn([.dispatcher, .gridWorker, .leader, .administrator])
        case .pointsRules: .signedIn([.dispatcher])
        case .pointsEntries: .signedIn([.dispatcher, .gridWorker])
        // Who sees which people is `BaseDataPolicy`'s: the area of the post, the kinds granted it.
        case .residents, .resident, .residentsExport: .signedIn(Self.staff)
        case .residentReveal: .signedIn(BaseDataPolicy.revealers)
        case .residentsImport: .signedIn(BaseDataPolicy.editors)
        case .fieldVisits, .fieldVisitNew: .signedIn(BaseDataPolicy.visitors)
        case .visitsOverdue: .signedIn(Self.staff.subtracting([.departmentHandler]))
        // Which area and matter each sees is `RiskWatch`'s: the post's area, as for cases.
        case .risk, .riskLive, .riskExport, .riskMatter, .riskReports, .riskReport, .riskReportExport: .signedIn(RiskWatch.readers)
        case .riskFollowUp, .riskLower: .signedIn(RiskWatch.followers)
        // Which rounds each sees is `ScreeningRounds`': those of the post's area.
        case .screening, .screeningRound: .signedIn(ScreeningRounds.readers)
        case .assessment, .assessmentSheet: .signedIn(Assessment.readers)
        case .assessmentCards: .signedIn(Assessment.cardGivers)
        case .assessmentSettings, .assessmentClose: .signedIn(Assessment.administrators)
        case .gridWork: .signedIn(Self.staff.subtracting([.departmentHandler]))
        }
    }

    /// The page a post starts on after signing in.
    static func home(of role: Role) -> SiteURL {
        switch role {
        case .leader: .commandRoom
        case .windowClerk, .hotlineAgent: .intake
        case .administrator: .administration
        case .mediator: .mediationDesk
        case .gridWorker: .field
        case .dispatcher, .departmentHandler, .citizen: .queue
        }
    }
}

extension SiteURL.ID {
    var segment: String {
        switch self {
        case .key: ":id"
        case .value(let id): String(id)
        }
    }
}

extension RouteAccess {
    func allows(_ role: Role) -> Bool {
        switch self {
        case .open: true
        case .signedIn(let roles): roles.contains(role)
        }
    }
}
