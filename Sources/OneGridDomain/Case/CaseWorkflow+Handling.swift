import Foundation

/// Handling to archive: signing for it, feeding back with evidence, verification on the ground,
/// the reporter's rating, closing, archiving, and the audited reopening.
extension CaseWorkflow.Decision {
    mutating func handling(_ action: CaseAction) throws(DomainError) {
        switch action {
        case .start:
            next.status = .inProgress
        case .feedBack:
            let waiting = file.assists.filter { $0.reportedAt == nil }.map { String($0.departmentID) }
            guard waiting.isEmpty else {
                throw DomainError(
                    .notAllowedInState,
                    "the assisting departments \(waiting.joined(separator: ", ")) have not reported yet")
            }
            next.status = .handled
            next.handledAt = now
            next.finalLevel = context.department?.level ?? file.handlingLevel
            keepEvidence()
        case .verifyPass:
            next.status = .verified
            keepEvidence()
        case .verifyFail:
            keepEvidence()
            next.status = .inProgress
            next.handledAt = nil
            next.finalLevel = nil
            next.reworkCount += 1
        case .rate:
            guard let rating = input.rating else {
                throw DomainError.invalid(
                    field: "rating", "rate needs rating, one of: \(Rating.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            next.status = .rated
            next.rating = rating
            details["rating"] = rating.rawValue
        case .close:
            next.status = .closed
            next.closedAt = now
        case .archive:
            next.status = .archived
        case .reopen:
            next.acceptAnew(at: file.handlingLevel, now: now)
            next.clearOutcome()
        default:
            preconditionFailure("\(action) is not a handling step")
        }
    }

    /// The photos, recordings and documents a step came with (feedback and verification on the
    /// ground), named in its timeline entry.
    private mutating func keepEvidence() {
        if let evidence = input.evidence, !evidence.isEmpty {
            details["evidence"] = evidence.joined(separator: "\n")
        }
    }
}
