import Foundation
import OneGridApplication
import OneGridDomain

/// A county's weekly stability report (四情三色周报) as a document that prints on A4: the
/// county's colour and its towns', what changed colour in the week and why, the red and yellow
/// matters with owners and follow-ups as they stood at the week's end, the four situations
/// against their baselines, and the follow-ups done and overdue.
struct RiskReportPage {
    struct Change {
        var at: String
        var kind: String
        var name: String
        var href: String
        var place: String
        var from: String
        var fromState: String
        var to: String
        var toState: String
        var reasons: String
        var by: String
    }

    struct Situation {
        var name: String
        var count: String
        var expected: String
        var threshold: String
        var basis: String
        var above: Bool
        var verdict: String
    }

    var city: String
    var heading: String
    var number: String
    var period: String
    var issued: String
    var colour: RiskRow
    var summary: String
    var towns: [RiskRow]
    var changes: [Change]
    var matters: [RiskRow]
    var situations: [Situation]
    var followUpsDone: Int
    var followUpsOverdue: Int
    /// A stored field: the templates see no computed ones, and Mustache takes a 0 as true.
    var anyOverdue: Bool
    var compiler: String
    var listURL: String
    var exportURL: String
    var previousURL: String
    var nextURL: String?
}

/// A county's issued weekly reports, newest first, and the counties the post may switch between.
struct RiskReportsPage {
    struct County {
        var name: String
        var href: String
        var current: Bool
    }

    struct Item {
        var week: String
        var period: String
        var colour: String
        var colourLabel: String
        var issuedAt: String
        var href: String
        var exportURL: String
    }

    var heading: String
    var counties: [County]
    var items: [Item]
    var latestURL: String?
    var latest: String
    var backURL: String
}
