public import Foundation

/// What a citizen following a case is shown of its timeline: the steps that changed what the
/// case is doing, each as a plain-word kind with its time, and the rating given. Written as an
/// allow-list from the timeline: a step is shown only when it maps to a kind here, and nothing
/// else of it is carried — never its note, its actor, its department or its evidence, which can
/// name staff or hold another person's data.
public struct PublicStep: Codable, Sendable, Hashable {
    /// The plain-word kinds, each one sentence in the portal's strings (`follow.step.<kind>`).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case received, accepted, sentToHandler, handlingStarted, handled, checked, rework, rated, closed, rejected,
            guided, merged, movedUp, reopened, lookAgain, paused, resumed
    }

    public var kind: Kind
    public var at: Date
    /// Only on `rated`: the reporter's own verdict.
    public var rating: Rating?

    public init(kind: Kind, at: Date, rating: Rating? = nil) {
        self.kind = kind
        self.at = at
        self.rating = rating
    }

    /// The kind a step is shown as, nil for the steps a citizen is not shown (urges, supervision,
    /// extensions, mediation and petition records, assisting departments' reports…).
    public static func kind(of action: CaseAction) -> Kind? {
        switch action {
        case .report: .received
        case .accept: .accepted
        case .dispatch, .dualDispatch, .jointDispatch: .sentToHandler
        case .start: .handlingStarted
        case .feedBack, .solveOnSpot: .handled
        case .verifyPass: .checked
        case .verifyFail: .rework
        case .rate: .rated
        case .close: .closed
        case .reject: .rejected
        case .guide: .guided
        case .merge: .merged
        case .escalate: .movedUp
        case .reopen: .reopened
        case .requestReview: .lookAgain
        case .suspend: .paused
        case .resume: .resumed
        case .return, .reportAssist, .archive, .urge, .supervise, .extend, .petitionStep, .mediate: nil
        }
    }

    /// The public steps of a timeline, in order; a step that repeats the one before (a second
    /// dispatch after a return) is shown once.
    public static func project(_ timeline: [TimelineEvent]) -> [PublicStep] {
        var steps: [PublicStep] = []
        for event in timeline {
            guard let kind = kind(of: event.action) else { continue }
            if steps.last?.kind == kind, kind == .sentToHandler { continue }
            let rating = kind == .rated ? event.details["rating"].flatMap(Rating.init(rawValue:)) : nil
            steps.append(PublicStep(kind: kind, at: event.at, rating: rating))
        }
        return steps
    }
}

/// What a citizen is told of their case, and by which step: its acceptance, its result, its
/// closure (a refusal or a legal route closes it too).
public enum CitizenNoticeKind: String, Codable, Sendable, CaseIterable {
    case accepted, handled, closed

    /// The notice a step sets off for the case's reporter, nil for the steps they are not told of.
    public init?(_ action: CaseAction) {
        switch action {
        case .accept: self = .accepted
        case .feedBack, .solveOnSpot: self = .handled
        case .close, .reject, .guide: self = .closed
        default: return nil
        }
    }

    /// The words sent, in Chinese: the SMS gateway and the inbox carry one language.
    public func message(caseNumber: String) -> String {
        switch self {
        case .accepted: "您反映的问题（编号 \(caseNumber)）已受理，我们会尽快处理。"
        case .handled: "您反映的问题（编号 \(caseNumber)）已处理完毕，欢迎通过跟踪链接评价处理结果。"
        case .closed: "您反映的问题（编号 \(caseNumber)）已办结，感谢您的参与。"
        }
    }
}
