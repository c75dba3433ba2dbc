public import Foundation
import OneGridDomain
import SQLKit

/// The wrong passwords of the last hour per subject ("account:…", "address:…"), kept in the
/// database so every server sharing it counts the same failures: an attacker spreading guesses
/// over several servers meets the same limits as one guessing through one.
public struct SignInFailures: Sendable {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// Reads each subject's failures of the hour before `now` (oldest first) and asks `decide`
    /// whether the attempt may be heard; when it may, records the attempt as a failure of every
    /// subject at once, before the password is checked, so attempts in flight count too. One
    /// admission per subject at a time, on every server: of 101 attempts sent together, the
    /// 101st sees the 100 before it. Returns the attempt's id for `forgive`.
    public func admit(
        subjects: [String], at now: Date, decide: @escaping @Sendable ([String: [Date]]) throws -> Void
    ) async throws -> String {
        let attempt = UUID().uuidString
        let hourAgo = now.addingTimeInterval(-3600).millisecondsSince1970
        try await database.transaction { db in
            if db.dialect.name == "postgresql" {
                // Sorted, so two admissions sharing subjects take their locks in one order.
                for subject in subjects.sorted() {
                    try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "sign-in:" + subject)))").run()
                }
            }
            // Expired rows go as new ones come: the table holds at most an hour of failures.
            try await db.delete(from: "sign_in_failures").where("at", .lessThan, hourAgo).run()
            struct Row: Decodable {
                var subject: String
                var at: Int64
            }
            let rows = try await db.select().columns("subject", "at").from("sign_in_failures")
                .where("subject", .in, subjects).where("at", .greaterThanOrEqual, hourAgo).orderBy("at")
                .all(decoding: Row.self)
            var failures = Dictionary(uniqueKeysWithValues: subjects.map { ($0, [Date]()) })
            for row in rows { failures[row.subject, default: []].append(Date(millisecondsSince1970: row.at)) }
            try decide(failures)
            for subject in subjects {
                try await db.insert(into: "sign_in_failures").columns("subject", "attempt", "at")
                    .values(SQLBind(subject), SQLBind(attempt), SQLBind(now.millisecondsSince1970)).run()
            }
        }
        return attempt
    }

    /// The attempt's password was right: its own rows go, and so does every failure of `ending`
    /// (the account, whose run of failures a success ends).
    public func forgive(attempt: String, ending subject: String) async throws {
        try await database.transaction { db in
            try await db.delete(from: "sign_in_failures")
                .where { $0.where("attempt", .equal, attempt).orWhere("subject", .equal, subject) }.run()
        }
    }
}
