public import Foundation
public import OneGridDomain

extension CaseStore {
    /// One deadline sweep: acts on every clock due at `now`, a batch per transaction. Safe to run
    /// from several servers at once: each step is written only over the version it was decided
    /// on, so every urge, supervision and escalation happens once per clock.
    /// - Returns: the steps written.
    public func sweepDeadlines(
        now: Date, planner: DeadlinePlanner, categories: [Int64: OneGridDomain.Category], batchSize: Int = 500
    ) async throws -> Int {
        var total = 0
        while true {
            let due = try await casesDueForAlert(at: now, limit: batchSize)
            let steps = due.compactMap { record -> SystemStep? in
                guard let category = categories[record.file.categoryID] else { return nil }
                return Self.deadlineStep(for: record.file, category: category, planner: planner, now: now)
            }
            let written = try await applySystemSteps(steps, at: now)
            total += written
            // A short batch was the last; a batch where nothing could be written (all changed
            // under us) is looked at again next round rather than spun on now.
            if due.count < batchSize || written == 0 { return total }
        }
    }

    /// The alerts a case's clock has come to, each decided on the case as the one before left it.
    static func deadlineStep(
        for file: CaseFile, category: OneGridDomain.Category, planner: DeadlinePlanner, now: Date
    ) -> SystemStep? {
        guard let clock = file.clock, file.suspendedAt == nil else { return nil }
        var current = file
        var transitions: [CaseTransition] = []
        for kind in DeadlineSweep.due(clock: clock, sent: file.alertSent, escalates: planner.escalates(file, category), now: now) {
            guard let transition = try? planner.alert(kind, on: current, category: category, now: now) else { break }
            transitions.append(transition)
            current = transition.file
        }
        return transitions.isEmpty ? nil : SystemStep(caseID: file.id, decidedOnVersion: file.version, transitions: transitions)
    }
}
