extension RiskColour: Comparable {
    private var rank: Int {
        switch self {
        case .green: 0
        case .yellow: 1
        case .red: 2
        }
    }

    public static func < (lhs: RiskColour, rhs: RiskColour) -> Bool { lhs.rank < rhs.rank }
}

/// The four situations (四情) the risk picture counts: the grid's own cases and disputes (社情),
/// 110 incidents (警情), petitions (访情) and public-opinion items (舆情).
public enum RiskSituation: String, Codable, Sendable, CaseIterable {
    case social, police, petition, opinion
}

/// What carries a colour: an area, or one matter in it (a dispute or a petition, by its case; a
/// household of the base data, by its id).
public enum RiskMatterKind: String, Codable, Sendable, CaseIterable {
    case area, dispute, petition, household
}

public struct RiskMatter: Codable, Sendable, Hashable {
    public var kind: RiskMatterKind
    /// The area's id, or the matter's case id.
    public var id: Int64

    public init(kind: RiskMatterKind, id: Int64) {
        self.kind = kind
        self.id = id
    }
}

/// A rule that gave a colour (DOMAIN.md §8, the rules file §6): red for what is cross-department
/// or escalating, yellow for what is ordinary but watched.
public enum RiskRule: String, Codable, Sendable, CaseIterable {
    /// Police were called about the same matter `policeCallsForRed` times within the window.
    case repeatedPoliceCalls
    /// A risk of violence was reported (人民调解法 Art. 25).
    case violenceThreat
    /// A group of `collectiveHeadcount` or more people.
    case collectiveGroup
    /// A petition that skipped a level (越级).
    case skippedLevel
    /// A petition under review (复查 or 复核).
    case underReview
    /// A public-opinion item about the matter at or above the heat threshold.
    case opinionHot
    /// One of the people involved is a key person of the grid's base data.
    case keyPerson
    /// A dispute the mediation committee marked major: it needs several departments.
    case majorDispute
    /// An area with `situationsForRedArea` or more situations above their baseline at once.
    case situationsRising
    /// An area holding `redMattersForRedArea` or more red matters.
    case redMatters
    /// A repeat dispute or petition.
    case repeatMatter
    /// Mediation failed or was refused.
    case failedMediation
    /// The matter's handling time is `deadlineShareForYellow` or more used.
    case deadlineNearlyUsed
    /// One situation of an area above its baseline.
    case situationAboveBaseline
    /// An area holding a red matter, or `yellowMattersForYellowArea` or more yellow ones.
    case mattersWatched
    /// A household where a key person lives and which a red dispute or petition concerns.
    case keyHouseholdInRedMatter
    /// A household whose members or address `householdIncidentsForRed` or more police incidents
    /// and disputes concerned within `householdWindowDays`.
    case repeatedHouseholdIncidents
    /// A household where a key person lives who is party to an open case.
    case keyPersonOpenCase

    public var colour: RiskColour {
        switch self {
        case .repeatedPoliceCalls, .violenceThreat, .collectiveGroup, .skippedLevel, .underReview, .opinionHot, .keyPerson, .majorDispute,
            .situationsRising, .redMatters, .keyHouseholdInRedMatter, .repeatedHouseholdIncidents:
            .red
        case .repeatMatter, .failedMediation, .deadlineNearlyUsed, .situationAboveBaseline, .mattersWatched, .keyPersonOpenCase: .yellow
        }
    }
}

/// Why a matter has its colour: the rule and the signal that met it.
public struct RiskReason: Codable, Sendable, Hashable {
    public var rule: RiskRule
    public var situation: RiskSituation?
    /// The number that met the rule (calls, people, matters, the week's count).
    public var count: Int?
    /// For a situation against its baseline: what was expected and the threshold passed.
    public var expected: Double?
    public var threshold: Double?

    public init(rule: RiskRule, situation: RiskSituation? = nil, count: Int? = nil, expected: Double? = nil, threshold: Double? = nil) {
        self.rule = rule
        self.situation = situation
        self.count = count
        self.expected = expected
        self.threshold = threshold
    }

    /// The colour reasons give: the highest of their rules', green without any.
    public static func colour(of reasons: [RiskReason]) -> RiskColour {
        reasons.map(\.rule.colour).max() ?? .green
    }
}

/// What is known of one matter when its colour is judged.
public struct RiskFacts: Sendable, Hashable {
    public var policeCalls: Int = 0
    public var violenceReported = false
    public var headcount = 0
    public var skippedLevel = false
    public var underReview = false
    public var hottestOpinion: Double?
    public var keyPerson = false
    public var major = false
    public var isRepeat = false
    public var failedMediation = false
    /// The share of its handling limit used, nil when no clock runs.
    public var deadlineShareUsed: Double?

    public init() {}
}

/// What is known of one household when its colour is judged: from its people's kinds and the
/// cases, disputes and police incidents that concern its members or itself.
public struct RiskHouseholdFacts: Sendable, Hashable {
    /// A person of a key kind lives there.
    public var keyResident = false
    /// The red disputes and petitions that concern it.
    public var redMatters = 0
    /// Police incidents and disputes that concerned it within the window.
    public var incidents = 0
    /// Open disputes of its members that are repeats.
    public var repeatDisputes = 0
    /// A key person living there is party to an open case.
    public var keyPersonOpenCase = false

    public init() {}
}

/// The risk rules in force: every threshold of the colours, stored as a setting and changed by an
/// administrator; never a constant in code (DOMAIN.md: numbers are configurable defaults).
public struct RiskRules: Codable, Sendable, Hashable {
    public var baseline = RiskBaseline()
    /// Police calls on one matter within `policeWindowDays` that make it red.
    public var policeCallsForRed = 2
    public var policeWindowDays = 30
    /// People in a group that makes it red: a collective petition's 5 (信访工作条例).
    public var collectiveHeadcount = 5
    /// A public-opinion item's heat, as its monitoring service scores it, that makes its matter red.
    public var opinionHeatForRed = 1_000.0
    public var situationsForRedArea = 2
    public var redMattersForRedArea = 2
    public var yellowMattersForYellowArea = 3
    public var deadlineShareForYellow = 0.8
    /// Days the owner has for the follow-up of a red and of a yellow.
    public var redFollowUpDays = 3
    public var yellowFollowUpDays = 7
    /// The base data's kinds of resident who are key persons (重点人员): one of them among a
    /// matter's parties or petitioners makes it red.
    public var keyPersonKinds = ["keyPetitioner", "communityCorrection", "severeMentalIllness", "drugUser", "releasedPrisoner"]
    /// Police incidents and disputes concerning one household within `householdWindowDays` that
    /// make it red (repeated calls on the same parties).
    public var householdIncidentsForRed = 2
    public var householdWindowDays = 30

    public init() {}

    // Rules stored before a threshold existed read as its default, so a new rule never makes the
    // administrator's stored settings unreadable.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RiskRules()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try values.decodeIfPresent(T.self, forKey: key) ?? fallback }
        baseline = try value(.baseline, defaults.baseline)
        policeCallsForRed = try value(.policeCallsForRed, defaults.policeCallsForRed)
        policeWindowDays = try value(.policeWindowDays, defaults.policeWindowDays)
        collectiveHeadcount = try value(.collectiveHeadcount, defaults.collectiveHeadcount)
        opinionHeatForRed = try value(.opinionHeatForRed, defaults.opinionHeatForRed)
        situationsForRedArea = try value(.situationsForRedArea, defaults.situationsForRedArea)
        redMattersForRedArea = try value(.redMattersForRedArea, defaults.redMattersForRedArea)
        yellowMattersForYellowArea = try value(.yellowMattersForYellowArea, defaults.yellowMattersForYellowArea)
        deadlineShareForYellow = try value(.deadlineShareForYellow, defaults.deadlineShareForYellow)
        redFollowUpDays = try value(.redFollowUpDays, defaults.redFollowUpDays)
        yellowFollowUpDays = try value(.yellowFollowUpDays, defaults.yellowFollowUpDays)
        keyPersonKinds = try value(.keyPersonKinds, defaults.keyPersonKinds)
        householdIncidentsForRed = try value(.householdIncidentsForRed, defaults.householdIncidentsForRed)
        householdWindowDays = try value(.householdWindowDays, defaults.householdWindowDays)
    }

    public static let defaults = RiskRules()

    /// The rules if every value is one the judgement can work with, else the first field that
    /// is not, named as the settings form names it.
    public func validated() throws(DomainError) -> RiskRules {
        func check(_ ok: Bool, _ field: String, _ expected: String) throws(DomainError) {
            if !ok { throw DomainError.invalid(field: field, "expected \(expected)") }
        }
        try check((0...10).contains(baseline.yearsBack), "yearsBack", "a whole number of years from 0 to 10")
        try check((0...4).contains(baseline.seasonWindow), "seasonWindow", "a whole number of weeks from 0 to 4")
        try check((1...26).contains(baseline.trendWeeks), "trendWeeks", "a whole number of weeks from 1 to 26")
        try check(baseline.trendFloor > 0 && baseline.trendFloor <= 1, "trendFloor", "a number above 0 and at most 1")
        try check(baseline.trendCeiling >= 1 && baseline.trendCeiling <= 10, "trendCeiling", "a number from 1 to 10")
        try check(baseline.k >= 0 && baseline.k <= 10, "k", "a number from 0 to 10")
        try check(baseline.minimumExpected >= 0.1 && baseline.minimumExpected <= 1_000, "minimumExpected", "a number from 0.1 to 1,000")
        try check((1...100).contains(policeCallsForRed), "policeCallsForRed", "a whole number from 1 to 100")
        try check((1...365).contains(policeWindowDays), "policeWindowDays", "a whole number of days from 1 to 365")
        try check((2...1_000).contains(collectiveHeadcount), "collectiveHeadcount", "a whole number of people from 2 to 1,000")
        try check(opinionHeatForRed >= 0 && opinionHeatForRed <= 1_000_000_000, "opinionHeatForRed", "a number from 0 to 1,000,000,000")
        try check((1...4).contains(situationsForRedArea), "situationsForRedArea", "a whole number of situations from 1 to 4")
        try check((1...10_000).contains(redMattersForRedArea), "redMattersForRedArea", "a whole number from 1 to 10,000")
        try check((1...10_000).contains(yellowMattersForYellowArea), "yellowMattersForYellowArea", "a whole number from 1 to 10,000")
        try check(deadlineShareForYellow > 0 && deadlineShareForYellow <= 1, "deadlineShareForYellow", "a share above 0 and at most 1, e.g. 0.8")
        try check((1...90).contains(redFollowUpDays), "redFollowUpDays", "a whole number of days from 1 to 90")
        try check((1...90).contains(yellowFollowUpDays), "yellowFollowUpDays", "a whole number of days from 1 to 90")
        try check(
            keyPersonKinds.count <= 50 && keyPersonKinds.allSatisfy { (1...64).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } },
            "keyPersonKinds", "at most 50 codes of resident kinds, letters and digits only")
        try check((1...100).contains(householdIncidentsForRed), "householdIncidentsForRed", "a whole number from 1 to 100")
        try check((1...365).contains(householdWindowDays), "householdWindowDays", "a whole number of days from 1 to 365")
        return self
    }

    /// The reasons a household is red or yellow (the rules file §6: repeated calls on the same
    /// parties and key persons are escalating; a repeat dispute is watched).
    public func householdReasons(for facts: RiskHouseholdFacts) -> [RiskReason] {
        var reasons: [RiskReason] = []
        if facts.keyResident && facts.redMatters > 0 { reasons.append(RiskReason(rule: .keyHouseholdInRedMatter, count: facts.redMatters)) }
        if facts.incidents >= householdIncidentsForRed { reasons.append(RiskReason(rule: .repeatedHouseholdIncidents, count: facts.incidents)) }
        if facts.repeatDisputes > 0 { reasons.append(RiskReason(rule: .repeatMatter, situation: .social, count: facts.repeatDisputes)) }
        if facts.keyPersonOpenCase { reasons.append(RiskReason(rule: .keyPersonOpenCase)) }
        return reasons
    }

    /// The reasons one matter is red or yellow; none when it is green.
    public func reasons(for facts: RiskFacts) -> [RiskReason] {
        var reasons: [RiskReason] = []
        func add(_ rule: RiskRule, _ met: Bool, situation: RiskSituation? = nil, count: Int? = nil) {
            if met { reasons.append(RiskReason(rule: rule, situation: situation, count: count)) }
        }
        add(.repeatedPoliceCalls, facts.policeCalls >= policeCallsForRed, situation: .police, count: facts.policeCalls)
        add(.violenceThreat, facts.violenceReported, situation: .social)
        add(.collectiveGroup, facts.headcount >= collectiveHeadcount, count: facts.headcount)
        add(.skippedLevel, facts.skippedLevel, situation: .petition)
        add(.underReview, facts.underReview, situation: .petition)
        add(.opinionHot, (facts.hottestOpinion ?? -1) >= opinionHeatForRed, situation: .opinion, count: facts.hottestOpinion.map { Int($0) })
        add(.keyPerson, facts.keyPerson)
        add(.majorDispute, facts.major, situation: .social)
        add(.repeatMatter, facts.isRepeat)
        add(.failedMediation, facts.failedMediation, situation: .social)
        add(.deadlineNearlyUsed, (facts.deadlineShareUsed ?? 0) >= deadlineShareForYellow)
        return reasons
    }

    /// The reasons an area is red or yellow: its situations against their baselines, and the
    /// red and yellow matters it holds.
    public func areaReasons(situations: [RiskSituation: RiskBaseline.Judgement], redMatters: Int, yellowMatters: Int) -> [RiskReason] {
        let above = RiskSituation.allCases.compactMap { situation in situations[situation].flatMap { $0.isAbove ? (situation, $0) : nil } }
        var reasons = above.map { situation, judgement in
            RiskReason(
                rule: .situationAboveBaseline, situation: situation, count: judgement.count, expected: judgement.expected,
                threshold: judgement.threshold)
        }
        if above.count >= situationsForRedArea { reasons.append(RiskReason(rule: .situationsRising, count: above.count)) }
        if redMatters >= redMattersForRedArea { reasons.append(RiskReason(rule: .redMatters, count: redMatters)) }
        if redMatters > 0 || yellowMatters >= yellowMattersForYellowArea {
            reasons.append(RiskReason(rule: .mattersWatched, count: redMatters + yellowMatters))
        }
        return reasons
    }

    /// Days the follow-up of a colour is due in; nil for green, which needs none.
    public func followUpDays(for colour: RiskColour) -> Int? {
        switch colour {
        case .red: redFollowUpDays
        case .yellow: yellowFollowUpDays
        case .green: nil
        }
    }
}
