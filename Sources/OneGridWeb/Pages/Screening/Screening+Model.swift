/// The screening page (矛盾纠纷排查): the areas whose round is due or overdue in the clock
/// colours with the state in words, the post's own round to record, and the rounds with the risks
/// they found, each linked to its dispute or opened as one.
struct ScreeningPage {
    struct DueRow {
        var area: String
        var level: String
        var last: String
        var due: String
        var colour: String
        var state: String
    }

    struct Finding {
        var number: Int
        var text: String
        var caseHref: String?
        var caseID: Int64?
        var openHref: String?
    }

    struct RoundRow {
        var href: String
        var area: String
        var level: String
        var doneAt: String
        var checked: String
        var findings: [Finding]
    }

    struct Notice {
        var kind: String
        var text: String
    }

    var heading: String
    var cadence: String
    var overdueCount: Int
    var due: [DueRow]
    /// The record form, for a post that keeps rounds.
    var recordURL: String?
    var refusal: String?
    var notice: Notice?
    var rounds: [RoundRow]
}

/// One round with the form that opens a risk found as a dispute case: the dispute's own
/// registration fields beside the risk, its category and, for a round above a grid, its grid.
struct ScreeningRoundPage {
    var round: ScreeningPage.RoundRow
    var recordedBy: String
    /// For a dispatcher while any risk is not yet a dispute.
    var registration: DisputePage.Registration?
    var open: [DisputePage.Choice]
    var categories: [DisputePage.Choice]
    /// The grids of the round's area, when the round was not a grid's.
    var grids: [DisputePage.Choice]
    var backURL = SiteURL.screening.path
}
