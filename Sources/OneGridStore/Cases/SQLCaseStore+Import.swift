public import Foundation
public import OneGridDomain
import SQLKit

/// A finished piece of history to import: a case as its timeline left it, and that timeline.
/// The demo city writes a year of these; a migration from an earlier system would too.
public struct HistoricalCase: Sendable {
    /// The case after its last event; its id is the one stored.
    public var file: CaseFile
    public var platform: Platform
    public var channel: Channel
    public var title: String
    public var description: String
    public var address: String?
    public var location: GeoPoint?
    public var reporter: Reporter
    public var dueAt: Date
    /// From the `report` on, in order. Case ids, sequences and previous hashes are set by the
    /// import, so the chain is always sealed the way `verifyTimelines` recomputes it.
    public var events: [TimelineEvent]

    public init(
        file: CaseFile, platform: Platform, channel: Channel, title: String, description: String, address: String?,
        location: GeoPoint?, reporter: Reporter, dueAt: Date, events: [TimelineEvent]
    ) {
        self.file = file
        self.platform = platform
        self.channel = channel
        self.title = title
        self.description = description
        self.address = address
        self.location = location
        self.reporter = reporter
        self.dueAt = dueAt
        self.events = events
    }
}

/// A historical case whose row and timeline disagree; nothing of its batch is written.
public struct ImportError: Error, CustomStringConvertible {
    public var caseID: Int64
    public var problem: String

    public var description: String { "case \(caseID) cannot be imported: \(problem)" }
}

extension SQLCaseStore {
    /// Writes `total` cases made `batch` at a time, one transaction a batch: the next batch is
    /// made while the one before is sealed and written, so the maker and the database work side
    /// by side. `make` is given the range of indexes to make.
    public func importHistory(
        total: Int, batch: Int, progress: @Sendable (Int, Int) -> Void, make: (Range<Int>) throws -> [HistoricalCase]
    ) async throws {
        var written = 0
        var made = 0
        var pending: Task<Int, any Error>?
        progress(0, total)
        while made < total {
            let range = made..<min(made + batch, total)
            let cases: [HistoricalCase]
            do {
                cases = try make(range)
            } catch {
                // Let the batch being written finish before the caller closes the database.
                _ = try? await pending?.value
                throw error
            }
            made = range.upperBound
            if let pending {
                written += try await pending.value
                progress(written, total)
            }
            pending = Task { [cases] in
                try await importHistory(cases)
                return cases.count
            }
        }
        if let pending {
            written += try await pending.value
            progress(written, total)
        }
    }

    /// Which of `ids` are cases already.
    public func recordedCaseIDs(among ids: [Int64]) async throws -> Set<Int64> {
        var found: Set<Int64> = []
        for chunk in ids.chunked(into: 1_000) {
            found.formUnion(
                try await database.reader.select().column("id").from("cases").where("id", .in, Array(chunk)).all(decodingColumn: "id", as: Int64.self))
        }
        return found
    }

    /// Writes cases with their whole timelines, explicit ids and sealed hash chains in one
    /// transaction, many rows per statement: the bulk path for history, where `create` and
    /// `perform` would cost a round trip per step.
    public func importHistory(_ cases: [HistoricalCase]) async throws {
        guard !cases.isEmpty else { return }
        // Sealing (JSON and SHA-256 per event) is the costly part and each case's chain stands
        // alone, so slices are sealed on every core, before the transaction: the writer lock is
        // held only for the inserts.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let slices = cases.chunked(into: (cases.count + workers - 1) / workers)
        let parts = try await withThrowingTaskGroup(of: (Int, Rows).self) { group in
            for (index, slice) in slices.enumerated() {
                group.addTask { (index, try Self.rows(sealing: slice)) }
            }
            var parts = [Rows](repeating: Rows(), count: slices.count)
            for try await (index, rows) in group { parts[index] = rows }
            return parts
        }
        let caseRows = parts.flatMap(\.cases)
        let eventRows = parts.flatMap(\.events)
        let assistRows = parts.flatMap(\.assists)
        let ledger = parts.reduce(into: FigureLedger()) { $0.add($1.ledger) }
        let alerts = cases.map { ($0.file.id, $0.file.nextAlertAt?.millisecondsSince1970) }
        let searchable = cases.map { ($0.file.id, $0.title, $0.description) }
        let kind = database.kind
        try await database.transaction { [caseRows, eventRows, assistRows, searchable, alerts, ledger] db in
            // 200 case rows and 1,000 event rows stay well under SQLite's 32,766 bound values.
            for chunk in caseRows.chunked(into: 200) {
                try await db.insert(into: "cases").columns(CaseRow.columns).rows(Array(chunk)).run()
            }
            for chunk in eventRows.chunked(into: 1000) {
                try await db.insert(into: "case_events").columns(EventRow.columns).rows(Array(chunk)).run()
            }
            for chunk in assistRows.chunked(into: 1000) {
                try await db.insert(into: "case_assists").columns("case_id", "department_id", "reported_at")
                    .rows(Array(chunk)).run()
            }
            try await StatementGroup.run(on: db) { group in
                CaseSearch.index(searchable, kind: kind, into: &group)
                AlertSchedule.insert(alerts, into: &group)
                ledger.write(into: &group)
            }
            if kind == .postgres {
                // Explicit ids leave PostgreSQL's identity behind; the next intake must not reuse them.
                try await db.raw("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))")
                    .run()
            }
        }
    }

    private struct Rows: Sendable {
        var cases: [[any SQLExpression]] = []
        var events: [[any SQLExpression]] = []
        var assists: [[any SQLExpression]] = []
        var ledger = FigureLedger()
    }

    private static func rows(sealing cases: ArraySlice<HistoricalCase>) throws -> Rows {
        var rows = Rows()
        rows.cases.reserveCapacity(cases.count)
        rows.events.reserveCapacity(cases.count * 10)
        for item in cases {
            try checkConsistent(item)
            var previous = TimelineEvent.genesisHash
            for (index, var event) in item.events.enumerated() {
                event.caseID = item.file.id
                event.sequence = index + 1
                event.previousHash = previous
                let sealed = TimelineHasher.seal(event)
                previous = sealed.hash
                rows.events.append(EventRow(sealed).values)
            }
            let row = CaseRow(historical: item, lastHash: previous)
            rows.cases.append(row.values)
            rows.ledger.deadlines.add(row)
            rows.ledger.add(
                timeline: item.events, final: item.file, subject: FigureSubject(
                    channel: item.channel, platform: item.platform, dueAt: item.dueAt,
                    reportedAt: item.events.first.map { Date(millisecondsSince1970: $0.atMillis) } ?? item.dueAt))
            for assist in item.file.assists {
                let reportedAt = assist.reportedAt?.millisecondsSince1970
                rows.assists.append([SQLBind(item.file.id), SQLBind(assist.departmentID), SQLBind(reportedAt)])
            }
        }
        return rows
    }

    /// The row must be what its timeline says, or the audit and every figure built on the row
    /// would disagree with the record.
    private static func checkConsistent(_ item: HistoricalCase) throws {
        let id = item.file.id
        guard let first = item.events.first, let last = item.events.last else {
            throw ImportError(caseID: id, problem: "it has no events")
        }
        guard first.action == .report, first.fromStatus == nil else {
            throw ImportError(caseID: id, problem: "its timeline does not start with a report")
        }
        for (earlier, later) in zip(item.events, item.events.dropFirst()) {
            guard later.fromStatus == earlier.toStatus, later.atMillis >= earlier.atMillis else {
                throw ImportError(
                    caseID: id,
                    problem:
                        "its \(later.action.rawValue) event does not follow the \(earlier.action.rawValue) before it")
            }
        }
        guard last.toStatus == item.file.status, item.file.version == item.events.count else {
            throw ImportError(
                caseID: id,
                problem:
                    "the case is \(item.file.status.rawValue) at version \(item.file.version), its \(item.events.count) events end \(last.toStatus.rawValue)"
            )
        }
    }
}

extension CaseRow {
    /// The row of a case as its imported timeline left it.
    init(historical item: HistoricalCase, lastHash: String) {
        let file = item.file
        let first = item.events[0]
        id = file.id
        status = file.status.rawValue
        version = file.version
        categoryId = file.categoryID
        platform = item.platform.rawValue
        channel = item.channel.rawValue
        title = item.title
        description = item.description
        address = item.address
        lat = item.location?.lat
        lng = item.location?.lng
        cityId = file.areas.city
        countyId = file.areas.county
        townId = file.areas.town
        villageId = file.areas.village
        gridId = file.areas.grid
        handlingLevel = file.handlingLevel.rawValue
        handlingAreaId = file.handlingAreaID
        reporterName = item.reporter.name
        reporterPhone = item.reporter.phone
        reporterIdNumber = item.reporter.idNumber
        // Whoever took the report created the case, as intake records it.
        createdByUserId = first.actorUserID
        createdAt = first.atMillis
        updatedAt = item.events[item.events.count - 1].atMillis
        dueAt = item.dueAt.millisecondsSince1970
        returnCount = 0
        reworkCount = 0
        escalationCount = 0
        eventCount = item.events.count
        self.lastHash = lastHash
        clockShiftMillis = 0
        extensionCount = 0
        reviewCount = 0
        apply(file)
        reporterUserId = file.reporterUserID
    }
}
