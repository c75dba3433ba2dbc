import Foundation

/// Petitions (信访工作条例): review (复查) and re-review (复核) by the level above, within the
/// law's windows, and no third.
extension CaseWorkflow.Decision {
    mutating func petition(_ action: CaseAction) throws(DomainError) {
        switch action {
        case .requestReview:
            guard context.category?.kind == .petition else {
                throw DomainError(.notAllowedInState, "only a petition is reviewed (复查); reopen other cases")
            }
            guard file.reviewCount < TimeLimit.petitionReviews else {
                throw DomainError(
                    .notAllowedInState, "case \(file.id) has had its review and re-review (复核); the same facts are not accepted again")
            }
            let repliedAt = file.closedAt ?? now
            let window = TimeLimit.petitionReview
            guard now.timeIntervalSince(repliedAt) <= window.approximateDays * 86_400 else {
                throw DomainError(.notAllowedInState, "a review is asked for within \(window) of the reply (信访工作条例 Art. 35)")
            }
            // The level above the one that replied reviews it; the city reviews its own.
            next.acceptAnew(at: file.handlingLevel.above ?? file.handlingLevel, now: now)
            next.clearOutcome()
            next.reviewCount += 1
            details["review"] = next.reviewCount == 1 ? "复查" : "复核"
            details["toLevel"] = next.handlingLevel.rawValue
        default:
            preconditionFailure("\(action) is not a petition step")
        }
    }
}

extension CaseWorkflow {
    /// A step of the petition procedure as its case's timeline records it: the case unchanged but
    /// for its version, the step's name and facts in the details, its text as the note.
    public static func petitionStep(_ name: String, on file: CaseFile, text: String?, details: [String: String]) -> CaseTransition {
        var next = file
        next.version += 1
        return CaseTransition(
            action: .petitionStep, from: file.status, file: next, note: text.map { String($0.prefix(5_000)) },
            details: details.merging(["step": name]) { _, step in step })
    }
}
