import Foundation
import OneGridScratch
import OneGridStore

/// The databases the store contract runs on, like SQLKitBenchmark's drivers: SQLite always,
/// PostgreSQL when `ONEGRID_TEST_POSTGRES_URL` names a server whose role may create databases
/// (`.ci/run` starts one). Every test gets a scratch database of its own, so tests run in parallel.
enum TestDatabases {
    static let postgresURL = ProcessInfo.processInfo.environment["ONEGRID_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// The argument list of every contract test.
    static let kinds: [OneGridDatabase.Kind] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    /// Opens a fresh, empty database of `kind`, migrated unless asked not to, runs `body` on it,
    /// then shuts it down and throws it away, whether `body` succeeded or not.
    static func withDatabase<T>(
        _ kind: OneGridDatabase.Kind, migrated: Bool = true,
        readTimeLimit: Duration = OneGridDatabase.defaultReadTimeLimit, _ body: (OneGridDatabase) async throws -> T
    ) async throws -> T {
        guard kind == .postgres else {
            return try await ScratchDatabase.withOpened(kind, prefix: "onegrid-store", migrated: migrated, readTimeLimit: readTimeLimit, body)
        }
        await postgresSlots.acquire()
        do {
            let value = try await ScratchDatabase.withOpened(
                kind, serverURL: postgresURL, prefix: "onegrid-store", migrated: migrated, readTimeLimit: readTimeLimit, body)
            await postgresSlots.release()
            return value
        } catch {
            await postgresSlots.release()
            throw error
        }
    }

    /// Every test starts at once, and each PostgreSQL database opens pools of its own (reads and
    /// writes, per event loop) plus a listening connection: unbounded, the tests together ask
    /// for more connections than a server allows, and a refused connection fails a test that
    /// did nothing wrong.
    private static let postgresSlots = Slots(8)
}

/// A counting semaphore for tasks: `acquire` waits, in turn, while every slot is taken.
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
