public import OneGridStore

/// Group commit for intake: requests that arrive while a batch is being written wait and go
/// together in the next transaction, so one durable commit (one fsync on SQLite) serves many
/// cases. Under light load a batch is a single case and nothing waits.
public actor IntakeWriter {
    private struct Pending {
        var draft: CaseDraft
        var continuation: CheckedContinuation<Intake, any Error>
    }

    private let store: any CaseStore
    private var queue: [Pending] = []
    private var writing = false
    /// Small enough that the next batch is written while the previous one's answers are encoded
    /// on the other cores (measured: 512 made all clients move in step, one core idle in turn),
    /// large enough that one fsync still serves many cases.
    private let maximumBatch = 32

    public init(store: any CaseStore) {
        self.store = store
    }

    public func submit(_ draft: CaseDraft) async throws -> Intake {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(draft: draft, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maximumBatch))
            queue.removeFirst(batch.count)
            do {
                let intakes = try await store.create(batch.map(\.draft))
                for (pending, intake) in zip(batch, intakes) { pending.continuation.resume(returning: intake) }
            } catch where batch.count > 1 && DatabaseFault(error) == nil {
                // One bad draft must not fail its neighbours: write them one by one. Not when the
                // database itself failed (unreachable, full): each would fail the same way, one
                // after another, while every report behind them waited.
                for pending in batch {
                    do {
                        pending.continuation.resume(returning: try await store.create([pending.draft])[0])
                    } catch {
                        pending.continuation.resume(throwing: error)
                    }
                }
            } catch {
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
