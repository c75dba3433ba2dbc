public import Foundation
public import Logging
import SQLiteKit

/// A consistent copy of a live SQLite city, and the checks a copy passes before it replaces one.
///
/// `VACUUM INTO` reads one snapshot of the database (WAL mode lets the server go on writing
/// meanwhile) and writes it compacted to a new file: what it copies is the database as it stood
/// at one moment, never half a transaction. PostgreSQL has its own tools (the README says which).
public enum DatabaseBackup {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the snapshot to `target`, a path that must not exist yet; returns its size in bytes.
    /// A copy that fails leaves no file behind.
    @discardableResult
    public static func backUp(_ database: OneGridDatabase, to target: String, logger: Logger) async throws -> Int {
        guard let path = database.sqlitePath else {
            throw Refusal(description: "onegrid backup copies an SQLite file; back up PostgreSQL with pg_dump or pg_basebackup")
        }
        guard !FileManager.default.fileExists(atPath: target) else {
            throw Refusal(description: "\(target) exists already; a backup never overwrites a file")
        }
        do {
            try await SQLiteFile.withConnection(path: path, logger: logger) { connection in
                _ = try await connection.query("VACUUM INTO ?", [.text(target)])
            }
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw error
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    /// SQLite's own check of every page and index of the file at `path`: empty when it is sound.
    public static func integrityProblems(at path: String, logger: Logger) async throws -> [String] {
        do {
            return try await SQLiteFile.withConnection(path: path, logger: logger) { connection in
                let rows = try await connection.query("PRAGMA integrity_check")
                let lines = rows.compactMap { $0.columns.first?.data.string }
                return lines == ["ok"] ? [] : lines
            }
        } catch {
            // A file damaged where SQLite looks first cannot even be checked: that is its answer.
            return ["\(error)"]
        }
    }
}
