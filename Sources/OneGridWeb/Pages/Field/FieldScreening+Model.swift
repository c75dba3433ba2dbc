/// `/field/screening`: the grid worker's daily screening round (排查) on the phone: whether
/// today's is due, the form for what was checked and found, and the grid's recent rounds with each
/// risk found and the dispute case the centre opened from it.
struct FieldScreeningPage {
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
    /// The grid's rounds as the desk's screening page lists them, each risk's link to its case's
    /// page (a grid worker reads the case, not the mediation file).
    var rounds: [ScreeningPage.RoundRow]
}
