/// Who sees a dispute's file and who takes its steps. The body's mediators run the mediation;
/// the dispatchers over the case's place see it and place it. Nobody else sees it at all: a
/// dispute's parties and record are more private than a street-light report.
public enum DisputePolicy {
    public static func canSee(_ dispute: Dispute, case file: CaseFile, body: MediationBody?, as post: Post) -> Bool {
        switch post.role {
        case .mediator: body?.hasMember(post.userID) ?? false
        case .dispatcher: CasePolicy.canSee(file, as: post)
        default: false
        }
    }

    /// Whether the post may open the dispute's file on a case: a dispatcher whose centre holds it.
    public static func mayRegister(_ file: CaseFile, as post: Post) -> Bool {
        post.role == .dispatcher && CasePolicy.owns(file, as: post)
    }

    public static func permits(_ step: MediationStep.Kind, on dispute: Dispute, case file: CaseFile, body: MediationBody?, as post: Post) -> Bool {
        guard step.roles.contains(post.role) else { return false }
        switch post.role {
        case .mediator: return body?.hasMember(post.userID) ?? false
        case .dispatcher: return CasePolicy.owns(file, as: post)
        default: return false
        }
    }

    public static func check(_ step: MediationStep.Kind, on dispute: Dispute, case file: CaseFile, body: MediationBody?, as post: Post)
        throws(DomainError)
    {
        guard step.roles.contains(post.role) else {
            let names = step.roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw DomainError(.forbidden, "a \(post.role.rawValue) may not \(step.rawValue) a dispute; allowed for: \(names)")
        }
        guard permits(step, on: dispute, case: file, body: body, as: post) else {
            throw DomainError(
                .forbidden,
                post.role == .mediator
                    ? "only the mediators of the body given dispute \(dispute.caseID) may \(step.rawValue) it"
                    : "this dispatcher's centre does not hold case \(file.id)")
        }
    }

    /// The steps the post may take on the dispute now.
    public static func allowedSteps(on dispute: Dispute, case file: CaseFile, body: MediationBody?, as post: Post) -> [MediationStep.Kind] {
        MediationStep.Kind.allCases.filter { $0.isAvailable(on: dispute) && permits($0, on: dispute, case: file, body: body, as: post) }
    }

    /// The party as the post may read it: masked unless its role may see personal data and asked.
    public static func party(_ party: Dispute.Party, for post: Post, revealed: Bool) -> Dispute.Party {
        revealed && post.role.mayRevealPersonalData ? party : party.masked
    }
}
