/// The cases a post may see, in a form a query can filter on (mirrors `CasePolicy.canSee`).
public enum CaseScope: Sendable, Hashable {
    /// Cases located in an area: its level says which of the case's area columns to compare.
    case area(level: AdminLevel, id: Int64)
    /// Cases assigned to a department as assignee, lead or assistant.
    case department(Int64)
    /// A citizen's own reports.
    case reporter(userID: Int64)
    /// A post that sees no cases (a handler without a department).
    case nothing

    public init(post: Post) {
        switch post.role {
        case .citizen:
            self = .reporter(userID: post.userID)
        case .departmentHandler:
            self = post.departmentID.map(CaseScope.department) ?? .nothing
        case .gridWorker, .windowClerk, .hotlineAgent, .dispatcher, .mediator, .leader, .administrator:
            self = .area(level: post.areaLevel, id: post.areaID)
        }
    }
}
