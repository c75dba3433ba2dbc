import Foundation
import OneGridStore
import SQLKit

/// The databases the store contract runs on, like SQLKitBenchmark's drivers: SQLite always,
/// PostgreSQL when `ONEGRID_TEST_POSTGRES_URL` names a server whose role may create databases
/// (`.ci/run` starts one). Every test gets a database of its own, so tests run in parallel.
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
        let scratch = try await Scratch.create(kind)
        let database: OneGridDatabase
        do {
            database = try await OneGridDatabase.open(scratch.location, readTimeLimit: readTimeLimit)
        } catch {
            try await scratch.remove()
            throw error
        }
        let outcome: Result<T, any Error>
        do {
            if migrated { try await Migrator().migrate(database) }
            outcome = .success(try await body(database))
        } catch {
            outcome = .failure(error)
        }
        try await database.shutdown()
        try await scratch.remove()
        return try outcome.get()
    }

    /// Where one test's database lives, and how to remove it.
    private enum Scratch {
        case sqlite(path: String)
        case postgres(serverURL: String, name: String)

        var location: String {
            switch self {
            case .sqlite(let path): return path
            case .postgres(let serverURL, let name):
                var components = URLComponents(string: serverURL)!
                components.path = "/" + name
                return components.string!
            }
        }

        static func create(_ kind: OneGridDatabase.Kind) async throws -> Scratch {
            let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
            switch kind {
            case .sqlite:
                return .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-store-\(suffix).sqlite").path)
            case .postgres:
                guard let serverURL = postgresURL else {
                    throw Unavailable("ONEGRID_TEST_POSTGRES_URL is not set")
                }
                let name = "onegrid_t_\(suffix)"
                try await onServer(serverURL) { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
                return .postgres(serverURL: serverURL, name: name)
            }
        }

        func remove() async throws {
            switch self {
            case .sqlite(let path):
                for companion in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + companion) }
            case .postgres(let serverURL, let name):
                // FORCE: a pool that has not quite let go of its connections must not keep it alive.
                try await Self.onServer(serverURL) { try await $0.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
            }
        }

        /// Runs a statement on the server's own database, outside any transaction, as CREATE
        /// DATABASE requires.
        private static func onServer(_ url: String, _ statement: (any SQLDatabase) async throws -> Void) async throws {
            let server = try await OneGridDatabase.open(url)
            do {
                try await statement(server.reader)
            } catch {
                try? await server.shutdown()
                throw error
            }
            try await server.shutdown()
        }
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
