import Foundation
import OneGridDomain
public import SQLKit

/// One versioned schema step. Names are numbered so the applied order is the registered order.
public protocol Migration: Sendable {
    var name: String { get }
    func prepare(on database: any SQLDatabase) async throws
}

/// Applies the migrations not yet applied, each in its own transaction, and refuses to run
/// against a database whose applied history differs from the registered list (a newer binary's
/// schema, or a renamed step).
public struct Migrator: Sendable {
    public static let all: [any Migration] = [
        Migration001Hierarchy(),
        Migration002People(),
        Migration003Cases(),
        Migration004Deadlines(),
        Migration005AlertSchedule(),
        Migration006PetitionReview(),
        Migration007CategoryKeywords(),
        Migration008FigureLedger(),
        Migration009OpenCasesByCounty(),
        Migration010UserAccess(),
        Migration011DirectoryAdministration(),
        Migration012ListIndexes(),
        Migration013AuditTrail(),
        Migration014OpenFigureIndex(),
        Migration015FiguresOfReportedCases(),
        Migration016Mediation(),
        Migration017Petitions(),
        Migration018Open311(),
        Migration019MediationBodyRetirement(),
        Migration020Citizens(),
        Migration021BaseData(),
        Migration022BaseDataIndexes(),
        Migration023StepKeys(),
        Migration024Notices(),
        // The 12345 hotline and the data brain's feeds.
        Migration025HotlineAndFeeds(),
        Migration026Points(),
        // The risk picture (四情三色): colours, their history and warnings.
        Migration027Risk(),
        // Assessment (考核): cards, closed periods and their snapshots.
        Migration028Assessment(),
        // Dispute screening rounds and what they found.
        Migration029ScreeningRounds(),
        // A visit sent again from the phone's outbox is one visit.
        Migration030VisitKeys(),
        // Open311's lists, latest reported first, read in order at any size.
        Migration031ReportTimeIndexes(),
        // The weekly stability reports per county, as issued.
        Migration032RiskReports(),
        // The risk judgement finds households by the address of a police incident.
        Migration033HouseholdAddress(),
        // The open cases alike one at hand (same grid, category and week), read from an index.
        Migration034OpenCasesAlike(),
        // A town's open cases by due time: its queue most urgent first, and its overdue.
        Migration035OpenCasesByTown(),
        // The deadline figures' running totals per area, report day and department.
        Migration036DeadlineLedger(),
        // Due-time reads use the open cases' partial indexes only.
        Migration037NoPlainDueIndex(),
        // The cases open now, kept as one running total beside the open count's months.
        Migration038OpenCasesNow(),
        // SQLite told that disputes and petitions are few beside the cases.
        Migration039MattersBesideCases(),
    ]

    public let migrations: [any Migration]

    public init(migrations: [any Migration] = Migrator.all) {
        self.migrations = migrations
    }

    public struct HistoryMismatch: Error, CustomStringConvertible {
        public var applied: [String]
        public var registered: [String]
        public var description: String {
            "the database's applied migrations \(applied) are not a prefix of this version's \(registered)"
        }
    }

    /// A migration that could not be applied; nothing of it was.
    public struct MigrationFailed: Error, CustomStringConvertible {
        public var name: String
        public var underlying: any Error
        public var description: String { "migration \(name) failed: \(underlying)" }
    }

    /// - Returns: the names applied by this run.
    @discardableResult
    public func migrate(_ database: OneGridDatabase) async throws -> [String] {
        try await database.transaction { db in
            try await db.create(table: "onegrid_migrations").ifNotExists()
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        var ran: [String] = []
        for migration in try await pending(database) {
            do {
                // A migration's statements may rightly run for minutes on a large city (an index
                // built, a ledger recounted).
                try await database.transaction(statementLimit: nil) { db in
                    try await migration.prepare(on: db)
                    try await db.insert(into: "onegrid_migrations").columns("name", "applied_at")
                        .values(SQLBind(migration.name), SQLBind(Date().millisecondsSince1970)).run()
                }
            } catch {
                throw MigrationFailed(name: migration.name, underlying: error)
            }
            ran.append(migration.name)
        }
        return ran
    }

    /// The migrations this version has that `database` has not applied yet (none: the schema is
    /// current). Throws `HistoryMismatch` when the database's history is not this version's.
    public func pending(_ database: OneGridDatabase) async throws -> [any Migration] {
        let applied = try await database.reader.select().column("name").from("onegrid_migrations")
            .orderBy("name").all(decodingColumn: "name", as: String.self)
        let registered = migrations.map(\.name)
        guard Array(registered.prefix(applied.count)) == applied else {
            throw HistoryMismatch(applied: applied, registered: registered)
        }
        return Array(migrations.dropFirst(applied.count))
    }
}

extension SQLDataType {
    /// 8-byte floats on both databases; SQLKit's `.real` is only 4 bytes on PostgreSQL, too
    /// coarse for coordinates.
    static let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
}
