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

        var next = file
        next.version += 1
        var details: [String: String] = [:]
        let now = context.now

        switch action {
        case .report:
            preconditionFailure("report has no prior state; allowedFrom is empty")
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
        case .dispatch, .dualDispatch, .jointDispatch:
            if action == .dispatch, input.departmentID == nil, let areaID = input.areaID {
                try transferDown(&next, to: areaID)
                details["areaID"] = String(areaID)
                break
            }
            let department = try assignee(for: file, input: input, context: context)
            next.status = .assigned
            next.departmentID = department.id
            next.assignedAt = now
            next.assists = []
            next.watcherUserID = nil
            details["departmentID"] = String(department.id)
            if action == .dualDispatch {
                guard let watcherID = input.watcherUserID else {
                    throw DomainError.invalid(field: "watcherUserID", "dual dispatch needs the grid worker who watches")
                }
                guard let watcher = context.watcher, watcher.userID == watcherID, watcher.role == .gridWorker,
                    watcher.areaID == file.areas.grid
                else {
                    throw DomainError.invalid(
                        field: "watcherUserID", "user \(watcherID) is not a grid worker of this case's grid")
                }
                next.watcherUserID = watcherID
                details["watcherUserID"] = String(watcherID)
            }
            if action == .jointDispatch {
                let ids = input.assistingDepartmentIDs ?? []
                guard !ids.isEmpty, Set(ids).count == ids.count, !ids.contains(department.id) else {
                    throw DomainError.invalid(
                        field: "assistingDepartmentIDs",
                        "joint handling needs one or more distinct assisting departments other than the lead")
                }
                for id in ids {
                    guard let assisting = context.assistingDepartments.first(where: { $0.id == id }) else {
                        throw DomainError.notFound("department \(id)", field: "assistingDepartmentIDs")
                    }
                    try checkServes(assisting, file, field: "assistingDepartmentIDs")
                }
                next.assists = ids.map { CaseFile.Assist(departmentID: $0) }
                details["assistingDepartmentIDs"] = ids.map(String.init).joined(separator: ",")
            }
        case .start:
            next.status = .inProgress
        case .return:
            next.status = .accepted
            next.departmentID = nil
            next.assists = []
            next.watcherUserID = nil
            next.returnCount += 1
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
            if let evidence = input.evidence, !evidence.isEmpty {
                details["evidence"] = evidence.joined(separator: "\n")
            }
        case .reportAssist:
            let department = post.departmentID
            next.assists = file.assists.map {
                $0.departmentID == department ? CaseFile.Assist(departmentID: $0.departmentID, reportedAt: now) : $0
            }
        case .escalate:
            try next.escalate(at: now)
            details["toLevel"] = next.handlingLevel.rawValue
        case .verifyPass:
            next.status = .verified
        case .verifyFail:
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
        }
        return CaseTransition(
            action: action, from: file.status, file: next, note: note, details: details,
            extendBy: action == .extend ? input.extendBy : nil)
    }

    /// The department a dispatch names, or the one routing suggested.
    private static func assignee(
        for file: CaseFile, input: CaseActionInput, context: CaseActionContext
    ) throws(DomainError) -> Department {
        guard let id = input.departmentID ?? file.suggestedDepartmentID else {
            throw DomainError.invalid(field: "departmentID", "dispatch needs a departmentID (or an areaID to send it down)")
        }
        guard let department = context.department, department.id == id else {
            throw DomainError.notFound("department \(id)", field: "departmentID")
        }
        try checkServes(department, file, field: "departmentID")
        return department
    }

    /// A centre sends work to departments that serve the case's place at its own level or below;
    /// sending higher is escalation, a separate step.
    private static func checkServes(_ department: Department, _ file: CaseFile, field: String) throws(DomainError) {
        guard department.level != .grid, file.areas[department.level] == department.areaID else {
            throw DomainError.invalid(field: field, "department \(department.id) does not serve this case's area")
        }
        guard department.level >= file.handlingLevel else {
            throw DomainError.invalid(
                field: field,
                "department \(department.id) is at \(department.level.rawValue) level, above the \(file.handlingLevel.rawValue) centre holding the case; escalate instead"
            )
        }
    }

    private static func transferDown(_ next: inout CaseFile, to areaID: Int64) throws(DomainError) {
        guard
            let level = AdminLevel.allCases.first(where: {
                $0.runsCentre && $0 > next.handlingLevel && next.areas[$0] == areaID
            })
        else {
            throw DomainError.invalid(
                field: "areaID", "area \(areaID) is not a centre below the \(next.handlingLevel.rawValue) one on this case's path")
        }
        next.handlingLevel = level
        next.handlingAreaID = areaID
    }
}
