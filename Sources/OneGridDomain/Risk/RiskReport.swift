public import Foundation

/// A county's weekly stability report (四情三色周报), as issued when the week closed: the county's
/// and each town's colour at the week's end, what changed colour in the week and why, the red and
/// yellow matters with their owners and follow-ups, the four situations against their baselines,
/// and the follow-ups done and overdue. Issued once and kept as issued, so the report a leader
/// read is the report anyone reads later.
public struct RiskReport: Codable, Sendable, Hashable {
    /// One situation's count in the week with the baseline it was judged against.
    public struct Situation: Codable, Sendable, Hashable {
        public var situation: RiskSituation
        public var judgement: RiskBaseline.Judgement

        public init(situation: RiskSituation, judgement: RiskBaseline.Judgement) {
            self.situation = situation
            self.judgement = judgement
        }
    }

    /// A change of colour in the week, with the area its matter lies in.
    public struct Change: Codable, Sendable, Hashable {
        public var change: RiskColourChange
        public var areaID: Int64

        public init(change: RiskColourChange, areaID: Int64) {
            self.change = change
            self.areaID = areaID
        }
    }

    public var countyID: Int64
    public var week: RiskWeek
    public var issuedAt: Date
    public var county: RiskStanding
    /// The county's towns, in code order, each as it stood at the week's end.
    public var towns: [RiskStanding]
    /// The red and yellow disputes and petitions at the week's end: red first, then by due date.
    public var matters: [RiskStanding]
    /// The week's changes of colour in the county, areas and matters, oldest first.
    public var changes: [Change]
    public var situations: [Situation]
    /// Follow-ups recorded done within the week.
    public var followUpsDone: Int
    /// Follow-ups of areas and matters due by the week's end and not done by then.
    public var followUpsOverdue: Int

    public init(
        countyID: Int64, week: RiskWeek, issuedAt: Date, county: RiskStanding, towns: [RiskStanding], matters: [RiskStanding], changes: [Change],
        situations: [Situation], followUpsDone: Int, followUpsOverdue: Int
    ) {
        self.countyID = countyID
        self.week = week
        self.issuedAt = issuedAt
        self.county = county
        self.towns = towns
        self.matters = matters
        self.changes = changes
        self.situations = situations
        self.followUpsDone = followUpsDone
        self.followUpsOverdue = followUpsOverdue
    }
}

extension RiskStanding {
    /// An area never coloured: green since ever, without reasons or follow-up.
    public static func green(area id: Int64) -> RiskStanding {
        RiskStanding(
            matter: RiskMatter(kind: .area, id: id), areaID: id, colour: .green, reasons: [], since: Date(timeIntervalSince1970: 0), owner: nil,
            followUpDueAt: nil, version: 0)
    }

    /// The standing a change of colour gave, as it stood at `end`: the follow-up of `current`
    /// counts as done when it belongs to that change's colour (the same start) and was done by `end`.
    public static func asOf(_ end: Date, change: RiskColourChange, current: RiskStanding) -> RiskStanding {
        let sameColour = current.since == change.at
        let done = sameColour ? current.followUpDoneAt.flatMap { $0 < end ? $0 : nil } : nil
        return RiskStanding(
            matter: change.matter, areaID: current.areaID, colour: change.to, reasons: change.reasons, since: change.at, owner: change.owner,
            followUpDueAt: change.followUpDueAt, followUpDoneAt: done, followUpNote: done == nil ? nil : current.followUpNote, version: change.sequence)
    }
}
