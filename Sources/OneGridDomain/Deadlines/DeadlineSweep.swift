public import Foundation

/// What a running clock calls for (DOMAIN.md §4): at yellow an urge to the assignee (催办), at red
/// a supervision from the level above (督办), and, where the category allows, escalation of an
/// overdue handling stage one level up. Each happens once per clock.
public enum AlertKind: String, Codable, Sendable, CaseIterable, Comparable {
    case urge, supervise, escalate

    var rank: Int {
        switch self {
        case .urge: 0
        case .supervise: 1
        case .escalate: 2
        }
    }

    public static func < (lhs: AlertKind, rhs: AlertKind) -> Bool { lhs.rank < rhs.rank }
}

public enum DeadlineSweep {
    /// The alerts due at `now` on a clock that has already had `sent` (the highest one sent, or
    /// nil), in order. A clock found late gets every step it missed, urge first.
    public static func due(clock: CaseClock, sent: AlertKind?, escalates: Bool, now: Date) -> [AlertKind] {
        var alerts: [AlertKind] = []
        let colour = clock.colour(at: now)
        if colour >= .yellow { alerts.append(.urge) }
        if colour == .red {
            alerts.append(.supervise)
            if escalates && clock.stage == .handling { alerts.append(.escalate) }
        }
        return alerts.filter { sent == nil || $0 > sent! }
    }

    /// When the sweeper must next look at the clock: the yellow moment until the urge is sent,
    /// then the due time; nil once nothing more can follow.
    public static func nextAlertAt(clock: CaseClock, sent: AlertKind?, escalates: Bool) -> Date? {
        switch sent {
        case nil: clock.yellowAt
        case .urge?: clock.dueAt
        case .supervise?: escalates && clock.stage == .handling ? clock.dueAt : nil
        case .escalate?: nil
        }
    }
}
