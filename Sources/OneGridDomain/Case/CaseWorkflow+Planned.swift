import Foundation

extension CaseWorkflow {
    /// One step as every caller takes it — the API, the pages, the demo's history, the tests: the
    /// workflow decides, then the planner brings the case's clock up to date. Pure, so it runs
    /// inside the store's transaction on the case as it stands there.
    public static func step(
        _ action: CaseAction, on file: CaseFile, input: CaseActionInput, by post: Post, context: CaseActionContext,
        category: Category, planner: DeadlinePlanner
    ) throws -> CaseTransition {
        planner.plan(try decide(action, on: file, input: input, by: post, context: context), category: category, now: context.now)
    }
}
