/// Mediation (人民调解法): its steps are decided on the dispute by `MediationWorkflow`; the case
/// records each on its timeline, keeping its status, so the case's one hash chain holds the
/// whole story of the matter.
extension CaseWorkflow {
    public static func mediation(_ change: MediationChange, on file: CaseFile) throws(DomainError) -> CaseTransition {
        // An archived record is sealed; a closed one still takes the follow-ups of its agreement (Art. 31).
        guard file.status != .archived else {
            throw DomainError(.notAllowedInState, "case \(file.id) is archived; its record takes no more entries")
        }
        var next = file
        next.version += 1
        var details = change.details
        details["step"] = change.step
        return CaseTransition(action: .mediate, from: file.status, file: next, note: change.note, details: details)
    }
}
