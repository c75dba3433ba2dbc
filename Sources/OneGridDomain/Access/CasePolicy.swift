/// Who sees and who may act on a case. Seeing follows the place: a post sees the cases located
/// in its area. Acting follows ownership: a centre acts on cases its own or a lower centre holds,
/// a department on what was sent to it.
public enum CasePolicy {
    public static func canSee(_ file: CaseFile, as post: Post) -> Bool {
        switch post.role {
        case .citizen:
            return file.reporterUserID == post.userID
        case .departmentHandler:
            return post.departmentID.map { department in
                file.departmentID == department || file.assists.contains { $0.departmentID == department }
            } ?? false
        case .gridWorker, .windowClerk, .hotlineAgent, .dispatcher, .mediator, .leader, .administrator:
            return file.areas[post.areaLevel] == post.areaID
        }
    }

    /// Whether the post's centre holds the case: the handling centre is the post's own or below it.
    public static func owns(_ file: CaseFile, as post: Post) -> Bool {
        post.areaLevel <= file.handlingLevel && file.areas[post.areaLevel] == post.areaID
    }

    /// The roles that may take an action at all; `check` adds the per-case conditions.
    public static func roles(for action: CaseAction) -> Set<Role> {
        switch action {
        case .report: [.citizen, .gridWorker, .windowClerk, .hotlineAgent, .dispatcher]
        case .accept, .reject, .guide, .merge: [.dispatcher, .windowClerk]
        case .solveOnSpot: [.dispatcher, .windowClerk, .gridWorker]
        case .dispatch, .dualDispatch, .jointDispatch, .close, .archive: [.dispatcher]
        case .start, .return, .feedBack, .reportAssist: [.departmentHandler]
        case .escalate: [.dispatcher, .departmentHandler]
        case .verifyPass, .verifyFail: [.gridWorker, .dispatcher]
        // The reporter, or the window, hotline or centre that takes it down for them.
        case .rate, .requestReview: [.citizen, .windowClerk, .hotlineAgent, .dispatcher]
        case .reopen: [.dispatcher, .leader]
        // The approvers: the centre holding the case or one above it, or a leader over it.
        case .urge, .supervise, .suspend, .resume, .extend: [.dispatcher, .leader]
        // Taken through the petition procedure, whose own rules say who (`PetitionProcedure`).
        case .petitionStep: []
        // Taken on the dispute, where `DisputePolicy` says who; never as a step on the case.
        case .mediate: []
        }
    }

    /// Whether the post may take the action on the case: `check` without building its refusal,
    /// for listing what a post may do next.
    public static func permits(_ action: CaseAction, on file: CaseFile, as post: Post) -> Bool {
        roles(for: action).contains(post.role) && mayAct(action, on: file, as: post)
    }

    /// Every action the post may take on the case now: what its status allows and the post permits.
    public static func allowedActions(on file: CaseFile, as post: Post) -> [CaseAction] {
        CaseAction.allowed(in: file.status).filter { permits($0, on: file, as: post) }
    }

    public static func check(_ action: CaseAction, on file: CaseFile, as post: Post) throws(DomainError) {
        let roles = roles(for: action)
        guard roles.contains(post.role) else {
            let names = roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw DomainError(.forbidden, "a \(post.role.rawValue) may not \(action.rawValue); allowed for: \(names)")
        }
        guard mayAct(action, on: file, as: post) else {
            throw DomainError(
                .forbidden,
                "this \(post.role.rawValue) post does not hold case \(file.id) for \(action.rawValue)")
        }
    }

    private static func mayAct(_ action: CaseAction, on file: CaseFile, as post: Post) -> Bool {
        switch post.role {
        case .departmentHandler:
            guard let department = post.departmentID else { return false }
            if action == .reportAssist {
                return file.assists.contains { $0.departmentID == department && $0.reportedAt == nil }
            }
            return file.departmentID == department
        case .gridWorker:
            return file.areas.grid == post.areaID
        case .citizen:
            return file.reporterUserID == post.userID
        case .leader, .hotlineAgent:
            return canSee(file, as: post)
        case .dispatcher, .windowClerk:
            return [.rate, .reopen, .requestReview].contains(action) ? canSee(file, as: post) : owns(file, as: post)
        case .mediator, .administrator:
            return false
        }
    }
}
