/// A letter grade (DOMAIN.md §7): A ≥ 90, B 75–90, C 60–75, D 40–60, E < 40 by default.
public enum AssessmentGrade: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Comparable {
    case a = "A", b = "B", c = "C", d = "D", e = "E"

    public static func < (lhs: AssessmentGrade, rhs: AssessmentGrade) -> Bool { lhs.rawValue > rhs.rawValue }
}

/// A card a leader gives a unit for a period (督办黄牌 / 红牌), deducting points from its score.
public enum CardColour: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable {
    case yellow, red
}

/// Everything an assessment is weighed by, as the administrator configured it: stored, with the
/// defaults below from the rules (docs `cn-governance-rules.md` §2.4, §3), and never written into
/// the computation. A closed period keeps the settings it was closed under.
public struct AssessmentSettings: Codable, Sendable, Hashable {
    /// Per unit kind, each indicator's weight; a kind's weights sum to 100.
    public var weights: [AssessmentUnitKind: [AssessmentIndicator: Double]]
    /// The lowest score of each grade from A to D; below D's is E.
    public var gradeMinimums: [AssessmentGrade: Double]
    /// Points a card deducts.
    public var cardPoints: [CardColour: Double]
    /// A stationed agency's (派驻机构: a department at town level) combined score: this share
    /// of its own score, as the town sees its work on the town's cases…
    public var stationedTownShare: Double
    /// …and this share of its parent department's (the same kind of department in the county).
    public var stationedDepartmentShare: Double
    /// Hours an assignment may wait for its signing and still count as a response (响应).
    public var signingHours: Double
    /// Hours after acceptance within which a first dispatch is on time.
    public var dispatchHours: Double
    /// Hours after the last feedback within which a passing verification is on time.
    public var verificationHours: Double

    public init(
        weights: [AssessmentUnitKind: [AssessmentIndicator: Double]], gradeMinimums: [AssessmentGrade: Double],
        cardPoints: [CardColour: Double], stationedTownShare: Double, stationedDepartmentShare: Double, signingHours: Double,
        dispatchHours: Double, verificationHours: Double
    ) {
        self.weights = weights
        self.gradeMinimums = gradeMinimums
        self.cardPoints = cardPoints
        self.stationedTownShare = stationedTownShare
        self.stationedDepartmentShare = stationedDepartmentShare
        self.signingHours = signingHours
        self.dispatchHours = dispatchHours
        self.verificationHours = verificationHours
    }

    /// The defaults: grades and cards from the Tianque and 数字城管 rules, the hotline's three
    /// rates weighed 30 / 35 / 35 as 准格尔旗 does, the grid worker's 40 / 20 / 40 (the rules'
    /// 核实 and 核查 are one verification here), stationed agencies 60 / 40 as Zhenhai. The other
    /// weights are OneGrid's proposal: on-time work and satisfaction weigh most.
    public static let defaults = AssessmentSettings(
        weights: [
            .department: [
                .response: 10, .handling: 10, .onTimeHandling: 15, .closure: 10, .onTimeClosure: 10, .rework: 10, .returns: 5,
                .verifyPass: 5, .satisfaction: 15, .overdue: 5, .assistReport: 5,
            ],
            .town: [
                .handling: 10, .onTimeHandling: 15, .closure: 10, .onTimeClosure: 15, .rework: 10, .verifyPass: 5, .satisfaction: 15,
                .overdue: 15, .jointClosure: 5,
            ],
            .village: [.handling: 10, .onTimeHandling: 15, .closure: 15, .onTimeClosure: 15, .rework: 10, .verifyPass: 5, .satisfaction: 15, .overdue: 15],
            .grid: [.handling: 10, .onTimeHandling: 15, .closure: 15, .onTimeClosure: 15, .rework: 10, .verifyPass: 5, .satisfaction: 15, .overdue: 15],
            .gridWorker: [.validReport: 40, .missedReport: 20, .onTimeVerification: 40],
            .dispatcher: [.onTimeDispatch: 50, .accurateDispatch: 50],
            .hotline: [.response: 30, .resolution: 35, .satisfaction: 35],
        ],
        gradeMinimums: [.a: 90, .b: 75, .c: 60, .d: 40],
        cardPoints: [.yellow: 5, .red: 10],
        stationedTownShare: 60, stationedDepartmentShare: 40,
        signingHours: 24, dispatchHours: 24, verificationHours: 48)

    /// The settings if they are whole and consistent; otherwise an error naming the first field
    /// that is not, as `weights.town.closure` or `gradeMinimums.B`.
    public func validated() throws -> AssessmentSettings {
        for kind in AssessmentUnitKind.allCases {
            let given = weights[kind] ?? [:]
            for (indicator, weight) in given {
                guard kind.indicators.contains(indicator) else {
                    throw DomainError.invalid(field: "weights.\(kind.rawValue).\(indicator.rawValue)", "a \(kind.rawValue) is not scored on \(indicator.rawValue)")
                }
                guard weight.isFinite, weight >= 0, weight <= 100 else {
                    throw DomainError.invalid(field: "weights.\(kind.rawValue).\(indicator.rawValue)", "a weight from 0 to 100")
                }
            }
            let sum = given.values.reduce(0, +)
            guard abs(sum - 100) < 0.001 else {
                throw DomainError.invalid(field: "weights.\(kind.rawValue)", "the weights of a \(kind.rawValue) sum to 100, not \(Self.number(sum))")
            }
        }
        var above = 100.0
        for grade in [AssessmentGrade.a, .b, .c, .d] {
            guard let minimum = gradeMinimums[grade], minimum.isFinite, minimum > 0, minimum <= above else {
                throw DomainError.invalid(
                    field: "gradeMinimums.\(grade.rawValue)", "the lowest score of grade \(grade.rawValue): above 0, at most \(Self.number(above)) and below the grade above")
            }
            above = minimum - 0.001
        }
        for colour in CardColour.allCases {
            guard let points = cardPoints[colour], points.isFinite, points >= 0, points <= 100 else {
                throw DomainError.invalid(field: "cardPoints.\(colour.rawValue)", "the points a \(colour.rawValue) card deducts, from 0 to 100")
            }
        }
        for (field, share) in [("stationedTownShare", stationedTownShare), ("stationedDepartmentShare", stationedDepartmentShare)] {
            guard share.isFinite, share >= 0, share <= 100 else { throw DomainError.invalid(field: field, "a share from 0 to 100") }
        }
        guard abs(stationedTownShare + stationedDepartmentShare - 100) < 0.001 else {
            throw DomainError.invalid(field: "stationedDepartmentShare", "the town's and the department's shares sum to 100")
        }
        for (field, hours) in [("signingHours", signingHours), ("dispatchHours", dispatchHours), ("verificationHours", verificationHours)] {
            guard hours.isFinite, hours > 0, hours <= 24 * 90 else { throw DomainError.invalid(field: field, "hours above 0, at most 2160") }
        }
        return self
    }

    /// The grade of a score.
    public func grade(of score: Double) -> AssessmentGrade {
        [AssessmentGrade.a, .b, .c, .d].first { score >= (gradeMinimums[$0] ?? .infinity) } ?? .e
    }

    /// "100" or "92.5": a number as a message shows it.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// One unit's result: each indicator's counts, the weighted score before and after cards, its grade.
public struct AssessmentResult: Codable, Sendable, Hashable {
    public var kind: AssessmentUnitKind
    public var unitID: Int64
    public var counts: [AssessmentIndicator: IndicatorCount]
    /// The weighted score of the rates, 0–100; nil when none of its indicators had anything to count.
    public var rateScore: Double?
    /// Points the unit's cards deducted.
    public var cardPoints: Double
    /// The score after cards, never below 0.
    public var score: Double?
    public var grade: AssessmentGrade?
    /// For a stationed agency: the town's and the parent department's shares combined.
    public var stationedScore: Double?
    /// 1 for the best score of its kind in the listing; nil without a score.
    public var rank: Int?

    /// Scores a unit: Σ weight × indicator score / Σ weight over the indicators that had
    /// anything to count (a grid without a rated case is not marked down for satisfaction), each
    /// indicator scoring 100 × its rate (100 × (1 − rate) when lower is better); then the cards'
    /// points are deducted.
    public init(
        kind: AssessmentUnitKind, unitID: Int64, counts: [AssessmentIndicator: IndicatorCount], cardPoints: Double,
        settings: AssessmentSettings
    ) {
        self.kind = kind
        self.unitID = unitID
        self.counts = counts
        self.cardPoints = cardPoints
        let weights = settings.weights[kind] ?? [:]
        var weighted = 0.0
        var total = 0.0
        for indicator in kind.indicators {
            guard let weight = weights[indicator], weight > 0, let rate = counts[indicator]?.rate else { continue }
            weighted += weight * 100 * (indicator.lowerIsBetter ? 1 - rate : rate)
            total += weight
        }
        rateScore = total > 0 ? weighted / total : nil
        score = rateScore.map { max(0, $0 - cardPoints) }
        grade = score.map(settings.grade(of:))
    }

    /// Ranks results by score, best first; equal scores share a rank.
    public static func ranked(_ results: [AssessmentResult]) -> [AssessmentResult] {
        let sorted = results.sorted { ($0.score ?? -1, -$0.unitID) > ($1.score ?? -1, -$1.unitID) }
        var ranked: [AssessmentResult] = []
        for (index, var result) in sorted.enumerated() {
            if let score = result.score {
                let previous = ranked.last
                result.rank = previous?.score == score ? previous?.rank : index + 1
            }
            ranked.append(result)
        }
        return ranked
    }
}
