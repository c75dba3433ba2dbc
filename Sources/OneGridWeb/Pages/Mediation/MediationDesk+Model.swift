/// The mediator's desk (调解工作台): follow-ups falling due, sessions held this week and the
/// disputes of their bodies, the riskiest colour shown in words as well.
struct MediationDeskPage {
    struct Row {
        var href: String
        var caseID: Int64
        var summary: String
        var type: String
        var status: String
        var riskState: String
        var risk: String
        var parties: String
        var registered: String
        var followUpDue: String
    }

    struct SessionRow {
        var href: String
        var caseID: Int64
        var at: String
        var place: String
        var participants: String
    }

    struct DueRow {
        var href: String
        var caseID: Int64
        var due: String
        var overdue: Bool
    }

    var bodies: String
    var disputes: [Row]
    var sessions: [SessionRow]
    var due: [DueRow]
}
