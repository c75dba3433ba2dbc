import Foundation

/// First contact (首接负责): the centre accepts a report, rejects it, guides it to its legal route,
/// folds it into the case it repeats, or solves it there and then.
extension CaseWorkflow.Decision {
    mutating func triage(_ action: CaseAction) throws(DomainError) {
        switch action {
        case .accept:
            next.status = .accepted
            next.acceptedAt = now
        case .reject:
            next.status = .rejected
            next.closedAt = now
        case .guide:
            guard let route = input.legalRoute else {
                throw DomainError.invalid(
                    field: "legalRoute",
                    "guide needs legalRoute, one of: \(LegalRoute.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            next.status = .guided
            next.legalRoute = route
            next.closedAt = now
            details["legalRoute"] = route.rawValue
        case .merge:
            guard let primaryID = input.primaryCaseID else {
                throw DomainError.invalid(field: "primaryCaseID", "merge needs the id of the open primary case")
            }
            guard let primary = context.primary, primary.id == primaryID else {
                throw DomainError.notFound("primary case \(primaryID)", field: "primaryCaseID")
            }
            guard primary.id != file.id, primary.status.isOpen, primary.primaryCaseID == nil else {
                throw DomainError.invalid(
                    field: "primaryCaseID", "the primary must be another open case that is not itself merged")
            }
            next.status = .merged
            next.primaryCaseID = primaryID
            next.closedAt = now
            details["primaryCaseID"] = String(primaryID)
        case .solveOnSpot:
            // The reporter sees the result at the window or on the spot, so no ground
            // verification follows: the case waits only for the rating.
            next.status = .verified
            next.acceptedAt = next.acceptedAt ?? now
            next.handledAt = now
            next.finalLevel = post.areaLevel == .grid ? .village : post.areaLevel
            details["finalLevel"] = next.finalLevel?.rawValue
        default:
            preconditionFailure("\(action) is not a triage step")
        }
    }
}
