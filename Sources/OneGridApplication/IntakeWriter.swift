public import OneGridStore
import Synchronization

/// Group commit for intake: requests that arrive while a batch is being written wait and go
/// together in the next transaction, so one durable commit (one fsync on SQLite) serves many
/// cases. Under light load a batch is a single case and nothing waits.
///
/// The queue is behind a lock, not in an actor: between one batch and the next the writing
/// loop would wait its turn on the actor behind every report arriving meanwhile.
public final class IntakeWriter: Sendable {
    private struct Pending: Sendable {
        var draft: CaseDraft
        var continuation: CheckedContinuation<Intake, any Error>
    }

    private struct Queue {
        var pending: [Pending] = []
        var writing = false
    }

    private let store: any CaseStore
    private let queue = Mutex(Queue())
    /// Small enough that the next batch is written while the previous one's answers are encoded
    /// on the other cores (measured: 512 made all clients move in step, one core idle in turn),
    /// large enough that one fsync still serves many cases.
    private let maximumBatch = 32

    public init(store: any CaseStore) {
        self.store = store
    }

    public func submit(_ draft: CaseDraft) async throws -> Intake {
        try await withCheckedThrowingContinuation { continuation in
            let starts = queue.withLock { queue in
                queue.pending.append(Pending(draft: draft, continuation: continuation))
                guard !queue.writing else { return false }
                queue.writing = true
                return true
            }
            if starts { Task { await self.drain() } }
        }
    }

    /// The next batch, or nil when the queue is empty (and then no longer writing).
    private func nextBatch() -> [Pending]? {
        queue.withLock { queue in
            guard !queue.pending.isEmpty else {
                queue.writing = false
                return nil
            }
            let batch = Array(queue.pending.prefix(maximumBatch))
            queue.pending.removeFirst(batch.count)
            return batch
        }
    }

    private func drain() async {
        while let batch = nextBatch() {
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
    }
}
