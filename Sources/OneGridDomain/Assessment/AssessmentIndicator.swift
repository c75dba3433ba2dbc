/// Who is assessed (DOMAIN.md §7): the areas, the departments, and three kinds of person.
public enum AssessmentUnitKind: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable {
    /// A department, on the cases it holds as lead, and on its part of joint cases it assisted
    /// (报到, Beijing's 双考核).
    case department
    /// A town (街乡), on the cases in it, and on the joint cases it called (吹哨).
    case town
    case village
    case grid
    /// A grid worker, on their own reports, their grid's cases and their verifications.
    case gridWorker
    /// A dispatcher, on the cases they dispatched first.
    case dispatcher
    /// The 12345 hotline's handling units: each town on its hotline tickets, by Beijing's three
    /// rates (接诉即办工作条例 Art. 32).
    case hotline

    /// The indicators a unit of this kind is scored on, in the order a score sheet shows them.
    public var indicators: [AssessmentIndicator] {
        switch self {
        case .department:
            [.response, .handling, .onTimeHandling, .closure, .onTimeClosure, .rework, .returns, .verifyPass, .satisfaction, .overdue, .assistReport]
        case .town:
            [.handling, .onTimeHandling, .closure, .onTimeClosure, .rework, .verifyPass, .satisfaction, .overdue, .jointClosure]
        case .village, .grid:
            [.handling, .onTimeHandling, .closure, .onTimeClosure, .rework, .verifyPass, .satisfaction, .overdue]
        case .gridWorker: [.validReport, .missedReport, .onTimeVerification]
        case .dispatcher: [.onTimeDispatch, .accurateDispatch]
        case .hotline: [.response, .resolution, .satisfaction]
        }
    }

    /// Areas are the directory's; departments too; the rest are people.
    public var isArea: Bool { [.town, .village, .grid, .hotline].contains(self) }
    public var isPerson: Bool { self == .gridWorker || self == .dispatcher }
}

/// One rate of an assessment: a count over the count that should have happened, over the cases
/// reported in the period (DOMAIN.md §7, docs `cn-governance-rules.md` §3). Each case's facts
/// are read as they stand when the period is assessed (or closed).
///
/// The terms used below:
/// - *accepted*: taken in by a centre (受理), and neither cancelled (作废), guided to a legal
///   route nor merged: the cases that should be handled (应处置) and closed (应结案);
/// - *assigned*: sent to a department (派遣), whether or not it signed;
/// - *verified*: checked on the ground at least once (核查), passed or failed;
/// - *rated*: given a rating by the reporter (回访评价).
public enum AssessmentIndicator: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable {
    /// 响应率 (Beijing's first rate): assigned cases signed for (签收) within the configured
    /// signing hours of their last assignment / assigned cases.
    case response
    /// 解决率: rated cases the reporter called solved (satisfied or basically satisfied) / rated
    /// cases. OneGrid's rating has no separate "solved" answer; a dissatisfied reporter is one
    /// whose matter is not solved.
    case resolution
    /// 满意率: rated satisfied / rated cases.
    case satisfaction
    /// 处置率: handled (fed back, or solved on the spot) / accepted.
    case handling
    /// 按期处置率: handled no later than the due time / accepted.
    case onTimeHandling
    /// 结案率: closed (or archived) / accepted.
    case closure
    /// 按期结案率: closed with the handling no later than the due time / accepted.
    case onTimeClosure
    /// 返工率 (lower is better): cases sent back at least once after a failed verification /
    /// verified cases.
    case rework
    /// 回退率 (lower is better): assigned cases returned as not the assignee's (退回) at least
    /// once / assigned cases.
    case returns
    /// 核查通过率: verified cases that passed their first verification / verified cases.
    case verifyPass
    /// 超期数 (lower is better): accepted cases handled after their due time, or still open past
    /// it when assessed / accepted. The sheet shows the count; the score uses the share.
    case overdue
    /// 报到率 (双考核, the departments that reported): the department's assists on joint cases
    /// reported (协办反馈) / its assists.
    case assistReport
    /// 吹哨办结率 (双考核, the street that blew the whistle): the town's joint cases (吹哨) closed /
    /// its joint cases.
    case jointClosure
    /// 有效上报率: the grid worker's reports not cancelled as invalid or false (作废) / their reports.
    case validReport
    /// 漏报率 (lower is better): cases in the worker's grid first reported by the public (a
    /// citizen, the hotline, the window, an online petition, public opinion) / cases in the grid.
    case missedReport
    /// 按时核查率: the worker's passing verifications made within the configured verification
    /// hours of the last feedback / cases whose verification the worker passed.
    case onTimeVerification
    /// 按时派遣率: cases the dispatcher dispatched first within the configured dispatch hours of
    /// acceptance / cases they dispatched first.
    case onTimeDispatch
    /// 准确派遣率: cases the dispatcher dispatched first that were never returned as not the
    /// assignee's (never re-sent to another department) / cases they dispatched first.
    case accurateDispatch

    /// Whether a low rate is the good one; its score is then 100 × (1 − rate).
    public var lowerIsBetter: Bool { [.rework, .returns, .overdue, .missedReport].contains(self) }
}

/// A rate's two counts.
public struct IndicatorCount: Codable, Sendable, Hashable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, of denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// numerator / denominator, nil when nothing should have happened.
    public var rate: Double? { denominator > 0 ? Double(numerator) / Double(denominator) : nil }

    public static func + (lhs: IndicatorCount, rhs: IndicatorCount) -> IndicatorCount {
        IndicatorCount(lhs.numerator + rhs.numerator, of: lhs.denominator + rhs.denominator)
    }
}
