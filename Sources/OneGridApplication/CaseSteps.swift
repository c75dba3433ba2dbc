public import Foundation
public import OneGridDomain
public import OneGridStore

/// Acting on a case: look up what the action names, let the workflow decide and the planner set
/// the clock, and write it in one transaction under the case's version. Every way of taking a
/// step — the API, the pages, solve-on-the-spot at intake, the tests — comes through here.
public struct CaseSteps: Sendable {
    let services: OneGridServices

    /// Takes `action` on a case the post may see (others are "not found", as if they did not exist).
    /// - Parameters:
    ///   - expectedVersion: the version the person saw; another is a conflict.
    ///   - now: when the step is taken; the server's clock unless a fixture pins it.
    public func take(
        _ action: CaseAction, on caseID: Int64, input: CaseActionInput, expectedVersion: Int?, by principal: Principal,
        at now: Date? = nil
    ) async throws -> CaseRecord {
        try await take(action, on: caseID, input: input, expectedVersion: expectedVersion, by: principal, idempotencyKey: nil, at: now).record
    }

    /// `take`, once per idempotency key of the principal's user: a retry with the key returns the
    /// case as it is (`isReplay`), whatever the version it carries, and takes no second step.
    public func take(
        _ action: CaseAction, on caseID: Int64, input: CaseActionInput, expectedVersion: Int?, by principal: Principal,
        idempotencyKey: String?, at now: Date? = nil
    ) async throws -> (record: CaseRecord, isReplay: Bool) {
        guard action != .report else {
            throw DomainError.invalid(field: "action", "a case is reported through intake, not as an action")
        }
        let record = try await services.reading.visibleCase(caseID, to: principal.post)
        let context = try await context(for: input, on: record.file, as: principal.post, at: now ?? services.clock.now)
        guard let category = context.category else {
            throw StoreError.corrupt("case \(caseID) names category \(record.file.categoryID), which no longer exists")
        }
        let post = principal.post
        let planner = services.planner
        let decide: @Sendable (CaseFile) throws -> CaseTransition = { file in
            try CaseWorkflow.step(action, on: file, input: input, by: post, context: context, category: category, planner: planner)
        }
        let taken: (record: CaseRecord, isReplay: Bool)
        if let idempotencyKey {
            taken = try await services.cases.perform(
                caseID: caseID, expectedVersion: expectedVersion, by: principal, at: context.now, idempotencyKey: idempotencyKey, decide: decide)
        } else {
            taken = (try await services.cases.perform(caseID: caseID, expectedVersion: expectedVersion, by: principal, at: context.now, decide: decide), false)
        }
        if !taken.isReplay { services.changes.publish([CaseChange(taken.record)]) }
        return taken
    }

    /// Looks up the records an action's input names, so the decision itself is pure. A primary
    /// case the post may not see is left out, so merging into it is refused as unknown.
    func context(for input: CaseActionInput, on file: CaseFile, as post: Post, at now: Date) async throws -> CaseActionContext {
        let directory = services.directory
        var context = CaseActionContext(now: now, category: directory.categories[file.categoryID])
        // The department named, else the one holding the case (its level is where a feedback
        // finally solved it), else the one routing suggested (for a first dispatch).
        context.department = (input.departmentID ?? file.departmentID ?? file.suggestedDepartmentID).flatMap { directory.departments[$0] }
        context.assistingDepartments = (input.assistingDepartmentIDs ?? []).compactMap { directory.departments[$0] }
        if let watcher = input.watcherUserID {
            context.watcher = try await services.people.gridWorkerPost(userID: watcher, gridID: file.areas.grid)
        }
        if let primaryID = input.primaryCaseID, let primary = try await services.cases.record(id: primaryID),
            CasePolicy.canSee(primary.file, as: post)
        {
            context.primary = primary.file
        }
        return context
    }
}
