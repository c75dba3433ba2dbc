public import Foundation
public import OneGridDomain
import SQLKit

/// One step in a petition's log: who took it, for which unit, when, and what the petitioner was told.
public struct PetitionStepEntry: Sendable, Hashable, Encodable {
    public var caseID: Int64
    public var sequence: Int
    /// A `PetitionStep`'s name, or `register` and `linkRepeat`.
    public var step: String
    public var fromStage: PetitionStage?
    public var toStage: PetitionStage
    public var userID: Int64
    public var postID: Int64
    public var unit: PetitionUnit
    public var at: Date
    public var text: String?
    public var details: [String: String]
}

/// Misses of one limit by one unit (Art. 44), for the assessment of units.
public struct PetitionMissCount: Sendable, Hashable {
    public var unit: PetitionUnit
    public var limit: PetitionLimit
    public var count: Int

    public init(unit: PetitionUnit, limit: PetitionLimit, count: Int) {
        self.unit = unit
        self.limit = limit
        self.count = count
    }
}

/// The petition records beside their cases. Every write is one transaction: the record, its log
/// entry, any misses it recorded and the `petitionStep` event on its case's hash-chained timeline
/// exist together or not at all.
public protocol PetitionStore: Sendable {
    /// Stores a new petition record on its case, logged as `register`; refused when the case
    /// already has one.
    func register(_ petition: Petition, by actor: Principal, at now: Date) async throws -> Petition
    func petition(caseID: Int64) async throws -> Petition?
    /// Earlier petitions by any of the same people (by ID number), newest first, for
    /// `PetitionRepeats.candidates` to rank.
    func petitionsSharingPetitioners(with petition: Petition, limit: Int) async throws -> [PetitionRepeats.Earlier]
    /// Takes one step: reads the record, lets `decide` choose (a thrown error writes nothing), and
    /// writes the record, its log entry and its misses only if nobody changed it meanwhile.
    /// - Parameter expectedVersion: the version the person saw; another is a conflict at once.
    func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, unit: PetitionUnit, at now: Date,
        decide: @escaping @Sendable (Petition) throws -> PetitionTransition
    ) async throws -> Petition
    /// Links a petition to the earlier one it repeats, as a person confirmed, if
    /// `PetitionRepeats.link` allows it on both records as stored.
    func linkRepeat(caseID: Int64, to earlierCaseID: Int64, by actor: Principal, at now: Date) async throws -> Petition
    /// The petition's log, oldest first.
    func steps(caseID: Int64) async throws -> [PetitionStepEntry]
    /// Records the misses not yet recorded; returns how many were new.
    func recordMisses(_ misses: [PetitionMiss]) async throws -> Int
    /// The misses of one unit, or of every unit, latest due first.
    func misses(of unit: PetitionUnit?, limit: Int) async throws -> [PetitionMiss]
    /// How many limits each unit missed, by limit.
    func missCounts() async throws -> [PetitionMissCount]
    /// Petitions held (registered by, or now with) any of `units` and not closed, oldest first;
    /// every open petition when `units` is nil (the sweep, the city's view); after `cursor` when
    /// given, so a sweep pages through them all.
    func openPetitions(heldBy units: [PetitionUnit]?, after cursor: Petition?, limit: Int) async throws -> [Petition]
}

extension PetitionStore {
    /// Records every running limit that passed without its step (Art. 44), a page of `batch` open
    /// petitions at a time; returns how many misses were new.
    @discardableResult
    public func recordOverdue(limits: PetitionLimits, calendar: WorkCalendar, at now: Date, batch: Int = 1_000) async throws -> Int {
        var recorded = 0
        var cursor: Petition?
        repeat {
            let page = try await openPetitions(heldBy: nil, after: cursor, limit: batch)
            recorded += try await recordMisses(page.flatMap { $0.overdue(limits: limits, calendar: calendar, at: now) })
            cursor = page.count == batch ? page.last : nil
        } while cursor != nil
        return recorded
    }
}

public struct SQLPetitionStore: PetitionStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// Times as whole milliseconds, the precision every other time in the database has.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.millisecondsSince1970)
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            Date(millisecondsSince1970: try decoder.singleValueContainer().decode(Int64.self))
        }
        return decoder
    }()

    static func json<T: Encodable>(_ value: T) -> String {
        // The records are strings, numbers and dates: encoding them cannot fail.
        String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    struct PetitionRow: Codable {
        var caseId: Int64
        var record: String

        func petition() throws -> Petition {
            do {
                return try SQLPetitionStore.decoder.decode(Petition.self, from: Data(record.utf8))
            } catch {
                throw StoreError.corrupt("the petition record of case \(caseId) does not read back: \(error)")
            }
        }
    }

    struct StepRow: Codable {
        var caseId: Int64
        var sequence: Int
        var step: String
        var fromStage: String?
        var toStage: String
        var userId: Int64
        var postId: Int64
        var unit: String
        var at: Int64
        var text: String?
        var details: String

        func entry() throws -> PetitionStepEntry {
            PetitionStepEntry(
                caseID: caseId, sequence: sequence, step: step, fromStage: try fromStage.map { try stored(PetitionStage.self, $0) },
                toStage: try stored(PetitionStage.self, toStage), userID: userId, postID: postId,
                unit: try PetitionUnit(parsing: unit), at: Date(millisecondsSince1970: at), text: text,
                details: (try? SQLPetitionStore.decoder.decode([String: String].self, from: Data(details.utf8))) ?? [:])
        }
    }

    struct MissRow: Codable {
        var caseId: Int64
        var limitKind: String
        var dueAt: Int64
        var unit: String
        var recordedAt: Int64

        func miss() throws -> PetitionMiss {
            PetitionMiss(
                caseID: caseId, limit: try stored(PetitionLimit.self, limitKind), unit: try PetitionUnit(parsing: unit),
                dueAt: Date(millisecondsSince1970: dueAt), recordedAt: Date(millisecondsSince1970: recordedAt))
        }
    }

    // MARK: Writes

    public func register(_ petition: Petition, by actor: Principal, at now: Date) async throws -> Petition {
        try await database.transaction { db in
            let existing = try await db.select().column("case_id").from("petitions").where("case_id", .equal, petition.caseID).first()
            guard existing == nil else {
                throw DomainError(.notAllowedInState, "case \(petition.caseID) already has its petition record", field: "caseID")
            }
            try await db.insert(into: "petitions")
                .columns("case_id", "stage", "registering_unit", "handling_unit", "received_at", "version", "record")
                .values(
                    SQLBind(petition.caseID), SQLBind(petition.stage.rawValue), SQLBind(petition.registeringUnit.description),
                    SQLBind(petition.handlingUnit?.description), SQLBind(petition.receivedAt.millisecondsSince1970),
                    SQLBind(petition.version), SQLBind(Self.json(petition)))
                .run()
            for number in petition.idNumbers.sorted() {
                try await db.insert(into: "petitioner_ids").columns("id_number", "case_id")
                    .values(SQLBind(number), SQLBind(petition.caseID)).run()
            }
            var details = ["form": petition.form.rawValue, "class": petition.petitionClass.rawValue, "headcount": String(petition.headcount)]
            if petition.crossLevel { details["crossLevel"] = "true" }
            try await log(
                step: "register", from: nil, to: petition, text: petition.matter, details: details, by: actor,
                unit: petition.registeringUnit, at: now, on: db)
            return petition
        }
    }

    public func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, unit: PetitionUnit, at now: Date,
        decide: @escaping @Sendable (Petition) throws -> PetitionTransition
    ) async throws -> Petition {
        try await database.transaction { db in
            let current = try await Self.petition(caseID: caseID, on: db)
            if let expectedVersion, expectedVersion != current.version { throw Self.conflict(current) }
            let transition = try decide(current)
            try await Self.update(transition.petition, from: current, on: db)
            try await log(
                step: transition.step.name, from: transition.from, to: transition.petition, text: transition.step.text,
                details: transition.details, by: actor, unit: unit, at: now, on: db)
            try await Self.insert(transition.misses, on: db)
            return transition.petition
        }
    }

    public func linkRepeat(caseID: Int64, to earlierCaseID: Int64, by actor: Principal, at now: Date) async throws -> Petition {
        try await database.transaction { db in
            let current = try await Self.petition(caseID: caseID, on: db)
            guard let earlier = try await Self.find(caseID: earlierCaseID, on: db) else {
                throw DomainError.notFound("petition \(earlierCaseID)", field: "earlierCaseID")
            }
            let linked = try PetitionRepeats.link(
                current, to: .init(caseID: earlier.caseID, idNumbers: earlier.idNumbers, matter: earlier.matter))
            try await Self.update(linked, from: current, on: db)
            try await log(
                step: "linkRepeat", from: current.stage, to: linked, text: nil, details: ["earlierCaseID": String(earlierCaseID)],
                by: actor, unit: PetitionUnit(post: actor.post), at: now, on: db)
            return linked
        }
    }

    public func recordMisses(_ misses: [PetitionMiss]) async throws -> Int {
        guard !misses.isEmpty else { return 0 }
        return try await database.transaction { db in try await Self.insert(misses, on: db) }
    }

    /// Inserts the misses not yet recorded, and counts them.
    @discardableResult
    static func insert(_ misses: [PetitionMiss], on db: any SQLDatabase) async throws -> Int {
        var new = 0
        for miss in misses {
            let inserted = try await db.insert(into: "petition_misses")
                .columns("case_id", "limit_kind", "due_at", "unit", "recorded_at")
                .values(
                    SQLBind(miss.caseID), SQLBind(miss.limit.rawValue), SQLBind(miss.dueAt.millisecondsSince1970),
                    SQLBind(miss.unit.description), SQLBind(miss.recordedAt.millisecondsSince1970))
                .ignoringConflicts(with: ["case_id", "limit_kind", "due_at"])
                .returning("case_id").first()
            if inserted != nil { new += 1 }
        }
        return new
    }

    static func update(_ petition: Petition, from current: Petition, on db: any SQLDatabase) async throws {
        let written = try await db.update("petitions")
            .set("stage", to: SQLBind(petition.stage.rawValue))
            .set("handling_unit", to: SQLBind(petition.handlingUnit?.description))
            .set("version", to: SQLBind(petition.version))
            .set("record", to: SQLBind(json(petition)))
            .where("case_id", .equal, current.caseID).where("version", .equal, current.version)
            .returning("case_id").first()
        guard written != nil else { throw conflict(current) }
    }

    /// Appends the step to the petition's log and to its case's timeline; a closed or archived
    /// case's record is immutable (DOMAIN.md §1, 结单归档), so there the petition's log alone keeps it.
    func log(
        step: String, from: PetitionStage?, to petition: Petition, text: String?, details: [String: String], by actor: Principal,
        unit: PetitionUnit, at now: Date, on db: any SQLDatabase
    ) async throws {
        let status = try await db.select().column("status").from("cases").where("id", .equal, petition.caseID)
            .first(decodingColumn: "status", as: String.self)
        if let status, ![CaseStatus.closed, .archived].contains(try stored(CaseStatus.self, status)) {
            var facts = details
            facts["stage"] = petition.stage.rawValue
            facts["unit"] = unit.description
            _ = try await SQLCaseStore(database: database).perform(caseID: petition.caseID, expectedVersion: nil, by: actor, at: now, on: db) { file in
                CaseWorkflow.petitionStep(step, on: file, text: text?.trimmingCharacters(in: .whitespacesAndNewlines), details: facts)
            }
        }
        let last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("sequence")), as: "n").from("petition_steps")
            .where("case_id", .equal, petition.caseID).first(decodingColumn: "n", as: Int?.self) ?? nil
        try await db.insert(into: "petition_steps")
            .columns("case_id", "sequence", "step", "from_stage", "to_stage", "user_id", "post_id", "unit", "at", "text", "details")
            .values(
                SQLBind(petition.caseID), SQLBind((last ?? 0) + 1), SQLBind(step), SQLBind(from?.rawValue),
                SQLBind(petition.stage.rawValue), SQLBind(actor.user.id), SQLBind(actor.post.id), SQLBind(unit.description),
                SQLBind(now.millisecondsSince1970), SQLBind(text?.trimmingCharacters(in: .whitespacesAndNewlines)),
                SQLBind(Self.json(details)))
            .run()
    }

    static func conflict(_ current: Petition) -> DomainError {
        DomainError(
            .versionConflict,
            "petition \(current.caseID) was changed by someone else: it is now version \(current.version), \(current.stage.rawValue); reload and try again",
            field: "version", currentVersion: current.version)
    }

    // MARK: Reads

    public func petition(caseID: Int64) async throws -> Petition? {
        try await Self.find(caseID: caseID, on: database.reader)
    }

    static func find(caseID: Int64, on db: any SQLDatabase) async throws -> Petition? {
        try await db.select().columns("case_id", "record").from("petitions").where("case_id", .equal, caseID)
            .first(decoding: PetitionRow.self, with: .snake)?.petition()
    }

    static func petition(caseID: Int64, on db: any SQLDatabase) async throws -> Petition {
        guard let petition = try await find(caseID: caseID, on: db) else { throw DomainError.notFound("petition \(caseID)") }
        return petition
    }

    public func petitionsSharingPetitioners(with petition: Petition, limit: Int) async throws -> [PetitionRepeats.Earlier] {
        guard !petition.idNumbers.isEmpty else { return [] }
        let cases = database.reader.select().distinct().column("case_id").from("petitioner_ids")
            .where("id_number", .in, petition.idNumbers.sorted()).where("case_id", .notEqual, petition.caseID)
        let rows = try await database.reader.select().columns("case_id", "record").from("petitions")
            .where(SQLIdentifier("case_id"), .in, SQLGroupExpression(cases.query))
            .orderBy("received_at", .descending).limit(limit)
            .all(decoding: PetitionRow.self, with: .snake)
        return try rows.map { row in
            let earlier = try row.petition()
            return PetitionRepeats.Earlier(caseID: earlier.caseID, idNumbers: earlier.idNumbers, matter: earlier.matter)
        }
    }

    public func steps(caseID: Int64) async throws -> [PetitionStepEntry] {
        try await database.reader.select().columns("*").from("petition_steps").where("case_id", .equal, caseID).orderBy("sequence")
            .all(decoding: StepRow.self, with: .snake).map { try $0.entry() }
    }

    public func misses(of unit: PetitionUnit?, limit: Int) async throws -> [PetitionMiss] {
        let select = database.reader.select().columns("*").from("petition_misses")
        if let unit { select.where("unit", .equal, unit.description) }
        return try await select.orderBy("due_at", .descending).orderBy("case_id").limit(limit)
            .all(decoding: MissRow.self, with: .snake).map { try $0.miss() }
    }

    public func missCounts() async throws -> [PetitionMissCount] {
        struct Row: Codable {
            var unit: String
            var limitKind: String
            var n: Int
        }
        return try await database.reader.select().column("unit").column("limit_kind")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("petition_misses")
            .groupBy("unit").groupBy("limit_kind").orderBy("unit").orderBy("limit_kind")
            .all(decoding: Row.self, with: .snake)
            .map { PetitionMissCount(unit: try PetitionUnit(parsing: $0.unit), limit: try stored(PetitionLimit.self, $0.limitKind), count: $0.n) }
    }

    public func openPetitions(heldBy units: [PetitionUnit]?, after cursor: Petition?, limit: Int) async throws -> [Petition] {
        let closed = PetitionStage.allCases.filter(\.isClosed).map(\.rawValue)
        let select = database.reader.select().columns("case_id", "record").from("petitions").where("stage", .notIn, closed)
        if let units {
            let names = units.map(\.description)
            select.where { group in
                group.where("handling_unit", .in, names)
                    .orWhere { $0.where("handling_unit", .is, SQLLiteral.null).where("registering_unit", .in, names) }
            }
        }
        if let cursor {
            let received = cursor.receivedAt.millisecondsSince1970
            select.where { group in
                group.where("received_at", .greaterThan, received)
                    .orWhere { $0.where("received_at", .equal, received).where("case_id", .greaterThan, cursor.caseID) }
            }
        }
        return try await select.orderBy("received_at").orderBy("case_id").limit(limit)
            .all(decoding: PetitionRow.self, with: .snake).map { try $0.petition() }
    }
}
