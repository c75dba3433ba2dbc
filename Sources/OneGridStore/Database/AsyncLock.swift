import Synchronization

/// A FIFO lock for async code: waiters suspend instead of blocking a thread.
final class AsyncLock: Sendable {
    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var locked = false
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        _ = await acquire(within: nil)
        defer { release() }
        return try await body()
    }

    /// `withLock`, or nil without running `body` when the lock is not had within `limit`: for
    /// work that holds something else while it waits, and must not wait for a holder that may be
    /// waiting for that.
    func withLock<T: Sendable>(within limit: Duration, _ body: () async throws -> T) async throws -> T? {
        guard await acquire(within: limit) else { return nil }
        defer { release() }
        return try await body()
    }

    private func acquire(within limit: Duration?) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let waiting = state.withLock { state -> Int? in
                guard state.locked else {
                    state.locked = true
                    return nil
                }
                state.nextID += 1
                state.waiters.append(Waiter(id: state.nextID, continuation: continuation))
                return state.nextID
            }
            guard let waiting else { return continuation.resume(returning: true) }
            guard let limit else { return }
            Task {
                try? await Task.sleep(for: limit)
                // Still waiting: gives up. Handed the lock meanwhile: `release` resumed it already.
                let givenUp = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == waiting }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                givenUp?.resume(returning: false)
            }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
