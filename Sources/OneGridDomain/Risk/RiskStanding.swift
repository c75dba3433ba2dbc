public import Foundation

/// Who answers for a colour: red is led by the area's leader with joint consultation (集体会商),
/// yellow by the level's named person, the centre's dispatcher (DOMAIN.md §8).
public struct RiskOwner: Codable, Sendable, Hashable {
    public var role: Role
    public var areaID: Int64

    public init(role: Role, areaID: Int64) {
        self.role = role
        self.areaID = areaID
    }

    /// The owner of `colour` on a matter placed at `path` (its area at each level): an area owns
    /// its own colour; a dispute's or petition's red goes to its town, its yellow to its village.
    public static func of(_ colour: RiskColour, matter: RiskMatterKind, path: [AdminLevel: Int64], areaID: Int64) -> RiskOwner? {
        switch colour {
        case .green: return nil
        case .red: return RiskOwner(role: .leader, areaID: matter == .area ? areaID : path[.town] ?? areaID)
        case .yellow: return RiskOwner(role: .dispatcher, areaID: matter == .area ? areaID : path[.village] ?? areaID)
        }
    }
}

/// A matter's colour as it stands: why, who owns it, and its follow-up (回访) — due by when, and
/// whether done. A colour comes down only once its follow-up is recorded done.
public struct RiskStanding: Codable, Sendable, Hashable {
    public var matter: RiskMatter
    /// The area the matter lies in: the area itself, or the matter's grid.
    public var areaID: Int64
    public var colour: RiskColour
    public var reasons: [RiskReason]
    public var since: Date
    public var owner: RiskOwner?
    public var followUpDueAt: Date?
    public var followUpDoneAt: Date?
    public var followUpNote: String?
    /// Counts changes, so two people acting at once cannot both win.
    public var version: Int

    public init(
        matter: RiskMatter, areaID: Int64, colour: RiskColour, reasons: [RiskReason], since: Date, owner: RiskOwner?, followUpDueAt: Date?,
        followUpDoneAt: Date? = nil, followUpNote: String? = nil, version: Int = 1
    ) {
        self.matter = matter
        self.areaID = areaID
        self.colour = colour
        self.reasons = reasons
        self.since = since
        self.owner = owner
        self.followUpDueAt = followUpDueAt
        self.followUpDoneAt = followUpDoneAt
        self.followUpNote = followUpNote
        self.version = version
    }

    /// Whether the follow-up is due and not done at `now`.
    public func isOverdue(at now: Date) -> Bool {
        followUpDoneAt == nil && (followUpDueAt.map { now >= $0 } ?? false)
    }

    /// The follow-up's clock in the case clocks' colours: green, yellow from `yellowShare` of the
    /// time, red once overdue; nil when none is due or it is done.
    public func followUpClock(at now: Date, yellowShare: Double) -> ClockColour? {
        guard followUpDoneAt == nil, let due = followUpDueAt else { return nil }
        return ClockColour(at: now, startedAt: since, dueAt: due, yellowShare: yellowShare)
    }
}

/// What a judgement does to a matter's standing.
public enum RiskChange: Sendable, Hashable {
    /// The colour goes up (or a first colour is given): a new follow-up is due.
    case raise(RiskStanding)
    /// The colour comes down, its follow-up having been done.
    case lower(RiskStanding)
    /// Same colour, other reasons: the standing is brought up to date, no change of colour.
    case refresh(RiskStanding)
    /// The signals are gone but the follow-up is not done: the colour stays.
    case awaitingFollowUp

    public var standing: RiskStanding? {
        switch self {
        case .raise(let standing), .lower(let standing), .refresh(let standing): standing
        case .awaitingFollowUp: nil
        }
    }
}

extension RiskStanding {
    /// A new standing of `colour` from `now`, owned and with its follow-up due as the rules say.
    public static func new(
        _ matter: RiskMatter, areaID: Int64, path: [AdminLevel: Int64], reasons: [RiskReason], rules: RiskRules, at now: Date, version: Int
    ) -> RiskStanding {
        let colour = RiskReason.colour(of: reasons)
        return RiskStanding(
            matter: matter, areaID: areaID, colour: colour, reasons: reasons, since: now,
            owner: RiskOwner.of(colour, matter: matter.kind, path: path, areaID: areaID),
            followUpDueAt: rules.followUpDays(for: colour).map { now.addingTimeInterval(TimeInterval($0 * 86_400)) }, version: version)
    }

    /// What the rules' judgement `reasons` does to `current` (nil: green, never coloured): nil when
    /// nothing changes.
    public static func judge(
        _ current: RiskStanding?, matter: RiskMatter, areaID: Int64, path: [AdminLevel: Int64], reasons: [RiskReason], rules: RiskRules,
        at now: Date
    ) -> RiskChange? {
        let colour = RiskReason.colour(of: reasons)
        let held = current?.colour ?? .green
        let next = new(matter, areaID: areaID, path: path, reasons: reasons, rules: rules, at: now, version: (current?.version ?? 0) + 1)
        if colour > held { return .raise(next) }
        guard let current else { return nil }
        if colour < held { return current.followUpDoneAt == nil ? .awaitingFollowUp : .lower(next) }
        guard current.reasons != reasons else { return nil }
        var refreshed = current
        refreshed.reasons = reasons
        refreshed.version += 1
        return .refresh(refreshed)
    }

    /// The owner records the follow-up done: what was done, in words.
    public func followedUp(note: String, at now: Date) throws(DomainError) -> RiskStanding {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard colour != .green, followUpDueAt != nil else {
            throw DomainError(.notAllowedInState, "a green matter has no follow-up to record", field: "note")
        }
        guard followUpDoneAt == nil else {
            throw DomainError(.notAllowedInState, "the follow-up was recorded done already", field: "note")
        }
        guard (2...2_000).contains(note.count) else {
            throw DomainError.invalid(field: "note", "what the follow-up found and did: 2–2,000 characters")
        }
        var done = self
        done.followUpDoneAt = now
        done.followUpNote = note
        done.version += 1
        return done
    }

    /// A person brings the colour down to `colour`: only once the follow-up is done, and never
    /// below what the signals in force (`reasons`) still give.
    public func lowered(
        to colour: RiskColour, reasons: [RiskReason], path: [AdminLevel: Int64], rules: RiskRules, at now: Date
    ) throws(DomainError) -> RiskStanding {
        guard colour < self.colour else {
            throw DomainError.invalid(field: "colour", "a colour below the matter's \(self.colour.rawValue)")
        }
        guard followUpDoneAt != nil else {
            let due = followUpDueAt.map { " (due \($0.formatted(.iso8601)))" } ?? ""
            throw DomainError(
                .notAllowedInState, "the colour comes down only after its follow-up is recorded done; record the follow-up\(due) first",
                field: "followUp")
        }
        let judged = RiskReason.colour(of: reasons)
        guard colour >= judged else {
            throw DomainError.invalid(
                field: "colour", "the signals in force still make it \(judged.rawValue): \(reasons.map(\.rule.rawValue).joined(separator: ", "))")
        }
        var next = Self.new(matter, areaID: areaID, path: path, reasons: reasons.filter { $0.rule.colour <= colour }, rules: rules, at: now, version: version + 1)
        next.colour = colour
        next.owner = RiskOwner.of(colour, matter: matter.kind, path: path, areaID: areaID)
        next.followUpDueAt = rules.followUpDays(for: colour).map { now.addingTimeInterval(TimeInterval($0 * 86_400)) }
        return next
    }
}

/// One change of a matter's colour, kept forever: from what, to what, why, who owns the
/// follow-up and by when, and who made the change (nil: the periodic judgement).
public struct RiskColourChange: Codable, Sendable, Hashable {
    public var matter: RiskMatter
    public var sequence: Int
    public var from: RiskColour
    public var to: RiskColour
    public var reasons: [RiskReason]
    public var owner: RiskOwner?
    public var followUpDueAt: Date?
    /// The follow-up the change rests on, when it brings the colour down.
    public var followUpNote: String?
    public var byUserID: Int64?
    public var at: Date

    public init(
        matter: RiskMatter, sequence: Int, from: RiskColour, to: RiskColour, reasons: [RiskReason], owner: RiskOwner?, followUpDueAt: Date?,
        followUpNote: String?, byUserID: Int64?, at: Date
    ) {
        self.matter = matter
        self.sequence = sequence
        self.from = from
        self.to = to
        self.reasons = reasons
        self.owner = owner
        self.followUpDueAt = followUpDueAt
        self.followUpNote = followUpNote
        self.byUserID = byUserID
        self.at = at
    }
}
