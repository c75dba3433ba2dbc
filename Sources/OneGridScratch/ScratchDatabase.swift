import Foundation
public import OneGridStore
import SQLKit

/// A database made for one run and thrown away: a fresh SQLite file, or a fresh database on a
/// PostgreSQL server whose role may create databases. Every test makes one of its own, so tests
/// run in parallel; the benchmark makes one per measured part.
public enum ScratchDatabase {
    /// Creates a scratch database of `kind`, runs `body` with its location (a file path or a
    /// postgres:// URL), then removes it, whether `body` succeeded or not.
    /// - Parameters:
    ///   - serverURL: the PostgreSQL server to create it on; required for `.postgres`.
    ///   - directory: where the SQLite file goes (default: the system's temporary directory).
    ///   - prefix: names the file or database, so a leftover says whose it was.
    public static func with<T>(
        _ kind: OneGridDatabase.Kind, serverURL: String? = nil, directory: String? = nil, prefix: String,
        _ body: (_ location: String) async throws -> T
    ) async throws -> T {
        let scratch = try await Scratch.create(kind, serverURL: serverURL, directory: directory, prefix: prefix)
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(scratch.location))
        } catch {
            outcome = .failure(error)
        }
        try await scratch.remove()
        return try outcome.get()
    }

    /// As `with`, on the scratch database opened (and migrated unless asked not to), its reads
    /// limited to `readTimeLimit`; shut down before it is removed.
    public static func withOpened<T>(
        _ kind: OneGridDatabase.Kind, serverURL: String? = nil, directory: String? = nil, prefix: String, migrated: Bool = true,
        readTimeLimit: Duration = OneGridDatabase.defaultReadTimeLimit, _ body: (OneGridDatabase) async throws -> T
    ) async throws -> T {
        try await with(kind, serverURL: serverURL, directory: directory, prefix: prefix) { location in
            let database = try await OneGridDatabase.open(location, readTimeLimit: readTimeLimit)
            let outcome: Result<T, any Error>
            do {
                if migrated { try await Migrator().migrate(database) }
                outcome = .success(try await body(database))
            } catch {
                outcome = .failure(error)
            }
            try await database.shutdown()
            return try outcome.get()
        }
    }

    /// A database named `name` on the PostgreSQL server of `serverURL`, made empty (dropped first
    /// if it exists) and kept: for a benchmark's city too large to build again each run.
    /// Returns its URL.
    public static func emptyKeptDatabase(_ name: String, on serverURL: String) async throws -> String {
        let scratch = Scratch.postgres(serverURL: serverURL, name: name)
        try await scratch.remove()
        try await Scratch.onServer(serverURL) { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
        return scratch.location
    }

    /// The URL of the database `name` on the server of `serverURL`.
    public static func location(of name: String, on serverURL: String) -> String {
        Scratch.postgres(serverURL: serverURL, name: name).location
    }

    /// Removes an SQLite file with its write-ahead log and shared-memory companions.
    public static func removeSQLite(_ path: String) {
        for companion in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + companion) }
    }

    /// Where one scratch database lives, and how to remove it.
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

        static func create(_ kind: OneGridDatabase.Kind, serverURL: String?, directory: String?, prefix: String) async throws -> Scratch {
            let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
            switch kind {
            case .sqlite:
                let folder = directory.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
                return .sqlite(path: folder.appendingPathComponent("\(prefix)-\(suffix).sqlite").path)
            case .postgres:
                guard let serverURL, URLComponents(string: serverURL) != nil else {
                    throw ScratchUnavailable("a PostgreSQL scratch database needs a postgres:// server URL")
                }
                // Database names are identifiers: the prefix's dashes become underscores.
                let name = prefix.replacingOccurrences(of: "-", with: "_") + "_" + suffix
                try await onServer(serverURL) { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
                return .postgres(serverURL: serverURL, name: name)
            }
        }

        func remove() async throws {
            switch self {
            case .sqlite(let path):
                ScratchDatabase.removeSQLite(path)
            case .postgres(let serverURL, let name):
                // FORCE: a pool that has not quite let go of its connections must not keep it alive.
                // An autovacuum worker on it cannot be ended by a role that is no superuser: the
                // drop then fails until the worker is done, within a moment.
                var attempt = 1
                while true {
                    do {
                        return try await Self.onServer(serverURL) { try await $0.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
                    } catch where attempt < 20 {
                        attempt += 1
                        try await Task.sleep(for: .milliseconds(250))
                    }
                }
            }
        }

        /// Runs a statement on the server's own database, outside any transaction, as CREATE
        /// DATABASE requires.
        static func onServer(_ url: String, _ statement: (any SQLDatabase) async throws -> Void) async throws {
            // CREATE and DROP DATABASE wait for a checkpoint, which queues behind every other
            // test's: longer than a read's usual limit when many tests start at once.
            let server = try await OneGridDatabase.open(url, readTimeLimit: .seconds(600))
            do {
                try await statement(server.reader)
            } catch {
                try? await server.shutdown()
                throw error
            }
            try await server.shutdown()
        }
    }
}

public struct ScratchUnavailable: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
