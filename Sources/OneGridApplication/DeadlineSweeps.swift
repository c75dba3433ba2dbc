public import Foundation
import OneGridDomain
import OneGridStore

extension OneGridServices {
    /// One deadline sweep at `now` on the settings in force: urges at yellow, supervisions at red,
    /// escalations where the category allows (see `CaseStore.sweepDeadlines`). The server's
    /// sweeper runs it every half minute and `onegrid sweep` once.
    @discardableResult
    public func sweepDeadlines(at now: Date) async throws -> Int {
        let steps = try await cases.sweepDeadlines(now: now, planner: planner, categories: directory.categories)
        if steps > 0 { changes.publish([.sweep]) }
        return steps
    }
}
