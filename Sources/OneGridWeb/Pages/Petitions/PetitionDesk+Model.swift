import Foundation

/// The petition clerk's desk: the open petitions the post's unit registered or holds, each with
/// its limits at a glance, and the registration form for a petition case.
struct PetitionDeskPage {
    struct Row {
        var href: String
        var number: String
        var matter: String
        var petitioners: String
        var collective: Bool
        var crossLevel: Bool
        var stage: String
        var received: String
        var clocks: [PetitionPage.Clock]
    }

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    var rows: [Row]
    var formURL = SiteURL.petitionDesk.path
    /// What was typed, kept when the form is refused.
    var caseID: String
    var forms: [Option]
    var classes: [Option]
    var levels: [Option]
    var headcount: String
    var petitioners: String
    var matter: String
    var bodies: String
    /// The refusal, by the field it is shown next to (`case`, `form`, `petitioners`, …).
    var errors: [String: String]
    var hasErrors: Bool
}
