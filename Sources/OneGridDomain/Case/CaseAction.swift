/// Every step a person (or, later, the deadline sweeper) can take on a case. Each one becomes
/// an event in the case's timeline.
public enum CaseAction: String, Codable, Sendable, CaseIterable {
    /// The case enters (发现上报). Only ever the first event.
    case report
    case accept
    /// Cancel as invalid or false (作废).
    case reject
    /// Guide to a legal route instead of handling it here.
    case guide
    /// Fold a duplicate into an open primary case.
    case merge
    /// Solved at intake by the person who took it (接诉即办).
    case solveOnSpot
    /// Send to a department, or down to a lower level's centre.
    case dispatch
    /// Send to a department with the grid worker of the place as watcher and verifier (双派单).
    case dualDispatch
    /// Send to one lead department and several assisting ones (吹哨报到).
    case jointDispatch
    /// The assignee signs for it (签收).
    case start
    /// The assignee sends it back as not theirs (退回), with a reason.
    case `return`
    /// The lead reports what it did, with evidence (处置反馈).
    case feedBack
    /// An assisting department reports its part of a joint case.
    case reportAssist
    /// Send to the centre one level up (上报上级).
    case escalate
    case verifyPass
    /// Verification on the ground failed: back to the assignee for rework (返工).
    case verifyFail
    case rate
    case close
    case archive
    /// Open a closed case again; audited, with a reason.
    case reopen
    /// A petitioner asks the level above to review the reply (复查, then once more 复核):
    /// within 30 days of the reply, answered within 30 days (信访工作条例 Art. 35–36).
    case requestReview
    /// A reminder to the holder as a deadline nears (催办): by the sweeper at yellow, or by hand.
    case urge
    /// An urge from the level above, recorded against the holder (督办): by the sweeper at red.
    case supervise
    /// Stop the clock (waiting for a court, a season…), with a reason, by an approver.
    case suspend
    /// Start a suspended clock again; the time suspended is added to the deadline.
    case resume
    /// Move the deadline later by an approved extension.
    case extend
    /// A step of the petition procedure (信访), recorded on its case's timeline as it is taken
    /// through `Petitions`; it changes nothing of the case but its version.
    case petitionStep
    /// A step of a dispute's mediation (a session, an agreement, a follow-up…), recorded on the
    /// case's timeline as it is taken on the dispute (`MediationWorkflow`); the case stays where it is.
    case mediate

    /// The states each action may be taken in. The single source of the flow: the state
    /// machine, the error messages and the API's "allowed actions" all read it.
    public var allowedFrom: Set<CaseStatus> {
        switch self {
        case .report: []
        case .accept: [.reported]
        case .reject, .guide, .merge, .solveOnSpot: [.reported, .accepted]
        case .dispatch, .dualDispatch, .jointDispatch: [.accepted]
        case .start: [.assigned]
        case .return: [.assigned, .inProgress]
        case .feedBack, .reportAssist: [.inProgress]
        case .escalate: [.accepted, .assigned, .inProgress]
        case .verifyPass, .verifyFail: [.handled]
        case .rate: [.verified]
        // A verified case closes without a rating when the reporter gives none in time or
        // stayed anonymous.
        case .close: [.verified, .rated]
        case .archive: [.closed]
        case .reopen, .requestReview: [.closed, .archived]
        case .urge, .supervise: [.reported, .accepted, .assigned, .inProgress]
        case .suspend, .resume, .extend: [.accepted, .assigned, .inProgress]
        // Never taken as a case action: the petition procedure records it (`CaseWorkflow.petitionStep`).
        case .petitionStep: []
        // Never a step on the case itself: `CaseWorkflow.mediation` records it.
        case .mediate: []
        }
    }

    /// Whether the note must say why: every step that undoes or refuses someone's work.
    public var needsReason: Bool {
        switch self {
        case .reject, .guide, .return, .escalate, .verifyFail, .reopen, .requestReview, .solveOnSpot, .feedBack, .suspend, .extend:
            true
        default: false
        }
    }

    /// The actions taken as steps on a case: all but the report (intake's) and the mediation
    /// entries (the dispute's).
    public static let caseSteps = allCases.filter { !$0.allowedFrom.isEmpty }

    public static func allowed(in status: CaseStatus) -> [CaseAction] {
        allCases.filter { $0.allowedFrom.contains(status) }
    }
}

extension CaseAction {
    /// The procedures a case's steps belong to; each is decided in its own file.
    enum Procedure {
        case triage, dispatch, handling, deadlines, petition, mediation
    }

    var procedure: Procedure {
        switch self {
        case .report, .accept, .reject, .guide, .merge, .solveOnSpot: .triage
        case .dispatch, .dualDispatch, .jointDispatch, .return, .reportAssist, .escalate: .dispatch
        case .start, .feedBack, .verifyPass, .verifyFail, .rate, .close, .archive, .reopen: .handling
        case .urge, .supervise, .suspend, .resume, .extend: .deadlines
        case .requestReview, .petitionStep: .petition
        case .mediate: .mediation
        }
    }
}
