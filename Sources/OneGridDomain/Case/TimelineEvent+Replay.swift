/// What a case's timeline alone determines of the case: replayed by the audit and compared with
/// the stored row, so a row changed behind OneGrid's back (its status set to closed, its
/// assignee swapped) is seen even though every event still hashes right.
public struct TimelineOutcome: Sendable, Hashable {
    public var status: CaseStatus
    /// One more per event: the report is version 1.
    public var version: Int
    /// The department holding the case as assignee, as the last dispatch named it.
    public var departmentID: Int64?

    /// Replays `events` (in sequence order); nil for an empty timeline.
    public init?(replaying events: some Sequence<TimelineEvent>) {
        var outcome: TimelineOutcome?
        for event in events {
            var next = outcome ?? TimelineOutcome(status: event.toStatus, version: 0, departmentID: nil)
            next.status = event.toStatus
            next.version += 1
            switch event.action {
            case .dispatch, .dualDispatch, .jointDispatch:
                // A dispatch down to a lower centre names an area, not a department.
                if let named = event.details["departmentID"].flatMap(Int64.init) { next.departmentID = named }
            // The steps that take the case from its department (`CaseWorkflow+Dispatch`, `acceptAnew`).
            case .return, .escalate, .requestReview, .reopen:
                next.departmentID = nil
            default:
                break
            }
            outcome = next
        }
        guard let outcome else { return nil }
        self = outcome
    }

    init(status: CaseStatus, version: Int, departmentID: Int64?) {
        self.status = status
        self.version = version
        self.departmentID = departmentID
    }
}
