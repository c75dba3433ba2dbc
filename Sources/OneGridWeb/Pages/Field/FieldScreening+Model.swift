/// `/field/screening`: the grid worker's daily screening round (排查) on the phone: whether
/// today's is due, the form for what was checked and found, and the grid's recent rounds with each
/// risk found and the dispute case the centre opened from it.
struct FieldScreeningPage {
    struct Round {
        var doneAt: String
        var checked: String
        var findings: [Finding]
    }

    struct Finding {
        var number: Int
        var text: String
        /// The dispute case opened from it, or nil while the centre has not yet.
        var caseHref: String?
        var caseLabel: String?
    }

    /// The round's state in words and in the clock colours (green: done for today).
    var state: String
    var stateColour: String
    /// Today's round is recorded: the page leads with what it found and folds the form away.
    var doneToday: Bool
    /// The last send was refused: the form stays open to correct it.
    var refused = false
    var last: String
    var actionURL = SiteURL.fieldScreening.path
    var notice: String?
    /// The refusal of the last send, beside the field it names.
    var checkedError: String?
    var findingsError: String?
    /// What was typed, kept when the server refused it.
    var checked = ""
    var findings = ""
    var rounds: [Round]
}
