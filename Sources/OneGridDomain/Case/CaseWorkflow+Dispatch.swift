import Foundation

/// Dispatch (调度分流): to a department, with a watching grid worker, jointly with assisting
/// departments (吹哨报到), down to a lower centre, back when misrouted, or one level up.
extension CaseWorkflow.Decision {
    mutating func dispatch(_ action: CaseAction) throws(DomainError) {
        switch action {
        case .dispatch, .dualDispatch, .jointDispatch:
            if action == .dispatch, input.departmentID == nil, let areaID = input.areaID {
                try Self.transferDown(&next, to: areaID)
                details["areaID"] = String(areaID)
                break
            }
            let department = try Self.assignee(for: file, input: input, context: context)
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
                    try Self.checkServes(assisting, file, field: "assistingDepartmentIDs")
                }
                next.assists = ids.map { CaseFile.Assist(departmentID: $0) }
                details["assistingDepartmentIDs"] = ids.map(String.init).joined(separator: ",")
            }
        case .return:
            next.status = .accepted
            next.departmentID = nil
            next.assists = []
            next.watcherUserID = nil
            next.returnCount += 1
        case .reportAssist:
            let department = post.departmentID
            next.assists = file.assists.map {
                $0.departmentID == department ? CaseFile.Assist(departmentID: $0.departmentID, reportedAt: now) : $0
            }
        case .escalate:
            try next.escalate(at: now)
            details["toLevel"] = next.handlingLevel.rawValue
        default:
            preconditionFailure("\(action) is not a dispatch step")
        }
    }
}

extension CaseWorkflow.Decision {

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
        try Self.checkServes(department, file, field: "departmentID")
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
        guard let level = CaseWorkflow.centresBelow(next).first(where: { $0.areaID == areaID })?.level else {
            throw DomainError.invalid(
                field: "areaID", "area \(areaID) is not a centre below the \(next.handlingLevel.rawValue) one on this case's path")
        }
        next.handlingLevel = level
        next.handlingAreaID = areaID
    }
}

extension CaseWorkflow {
    /// Whether a department may be sent the case: `Decision.checkServes` without building its refusal, for
    /// offering only the departments a dispatch would accept.
    public static func serves(_ department: Department, _ file: CaseFile) -> Bool {
        department.level != .grid && file.areas[department.level] == department.areaID && department.level >= file.handlingLevel
    }

    /// The centres below the one holding the case on its path, which a dispatch may hand it down to.
    public static func centresBelow(_ file: CaseFile) -> [(level: AdminLevel, areaID: Int64)] {
        AdminLevel.allCases.filter { $0.runsCentre && $0 > file.handlingLevel }.map { ($0, file.areas[$0]) }
    }
}
