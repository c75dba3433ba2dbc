import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// What every phone page shows around its content: a slim bar with the grid's name, the
/// outbox and the language switch, and the scripts and styles of the app shell. No nav of the
/// desks: a thumb reaches three things, not ten.
struct FieldLayout {
    var language: Language
    var lang: String
    var title: String
    var grid: String
    var userName: String
    var formToken: String
    var csrfField = CSRFMiddleware.field
    var homeURL = SiteURL.field.path
    var outboxURL = SiteURL.fieldOutbox.path
    var signOutURL = SiteURL.signOut.path
    var sessionURL = SiteURL.fieldSession.path
    var manifestURL = SiteURL.fieldManifest.path
    var serviceWorkerURL = SiteURL.fieldServiceWorker.path
    var otherLanguageURL: String
    var otherLanguageName: String
    var stylesheet: String
    var script: String
    /// The page's own scripts beside the shell's (the report's photo and place modules).
    var pageScripts: [String] = []
    /// The words the script shows (the outbox's states, the form's hints), in the page's language.
    var stringsJSON: String

    /// The script's words by the name it uses, from the `field` strings.
    static let scriptStrings: [String: String] = [
        "waiting": "state.waiting", "sending": "state.sending", "sent": "state.sent", "refused": "state.refused",
        "signin": "state.signin", "report": "kind.report", "verify": "kind.verify", "delete": "outbox.delete",
        "caseNumber": "outbox.caseNumber", "photos": "outbox.photos", "shrinking": "report.shrinking",
        "photoFailed": "report.photoFailed", "locating": "report.locating", "inGrid": "report.inGrid",
        "outsideGrid": "report.outsideGrid", "noPosition": "report.noPosition", "recording": "report.recording",
        "record": "report.record", "stop": "report.stop", "removePhoto": "report.removePhoto", "needTitle": "report.needTitle",
        "needCategory": "report.needCategory", "needResult": "verify.needResult", "needSolvedNote": "report.needSolvedNote",
        "saveFailed": "saveFailed", "visit": "kind.visit", "needWhom": "visits.needWhom", "needFindings": "visits.needFindings",
        "visitLogged": "visits.logged",
    ]

    init(title: String, request: Request, context: SignedInPageContext, renderer: PageRenderer) {
        let language = context.page.language
        let t = renderer.translation(language)
        let post = context.principal.post
        self.language = language
        lang = language.code
        self.title = title
        grid = renderer.services.directory.areas[post.areaID]?.name ?? ""
        userName = context.principal.user.displayName
        formToken = context.page.formToken
        otherLanguageURL = request.uri.path + "?lang=" + language.other.code
        otherLanguageName = t.text("language.\(language.other.code)")
        let words = Self.scriptStrings.mapValues { t.text("field." + $0) }
        let json = (try? JSONSerialization.data(withJSONObject: words, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Inside a script element: a "</" in a string must not end it.
        stringsJSON = json.replacingOccurrences(of: "</", with: "<\\/")
        stylesheet = renderer.assets.url("field/field.css")
        script = renderer.assets.url("field/field.js")
    }
}

/// `/field`: the grid's open cases by their clocks, what waits for this worker's verification,
/// and what they watch after a dual dispatch.
struct FieldHome {
    struct Row {
        var href: String
        var number: String
        var title: String
        var status: String
        var clock: ClockBadge
    }

    struct Section {
        var id: String
        var heading: String
        var rows: [Row]
        var none: String
        // Stored, not computed: the templates see stored fields only.
        var count: Int
        var any: Bool

        init(id: String, heading: String, rows: [Row], none: String) {
            self.id = id
            self.heading = heading
            self.rows = rows
            self.none = none
            count = rows.count
            any = !rows.isEmpty
        }
    }

    var reportURL = SiteURL.fieldReport.path
    var visitsURL = SiteURL.fieldVisits.path
    var screeningURL = SiteURL.fieldScreening.path
    /// The notices the centres above sent to this post, to read and acknowledge.
    var noticesURL = SiteURL.notices.path
    /// What waits for this worker's verification, what they watch, then the grid's open cases.
    var sections: [Section]
    var updated: String
}

/// `/field/report`: the report form; its script keeps what is made in the outbox and sends it.
struct FieldReport {
    var actionURL = SiteURL.fieldReport.path
    var proposalsURL = SiteURL.fieldProposals.path
    var categories: [IntakePage.Group]
    /// The grid and its neighbours in the village, as `OneGridPlace.map` draws them.
    var shapesJSON: String
    /// The categories a grid worker may solve on the spot.
    var solvableJSON: String
}

/// `/field/cases/{id}/verify`: a case fed back in the worker's grid, to pass or fail on the spot.
struct FieldVerify {
    var id: Int64
    var number: String
    var title: String
    var description: String
    var place: String
    var feedback: String
    var clock: ClockBadge
    var actionURL: String
    var caseURL: String
    var mayVerify: Bool
}

extension FieldReport {
    /// The grid worker solves on the spot what their own grid or village handles of the everyday
    /// kind; a dispute, a petition or a hazard goes to the centre, which has the procedure for it.
    static func solvableOnSpot(_ category: OneGridDomain.Category) -> Bool {
        category.kind == .general && category.handlingLevel >= .village
    }
}
