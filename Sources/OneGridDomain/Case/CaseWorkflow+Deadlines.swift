import Foundation

/// The clock's own steps: urges and supervisions, suspension with its resumption, extensions
/// within the limits of the case's kind.
extension CaseWorkflow.Decision {
    mutating func deadlines(_ action: CaseAction) throws(DomainError) {
        switch action {
        case .urge, .supervise:
            // A reminder changes nothing but the record; the sweeper's own alerts also mark the clock.
            break
        case .suspend:
            guard file.suspendedAt == nil else {
                throw DomainError(.notAllowedInState, "case \(file.id) is already suspended; resume it first")
            }
            next.suspendedAt = now
        case .resume:
            guard let since = file.suspendedAt else {
                throw DomainError(.notAllowedInState, "case \(file.id) is not suspended")
            }
            // The time suspended is not counted: the clock moves by exactly that much.
            let paused = now.timeIntervalSince(since)
            next.suspendedAt = nil
            next.clockShift += paused
            next.clock?.startedAt.addTimeInterval(paused)
            next.clock?.dueAt.addTimeInterval(paused)
            details["suspendedSeconds"] = String(Int(paused))
        case .extend:
            guard let extendBy = input.extendBy else {
                throw DomainError.invalid(field: "extendBy", "extend needs extendBy, a time limit like 5wd")
            }
            let kind = context.category?.kind ?? .general
            let most = TimeLimit.maximumExtension(for: kind)
            guard extendBy.approximateDays <= most.approximateDays else {
                throw DomainError.invalid(field: "extendBy", "an extension is at most \(most) for this kind of case")
            }
            if kind == .petition, file.extensionCount > 0 {
                throw DomainError(.notAllowedInState, "a petition's handling may be extended only once (信访工作条例 Art. 34)")
            }
            next.extensionCount += 1
            details["extendBy"] = extendBy.description
        default:
            preconditionFailure("\(action) is not a deadlines step")
        }
    }
}
