public import Foundation
import OneGridDomain
import SQLKit

/// Small named values an administrator sets at run time, such as the working calendar. Every
/// instance of a cluster reads the same rows.
public protocol SettingsStore: Sendable {
    func value(_ key: String) async throws -> String?
    func set(_ key: String, to value: String, at now: Date) async throws
}

public struct SQLSettingsStore: SettingsStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// The key of the working calendar file (see `WorkCalendar(parsing:)`).
    public static let calendarKey = "calendar"
    /// The key of the share of a limit after which a clock turns yellow ("0.8").
    public static let yellowShareKey = "deadlines.yellowShare"

    public func value(_ key: String) async throws -> String? {
        try await database.reader.select().column("value").from("settings").where("key", .equal, key)
            .first(decodingColumn: "value", as: String.self)
    }

    public func set(_ key: String, to value: String, at now: Date) async throws {
        try await database.transaction { db in
            try await db.insert(into: "settings").columns("key", "value", "updated_at")
                .values(SQLBind(key), SQLBind(value), SQLBind(now.millisecondsSince1970))
                .onConflict(with: ["key"]) { $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at") }
                .run()
        }
    }
}
