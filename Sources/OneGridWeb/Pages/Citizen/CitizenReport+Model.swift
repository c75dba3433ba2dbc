/// The citizen's report form (`/report`): what the problem is, a photo, where, the kind (or let
/// the text decide), an optional contact, and a small sum that tells a person from a script.
struct CitizenReportPage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Group {
        var label: String
        var choices: [Option]
    }

    /// The refusals, each beside its field, in plain words.
    struct Errors {
        var description: String?
        var category: String?
        var photos: String?
        var location: String?
        var phone: String?
        var name: String?
        var answer: String?
        var general: String?
    }

    var actionURL = SiteURL.citizenReport.path
    var description = ""
    var categories: [Group]
    var villages: [Group]
    var lat = ""
    var lng = ""
    var address = ""
    var name = ""
    var phone = ""
    var anonymous = true
    var question: String
    var challenge: String
    var errors = Errors()
    var hasErrors = false
    /// Too many reports from here lately, or blocked: the form is not shown, this is.
    var limited: String?
    var maxDescription: Int
    var maxPhotos: Int
}
