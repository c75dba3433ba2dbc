public import Foundation

/// The stage of the flow whose deadline is running (DOMAIN.md §4): acceptance until the centre
/// accepts, signing until the assignee signs for it, handling until it is fed back.
public enum DeadlineStage: String, Codable, Sendable, CaseIterable {
    case acceptance, signing, handling

    /// The stage a case in `status` is in, or nil when no clock runs (handled and after).
    public init?(status: CaseStatus) {
        switch status {
        case .reported: self = .acceptance
        case .assigned: self = .signing
        case .accepted, .inProgress: self = .handling
        default: return nil
        }
    }

    /// The category's limit for this stage.
    public func limit(in category: Category) -> TimeLimit {
        switch self {
        case .acceptance: category.acceptanceLimit
        case .signing: category.signingLimit
        case .handling: category.handlingLimit
        }
    }
}

/// Traffic light of a running clock: green below the yellow share of the limit, yellow from
/// there to the due time, red past it.
public enum ClockColour: String, Codable, Sendable, CaseIterable, Comparable {
    case green, yellow, red

    private var rank: Int {
        switch self {
        case .green: 0
        case .yellow: 1
        case .red: 2
        }
    }

    public static func < (lhs: ClockColour, rhs: ClockColour) -> Bool { lhs.rank < rhs.rank }

    /// The colour at `now` of a limit running from `startedAt` to `dueAt`.
    public init(at now: Date, startedAt: Date, dueAt: Date, yellowShare: Double) {
        if now >= dueAt {
            self = .red
        } else if now >= startedAt.addingTimeInterval(dueAt.timeIntervalSince(startedAt) * yellowShare) {
            self = .yellow
        } else {
            self = .green
        }
    }
}

/// One stage's clock on a case: when it started, when it is due, and how much is used.
public struct CaseClock: Codable, Sendable, Hashable {
    public var stage: DeadlineStage
    public var startedAt: Date
    public var dueAt: Date
    /// Share of the limit after which the clock turns yellow; 0.8 by default (DOMAIN.md §4).
    public var yellowShare: Double

    public init(stage: DeadlineStage, startedAt: Date, dueAt: Date, yellowShare: Double = 0.8) {
        self.stage = stage
        self.startedAt = startedAt
        self.dueAt = dueAt
        self.yellowShare = yellowShare
    }

    /// The moment the clock turns yellow.
    public var yellowAt: Date {
        startedAt.addingTimeInterval(dueAt.timeIntervalSince(startedAt) * yellowShare)
    }

    public func colour(at now: Date) -> ClockColour {
        ClockColour(at: now, startedAt: startedAt, dueAt: dueAt, yellowShare: yellowShare)
    }

    /// Seconds used and left (negative when overdue) at `now`.
    public func used(at now: Date) -> TimeInterval { now.timeIntervalSince(startedAt) }
    public func left(at now: Date) -> TimeInterval { dueAt.timeIntervalSince(now) }

    /// Share of the limit used at `now`; above 1 when overdue.
    public func share(at now: Date) -> Double {
        let total = dueAt.timeIntervalSince(startedAt)
        return total > 0 ? used(at: now) / total : 1
    }
}
