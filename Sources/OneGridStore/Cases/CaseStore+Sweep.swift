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
        // Pages are read, decided and sealed while earlier pages are written: reads and the writer
        // use separate connections, the cursor keeps pages apart, and two writes in flight let one
        // seal its events while the other holds the writer. A case changed under us is skipped by
        // the version guard and looked at again by the next sweep.
        try await withThrowingTaskGroup(of: Int.self) { group in
            var total = 0
            var writing = 0
            var due = try await casesDueForAlert(at: now, after: nil, limit: batchSize)
            while let last = due.last {
                let steps = due.compactMap { record -> SystemStep? in
                    guard let category = categories[record.file.categoryID] else { return nil }
                    return Self.deadlineStep(for: record, category: category, planner: planner, now: now)
                }
                if writing == 2, let written = try await group.next() {
                    total += written
                    writing -= 1
                }
                group.addTask { try await applySystemSteps(steps, at: now) }
                writing += 1
                due = due.count < batchSize ? [] : try await casesDueForAlert(at: now, after: AlertCursor(after: last), limit: batchSize)
            }
            for try await written in group { total += written }
            return total
        }
    }

    /// The alerts a case's clock has come to, each decided on the case as the one before left it.
    static func deadlineStep(
        for record: CaseRecord, category: OneGridDomain.Category, planner: DeadlinePlanner, now: Date
    ) -> SystemStep? {
        let file = record.file
        guard let clock = file.clock, file.suspendedAt == nil else { return nil }
        var current = file
        var transitions: [CaseTransition] = []
        for kind in DeadlineSweep.due(clock: clock, sent: file.alertSent, escalates: planner.escalates(file, category), now: now) {
            guard let transition = try? planner.alert(kind, on: current, category: category, now: now) else { break }
            transitions.append(transition)
            current = transition.file
        }
        return transitions.isEmpty ? nil : SystemStep(decidedOn: record, transitions: transitions)
    }
}
