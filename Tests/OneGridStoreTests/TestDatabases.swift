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
        try await ScratchDatabase.withOpened(kind, serverURL: postgresURL, prefix: "onegrid-store", migrated: migrated, readTimeLimit: readTimeLimit, body)
    }
}
