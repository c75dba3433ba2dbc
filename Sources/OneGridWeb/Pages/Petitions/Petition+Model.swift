import Foundation

/// One petition: its facts, its petitioners (masked unless the post may reveal them), its limits
/// in the clock colours, its log, the repeat candidates to confirm, and one form per step the
/// post's unit may take now.
struct PetitionPage {
    struct Fact {
        var label: String
        var value: String
    }

    struct Clock {
        var limit: String
        var article: String
        var unit: String
        var due: String
        var badge: ClockBadge
    }

    struct Entry {
        var what: String
        var at: String
        var unit: String
        var text: String?
    }

    struct Candidate {
        var caseID: Int64
        var href: String
        var similarity: String
        var shared: Int
    }

    struct StepForm {
        var step: String
        var id: String
        var title: String
        var hint: String
        var textField: String?
        var textLabel: String?
        var units: [PetitionDeskPage.Option]
        var unitField: String?
        var legalRoutes: [PetitionDeskPage.Option]
        var extends: Bool
    }

    var number: String
    var matter: String
    var stage: String
    var notice: String?
    var refused: Bool
    var facts: [Fact]
    var petitioners: [Fact]
    var clocks: [Clock]
    var entries: [Entry]
    var candidates: [Candidate]
    var repeatURL: String
    var stepURL: String
    var version: Int
    var forms: [StepForm]
    var caseURL: String
    var noticeURL: String?
    var replyURL: String?
}

/// A printed document of a petition, laid out on A4 like the receipt: the acceptance notice
/// (受理告知书) or the written reply (信访处理意见书), with the body's name, the document number,
/// and the signature and stamp blocks.
struct PetitionDocumentPage {
    var city: String
    var heading: String
    var number: String
    var addressee: String
    var body: String
    var lines: [PetitionPage.Fact]
    var rights: String
    var unit: String
    var date: String
    var backURL: String
}
