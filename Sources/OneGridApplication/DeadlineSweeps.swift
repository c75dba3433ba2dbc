public import Foundation
import OneGridDomain
import OneGridStore

extension OneGridServices {
    /// One deadline sweep at `now` on the settings in force: urges at yellow, supervisions at red,
    /// escalations where the category allows (see `CaseStore.sweepDeadlines`). The server's
    /// sweeper runs it every half minute and `onegrid sweep` once. Petition limits that ran out
    /// are recorded as misses in the same sweep (信访工作条例 Art. 44).
    @discardableResult
    public func sweepDeadlines(at now: Date) async throws -> Int {
        let steps = try await cases.sweepDeadlines(now: now, planner: planner, categories: directory.categories)
        try await petitions.recordOverdue(at: now)
        if steps > 0 { changes.publish([.anywhere]) }
        return steps
    }
}
