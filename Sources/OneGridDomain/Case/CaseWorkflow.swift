public import Foundation

/// The case state machine of DOMAIN.md §3: given a case, an action, its input and the post
/// taking it, either the next case and its timeline entry, or a refusal that says why.
public enum CaseWorkflow {
    public static func decide(
        _ action: CaseAction, on file: CaseFile, input: CaseActionInput, by post: Post,
        context: CaseActionContext
    ) throws(DomainError) -> CaseTransition {
        guard action.allowedFrom.contains(file.status) else {
            let allowed = CaseAction.allowed(in: file.status).map(\.rawValue).joined(separator: ", ")
            throw DomainError(
                .notAllowedInState,
                "case \(file.id) is \(file.status.rawValue); \(action.rawValue) is not allowed there. "
                    + "Allowed now: \(allowed.isEmpty ? "none" : allowed)")
        }
        try CasePolicy.check(action, on: file, as: post)
        let note = input.note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if action.needsReason, note == nil {
            throw DomainError.invalid(field: "note", "\(action.rawValue) needs a note saying why or what was done")
        }
        if let note, note.count > 5_000 {
            throw DomainError.invalid(field: "note", "a note is at most 5,000 characters")
        }

        var decision = Decision(file: file, next: file, input: input, post: post, context: context)
        decision.next.version += 1
        switch action.procedure {
        case .triage: try decision.triage(action)
        case .dispatch: try decision.dispatch(action)
        case .handling: try decision.handling(action)
        case .deadlines: try decision.deadlines(action)
        case .petition: try decision.petition(action)
        case .mediation: preconditionFailure("a mediation step is decided by MediationWorkflow; mediate is allowed in no status")
        }
        return CaseTransition(
            action: action, from: file.status, file: decision.next, note: note, details: decision.details,
            extendBy: action == .extend ? input.extendBy : nil)
    }

    /// One decision under way: the case as it was, the case it becomes and what the timeline
    /// records of it. Each procedure's steps are decided in a file of their own
    /// (`CaseWorkflow+Triage.swift`, `+Dispatch`, `+Handling`, `+Deadlines`, `+Petitions`).
    struct Decision {
        let file: CaseFile
        var next: CaseFile
        let input: CaseActionInput
        let post: Post
        let context: CaseActionContext
        var details: [String: String] = [:]

        var now: Date { context.now }
    }
}
