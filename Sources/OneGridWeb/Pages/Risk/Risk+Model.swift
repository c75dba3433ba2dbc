import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore

/// One coloured matter as every risk list shows it, on the page and in its CSV: what and where,
/// its colour in words, why, who owns it, and its follow-up with the case clocks' colours.
struct RiskRow {
    var kind: String
    var name: String
    var href: String
    var place: String
    var colour: String
    var colourLabel: String
    var reasons: String
    var owner: String
    var since: String
    var due: String
    /// The follow-up's clock: `clock` partial's state, word and time left; nil when none is due.
    var clock: ClockBadge?
    var followUp: String
    var overdue: Bool

    /// The CSV columns, each titled by `risk.column.<name>`.
    static let columns = ["kind", "name", "place", "colour", "reasons", "owner", "since", "due", "followUp"]

    var cells: [String] { [kind, name, place, colourLabel, reasons, owner, since, due, followUp] }

    init(_ entry: RiskWatch.Entry, title: String?, directory: Directory, formats: PageFormats, yellowShare: Double) {
        let t = formats.t
        let standing = entry.standing
        let matter = standing.matter
        kind = t.text("risk.kind.\(matter.kind.rawValue)")
        name = matter.kind == .area ? directory.areas[matter.id]?.name ?? "" : title ?? Self.number(of: matter, t: t)
        href = SiteURL.riskMatter(.value(matter.id)).with([("kind", matter.kind.rawValue)])
        place = entry.lineage.filter { $0.level > .city }.map(\.name).joined(separator: " · ")
        colour = standing.colour.rawValue
        colourLabel = t.text("risk.colour.\(standing.colour.rawValue)")
        reasons = standing.reasons.map { Self.reason($0, t: t) }.joined(separator: "；")
        owner = standing.owner.map { Self.owner($0, directory: directory, t: t) } ?? "—"
        since = formats.dateTime(standing.since)
        due = standing.followUpDueAt.map(formats.dateTime) ?? "—"
        overdue = standing.isOverdue(at: formats.now)
        if let clock = standing.followUpClock(at: formats.now, yellowShare: yellowShare), let dueAt = standing.followUpDueAt {
            self.clock = ClockBadge(state: clock.rawValue, label: t.text("risk.followUpClock.\(clock.rawValue)"), detail: formats.timeLeft(until: dueAt))
        }
        followUp =
            if let done = standing.followUpDoneAt {
                t.text("risk.followUpDone", ["at": formats.dateTime(done), "note": standing.followUpNote ?? ""])
            } else if standing.followUpDueAt != nil {
                t.text(overdue ? "risk.followUpOverdue" : "risk.followUpPending")
            } else {
                "—"
            }
    }

    /// A matter without a title by its number: "案件 12", a household's "住户 7".
    static func number(of matter: RiskMatter, t: Translation) -> String {
        t.text(matter.kind == .household ? "risk.householdNumber" : "risk.caseNumber", ["id": String(matter.id)])
    }

    /// A reason in words: "警情超出基线（本周 17 起，预期 10.0，阈值 16.3）".
    static func reason(_ reason: RiskReason, t: Translation) -> String {
        var values: [String: String] = ["count": reason.count.map(String.init) ?? ""]
        if let situation = reason.situation { values["situation"] = t.text("risk.situation.\(situation.rawValue)") }
        if let expected = reason.expected { values["expected"] = String(format: "%.1f", expected) }
        if let threshold = reason.threshold { values["threshold"] = String(format: "%.1f", threshold) }
        return t.text("risk.rule.\(reason.rule.rawValue)", values)
    }

    /// "领导 · 城关镇（集体会商）" for red, "调度员 · 东村" for yellow.
    static func owner(_ owner: RiskOwner, directory: Directory, t: Translation) -> String {
        t.text("risk.owner.\(owner.role.rawValue)", ["area": directory.areas[owner.areaID]?.name ?? ""])
    }
}

/// The risk picture of one area the post covers: its areas one level down on the map, coloured,
/// each a link one level further down; its red and yellow matters with owners and follow-ups;
/// and the warnings the post received.
struct RiskPage {
    struct Crumb {
        var name: String
        var href: String?
    }

    struct Warning {
        var text: String
        var href: String
        var unread: Bool
    }

    var heading: String
    var level: String
    var crumbs: [Crumb]
    var colour: RiskRow?
    var map: String
    var children: [RiskRow]
    var childLevel: String?
    var matters: [RiskRow]
    var counts: String
    var warnings: [Warning]
    var exportURL: String
    /// The county's weekly reports, for a post over a county.
    var reportsURL: String?
    /// The area's event stream: the page redraws itself when a judgement changes a colour, so a
    /// new red shows on a leader's open page within seconds.
    var liveURL: String
    var pageURL = SiteURL.risk.path

    static func link(_ area: Area) -> String { SiteURL.risk.with([("area", String(area.id))]) }
}

/// One matter's colour: why, who owns it, its follow-up, every change of colour with its reasons,
/// and the forms that record the follow-up and bring the colour down.
struct RiskMatterPage {
    struct Change {
        var at: String
        var from: String
        var to: String
        var toState: String
        var reasons: String
        var owner: String
        var due: String
        var note: String
        var by: String
    }

    struct Option {
        var value: String
        var label: String
    }

    var heading: String
    var row: RiskRow
    var caseURL: String?
    var history: [Change]
    var mayFollowUp: Bool
    var mayLower: Bool
    var lowerOptions: [Option]
    var followUpURL: String
    var lowerURL: String
    var kind: String
    var version: Int
    var typedNote: String
    var errors: [String: String]
    var message: String?
    var backURL: String
}
