public import Foundation
public import OneGridDomain
import SQLKit

/// Small named values an administrator sets at run time, such as the working calendar. Every
/// instance of a cluster reads the same rows.
public protocol SettingsStore: Sendable {
    /// The stored value, nil when none was stored.
    func value<Value>(_ key: SettingKey<Value>) async throws -> Value?
    func set<Value>(_ key: SettingKey<Value>, to value: Value, at now: Date) async throws
}

/// A setting: its name in the `settings` table and how its value is written there as text.
public struct SettingKey<Value: Sendable>: Sendable {
    public let name: String
    let parse: @Sendable (String) throws -> Value
    let format: @Sendable (Value) -> String
}

extension SettingKey where Value == WorkCalendarFile {
    /// The working calendar file (docs/calendar.md).
    public static var calendar: Self {
        Self(name: "calendar", parse: { try WorkCalendarFile(parsing: $0) }, format: \.text)
    }
}

extension SettingKey where Value == Double {
    /// The share of a limit after which a clock turns yellow, e.g. 0.8.
    public static var yellowShare: Self {
        Self(
            name: "deadlines.yellowShare",
            parse: { text in
                guard let share = Double(text) else {
                    throw StoreError.corrupt("the setting deadlines.yellowShare is '\(text)', not a number")
                }
                return share
            },
            format: { String($0) })
    }
}

extension SettingKey where Value == CategoryClassifier {
    /// The category model `onegrid classifier train` stored, replaced whole at each training.
    public static var categoryModel: Self {
        Self(
            name: "classifier.model",
            parse: { text in
                do {
                    return try JSONDecoder().decode(CategoryClassifier.self, from: Data(text.utf8))
                } catch {
                    throw StoreError.corrupt("the setting classifier.model is not a stored model: \(error)")
                }
            },
            // A model is counts in arrays and strings: encoding it cannot fail.
            format: { String(decoding: (try? JSONEncoder().encode($0)) ?? Data(), as: UTF8.self) })
    }
}

/// A working calendar as the administrator wrote it, names and comments included, so it can be
/// shown and edited again; only a file that parses is one.
public struct WorkCalendarFile: Sendable, Hashable {
    public let text: String
    public let calendar: WorkCalendar

    public init(parsing text: String) throws(DomainError) {
        self.calendar = try WorkCalendar(parsing: text)
        self.text = text
    }
}

public struct SQLSettingsStore: SettingsStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    public func value<Value>(_ key: SettingKey<Value>) async throws -> Value? {
        try await database.reader.select().column("value").from("settings").where("key", .equal, key.name)
            .first(decodingColumn: "value", as: String.self)
            .map(key.parse)
    }

    public func set<Value>(_ key: SettingKey<Value>, to value: Value, at now: Date) async throws {
        let name = key.name
        let text = key.format(value)
        try await database.transaction { db in
            try await db.insert(into: "settings").columns("key", "value", "updated_at")
                .values(SQLBind(name), SQLBind(text), SQLBind(now.millisecondsSince1970))
                .onConflict(with: ["key"]) { $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at") }
                .run()
        }
    }
}
