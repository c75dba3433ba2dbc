public import Foundation
public import OneGridDomain
import SQLKit

public struct SQLBaseDataStore: BaseDataStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// Rows per multi-row insert: within both databases' limits on bound values at 16 columns.
    static let chunk = 1_000

    // MARK: Kinds

    public func kinds() async throws -> [BaseKind] {
        try await database.reader.select().columns("*").from("base_kinds").orderBy("position").all().map { row in
            BaseKind(
                code: try row.text("code"), subject: try stored(BaseSubject.self, try row.text("subject")), name: try row.text("name"),
                englishName: try row.text("english_name"),
                cadence: try row.optional("cadence").map { text in try VisitCadence(parsing: text, field: "cadence") },
                sensitive: try row.decode(column: "sensitive", as: Int.self) != 0, position: try row.decode(column: "position", as: Int.self))
        }
    }

    public func grantedKinds(postID: Int64) async throws -> Set<String> {
        Set(
            try await database.reader.select().column("kind_code").from("base_kind_grants").where("post_id", .equal, postID)
                .all(decodingColumn: "kind_code", as: String.self))
    }

    public func setGrantedKinds(_ codes: Set<String>, postID: Int64) async throws {
        try await database.transaction { db in
            try await db.delete(from: "base_kind_grants").where("post_id", .equal, postID).run()
            guard !codes.isEmpty else { return }
            try await db.insert(into: "base_kind_grants").columns("kind_code", "post_id")
                .rows(codes.sorted().map { [SQLBind($0), SQLBind(postID)] }).run()
        }
    }

    // MARK: Writing records

    public func insert(_ households: [PlannedHousehold], action: String, by actor: Principal, at now: Date) async throws -> [Household] {
        try await database.transaction(statementLimit: nil) { db in
            let householdIDs = try await database.reserveIDs(households.count, of: "households", on: db)
            let residentIDs = try await database.reserveIDs(households.reduce(0) { $0 + $1.household.people.count }, of: "residents", on: db)
            var written: [Household] = []
            var residents: [Resident] = []
            written.reserveCapacity(households.count)
            residents.reserveCapacity(residentIDs.count)
            for (index, entry) in households.enumerated() {
                let new = entry.household
                written.append(
                    Household(
                        id: householdIDs[index], areas: new.areas, placeID: new.placeID, unit: new.unit, address: new.address,
                        registration: new.registration, phone: new.phone, registeredAt: now, visitDueAt: entry.visitDueAt,
                        lastVisitAt: entry.lastVisitAt))
                for person in new.people {
                    residents.append(
                        Resident(
                            id: residentIDs[residents.count], householdID: householdIDs[index], areas: new.areas, name: person.name,
                            idNumber: person.idNumber, phone: person.phone, relation: person.relation, kind: person.kind,
                            registration: person.registration))
                }
            }
            // Each chunk's history beside it: a million entries built at once would cost gigabytes.
            for chunk in written.chunked(into: Self.chunk) {
                try await db.insert(into: "households").columns(Household.columns).rows(chunk.map(\.values)).run()
                try await Self.append(
                    chunk.map { BaseChange(subject: SubjectRef(.household, $0.id), actor: actor, at: now, action: action, fields: $0.recordedFields) },
                    on: db)
            }
            for chunk in residents.chunked(into: Self.chunk) {
                try await db.insert(into: "residents").columns(Resident.columns).rows(chunk.map(\.values)).run()
                try await Self.append(
                    chunk.map { BaseChange(subject: SubjectRef(.resident, $0.id), actor: actor, at: now, action: action, fields: $0.recordedFields) },
                    on: db)
            }
            return written
        }
    }

    public func recordedIDNumbers(among numbers: [String]) async throws -> Set<String> {
        var found: Set<String> = []
        for chunk in numbers.chunked(into: Self.chunk) {
            found.formUnion(
                try await database.reader.select().column("id_number").from("residents").where("id_number", .in, Array(chunk))
                    .all(decodingColumn: "id_number", as: String.self))
        }
        return found
    }

    public func update(
        residentID: Int64, _ change: ResidentChange, cadences: [String: VisitCadence], calendar: Calendar, by actor: Principal, at now: Date
    ) async throws -> Resident {
        try await database.transaction { db in
            guard let old = try await db.select().columns("*").from("residents").where("id", .equal, residentID).first().map(Resident.init(row:))
            else { throw DomainError.notFound("resident \(residentID)", field: "id") }
            var new = old
            if let name = change.name { new.name = name }
            if let phone = change.phone { new.phone = phone.isEmpty ? nil : phone }
            if let relation = change.relation { new.relation = relation.isEmpty ? nil : relation }
            if let kind = change.kind { new.kind = kind }
            if let registration = change.registration { new.registration = registration }
            let before = old.recordedFields, after = new.recordedFields
            var fields: [String: [String]] = [:]
            for key in Set(before.keys).union(after.keys) where before[key]?.last != after[key]?.last {
                fields[key] = [before[key]?.last ?? "", after[key]?.last ?? ""]
            }
            guard !fields.isEmpty else { return old }
            try await db.update("residents")
                .set("name", to: new.name).set("phone", to: bindOrNull(new.phone)).set("relation", to: bindOrNull(new.relation))
                .set("kind", to: new.kind).set("registration", to: new.registration.rawValue)
                .where("id", .equal, residentID).run()
            if new.kind != old.kind {
                let household = try await db.select().columns("*").from("households").where("id", .equal, old.householdID).first()
                    .map(Household.init(row:))
                let kinds = try await db.select().column("kind").from("residents").where("household_id", .equal, old.householdID)
                    .all(decodingColumn: "kind", as: String.self)
                if let household {
                    let due = VisitSchedule.dueAt(
                        cadences: kinds.compactMap { cadences[$0] }, lastVisit: household.lastVisitAt, recordedAt: household.registeredAt,
                        calendar: calendar)
                    try await db.update("households").set("visit_due_at", to: bindOrNull(due?.millisecondsSince1970))
                        .where("id", .equal, household.id).run()
                }
            }
            try await Self.append([BaseChange(subject: SubjectRef(.resident, residentID), actor: actor, at: now, action: "update", fields: fields)], on: db)
            return new
        }
    }

    public func insert(places: [Place], organisations: [Organisation], by actor: Principal, at now: Date) async throws
        -> (places: [Place], organisations: [Organisation])
    {
        try await database.transaction { db in
            var places = places, organisations = organisations
            for (index, id) in try await database.reserveIDs(places.count, of: "places", on: db).enumerated() { places[index].id = id }
            for (index, id) in try await database.reserveIDs(organisations.count, of: "organisations", on: db).enumerated() {
                organisations[index].id = id
                if let reference = organisations[index].placeID, reference < 0 { organisations[index].placeID = places[Int(-reference) - 1].id }
            }
            for chunk in places.chunked(into: Self.chunk) {
                try await db.insert(into: "places").columns(Place.columns).rows(chunk.map { $0.values(recordedAt: now) }).run()
            }
            for chunk in organisations.chunked(into: Self.chunk) {
                try await db.insert(into: "organisations").columns(Organisation.columns).rows(chunk.map { $0.values(recordedAt: now) }).run()
            }
            try await Self.append(
                places.map { BaseChange(subject: SubjectRef(.place, $0.id), actor: actor, at: now, action: "create", fields: $0.recordedFields) }
                    + organisations.map {
                        BaseChange(subject: SubjectRef(.organisation, $0.id), actor: actor, at: now, action: "create", fields: $0.recordedFields)
                    }, on: db)
            return (places, organisations)
        }
    }

    /// Appends history entries; only ever inserted, never updated or deleted.
    static func append(_ changes: [BaseChange], on db: any SQLDatabase) async throws {
        for chunk in changes.chunked(into: Self.chunk) {
            // Written by hand, as JSONEncoder writes it: an import's million entries spent most of
            // their time in the encoder.
            let rows = chunk.map { change -> [any SQLExpression] in
                [
                    SQLBind(change.subject.subject.rawValue), SQLBind(change.subject.id), SQLBind(change.userID), SQLBind(change.postID),
                    SQLBind(change.at.millisecondsSince1970), SQLBind(change.action),
                    SQLBind(CanonicalJSON.object(change.fields)),
                ]
            }
            try await db.insert(into: "base_changes").columns("subject", "subject_id", "user_id", "post_id", "at", "action", "fields")
                .rows(rows).run()
        }
    }

    // MARK: Reading records

    public func resident(id: Int64) async throws -> Resident? {
        try await database.reader.select().columns("*").from("residents").where("id", .equal, id).first().map(Resident.init(row:))
    }

    public func household(id: Int64) async throws -> Household? {
        try await database.reader.select().columns("*").from("households").where("id", .equal, id).first().map(Household.init(row:))
    }

    public func households(ids: [Int64]) async throws -> [Household] {
        guard !ids.isEmpty else { return [] }
        return try await database.reader.select().columns("*").from("households").where("id", .in, ids).all().map(Household.init(row:))
    }

    public func place(id: Int64) async throws -> Place? {
        try await database.reader.select().columns("*").from("places").where("id", .equal, id).first().map(Place.init(row:))
    }

    public func organisation(id: Int64) async throws -> Organisation? {
        try await database.reader.select().columns("*").from("organisations").where("id", .equal, id).first().map(Organisation.init(row:))
    }

    public func kindsOfPeople(inHousehold householdID: Int64) async throws -> [String] {
        try await database.reader.select().column("kind").from("residents").where("household_id", .equal, householdID)
            .all(decodingColumn: "kind", as: String.self)
    }

    public func residents(_ query: ResidentQuery) async throws -> [Resident] {
        let select = database.reader.select().columns("*").from("residents")
        switch query.scope {
        case .area(let level, let id): select.where(SQLIdentifier("\(level.rawValue)_id"), .equal, SQLBind(id))
        case .department, .reporter, .nothing: return []
        }
        if !query.hiddenKinds.isEmpty { select.where("kind", .notIn, query.hiddenKinds.sorted()) }
        if let grid = query.gridID { select.where("grid_id", .equal, grid) }
        if let household = query.householdID { select.where("household_id", .equal, household) }
        if let households = query.householdIDs { select.where("household_id", .in, households) }
        if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if text.first!.isASCII && text.first!.isNumber {
                let number = text.uppercased()
                if number.count == 18 {
                    select.where("id_number", .equal, number)
                } else {
                    // ID numbers hold digits and X: every one starting so sorts below prefix + "Y".
                    select.where("id_number", .greaterThanOrEqual, number).where("id_number", .lessThan, number + "Y")
                }
            } else {
                // A name's beginning as a range the name index reads in order on both databases.
                select.where("name", .greaterThanOrEqual, text).where("name", .lessThan, text + "\u{FFFF}")
            }
        }
        if let after = query.after { select.where("id", .greaterThan, after) }
        return try await select.orderBy("id").limit(query.limit).all().map(Resident.init(row:))
    }

    public func history(of subject: SubjectRef) async throws -> [BaseChange] {
        try await database.reader.select().columns("*").from("base_changes")
            .where("subject", .equal, subject.subject.rawValue).where("subject_id", .equal, subject.id).orderBy("id").all()
            .map { row in
                BaseChange(
                    subject: subject, userID: try row.int64("user_id"), postID: try row.int64("post_id"), at: try row.date("at")!,
                    action: try row.text("action"), fields: try JSONDecoder().decode([String: [String]].self, from: Data(try row.text("fields").utf8)))
            }
    }

    // MARK: Cases

    public func link(caseID: Int64, to subjects: [SubjectRef], by actor: Principal, at now: Date) async throws {
        try await database.transaction { db in try await Self.link(caseID: caseID, to: subjects, by: actor, at: now, on: db) }
    }

    static func link(caseID: Int64, to subjects: [SubjectRef], by actor: Principal, at now: Date, on db: any SQLDatabase) async throws {
        for subject in Set(subjects) {
            let linked = try await db.select().column("case_id").from("case_subjects").where("case_id", .equal, caseID)
                .where("subject", .equal, subject.subject.rawValue).where("subject_id", .equal, subject.id).first()
            guard linked == nil else { continue }
            try await db.insert(into: "case_subjects").columns("case_id", "subject", "subject_id", "linked_at", "user_id")
                .values(SQLBind(caseID), SQLBind(subject.subject.rawValue), SQLBind(subject.id), SQLBind(now.millisecondsSince1970), SQLBind(actor.user.id))
                .run()
        }
    }

    public func cases(linkedTo subject: SubjectRef) async throws -> [LinkedCase] {
        try await database.reader.select().columns("case_id", "linked_at").from("case_subjects")
            .where("subject", .equal, subject.subject.rawValue).where("subject_id", .equal, subject.id)
            .orderBy("linked_at", .descending).orderBy("case_id", .descending).all()
            .map { LinkedCase(caseID: try $0.int64("case_id"), linkedAt: try $0.date("linked_at")!) }
    }

    public func subjects(ofCase caseID: Int64) async throws -> [SubjectRef] {
        try await database.reader.select().columns("subject", "subject_id").from("case_subjects").where("case_id", .equal, caseID)
            .orderBy("subject").orderBy("subject_id").all()
            .map { SubjectRef(try stored(BaseSubject.self, try $0.text("subject")), try $0.int64("subject_id")) }
    }

    // MARK: Visits

    public func insert(visits: [Visit]) async throws {
        try await database.transaction(statementLimit: nil) { db in
            var visits = visits
            for (index, id) in try await database.reserveIDs(visits.count, of: "visits", on: db).enumerated() { visits[index].id = id }
            for chunk in visits.chunked(into: Self.chunk) {
                try await db.insert(into: "visits").columns(Visit.columns).rows(chunk.map(\.values)).run()
            }
            let links = visits.compactMap { visit in visit.caseID.map { [SQLBind($0), SQLBind(visit.subject.subject.rawValue), SQLBind(visit.subject.id), SQLBind(visit.visitedAt.millisecondsSince1970), SQLBind(visit.userID)] as [any SQLExpression] } }
            for chunk in links.chunked(into: Self.chunk) {
                try await db.insert(into: "case_subjects").columns("case_id", "subject", "subject_id", "linked_at", "user_id").rows(Array(chunk)).run()
            }
        }
    }

    public func log(_ visit: Visit, nextDueAt: Date?, idempotencyKey: String?) async throws -> (visit: Visit, isReplay: Bool) {
        try await database.transaction { db in
            var visit = visit
            visit.id = try await database.reserveIDs(1, of: "visits", on: db)[0]
            if let idempotencyKey {
                // Claimed in the visit's transaction, as a step's key is: two sends at once find
                // one claim, and a refused visit leaves the key free for the retry.
                let claimed = try await db.insert(into: "visit_keys").columns("user_id", "key", "visit_id", "created_at")
                    .values(SQLBind(visit.userID), SQLBind(idempotencyKey), SQLBind(visit.id), SQLBind(visit.visitedAt.millisecondsSince1970))
                    .ignoringConflicts(with: ["user_id", "key"]).returning("key").first()
                if claimed == nil {
                    let earlierID = try await db.select().column("visit_id").from("visit_keys")
                        .where("user_id", .equal, visit.userID).where("key", .equal, idempotencyKey)
                        .first(decodingColumn: "visit_id", as: Int64.self)
                    let earlier = try await db.select().columns("*").from("visits").where("id", .equal, earlierID ?? 0).first().map(Visit.init(row:))
                    guard let earlier else { throw DomainError.notFound("the visit of key \(idempotencyKey)", field: "Idempotency-Key") }
                    guard earlier.subject == visit.subject else {
                        throw DomainError.invalid(
                            field: "Idempotency-Key", "this key was sent with a visit to another record; a new visit needs a new key")
                    }
                    return (earlier, true)
                }
            }
            try await db.insert(into: "visits").columns(Visit.columns).values(visit.values).run()
            try await Self.moveDue(of: visit.subject, visitedAt: visit.visitedAt, nextDueAt: nextDueAt, on: db)
            return (visit, false)
        }
    }

    /// A later visit moves the record's dates; one logged late, behind a later one, does not.
    static func moveDue(of subject: SubjectRef, visitedAt: Date, nextDueAt: Date?, on db: any SQLDatabase) async throws {
        let at = visitedAt.millisecondsSince1970
        try await db.update(subject.subject.table).set("last_visit_at", to: at).set("visit_due_at", to: bindOrNull(nextDueAt?.millisecondsSince1970))
            .where("id", .equal, subject.id)
            .where { $0.where("last_visit_at", .is, SQLLiteral.null).orWhere("last_visit_at", .lessThanOrEqual, at) }
            .run()
    }

    public func attach(caseID: Int64, toVisit visitID: Int64, by actor: Principal, at now: Date) async throws {
        try await database.transaction { db in
            guard let visit = try await db.select().columns("*").from("visits").where("id", .equal, visitID).first().map(Visit.init(row:)) else {
                throw DomainError.notFound("visit \(visitID)", field: "visitID")
            }
            guard visit.caseID == nil else {
                throw DomainError(.notAllowedInState, "visit \(visitID) already became case \(visit.caseID!)", field: "visitID")
            }
            try await db.update("visits").set("case_id", to: caseID).where("id", .equal, visitID).run()
            try await Self.link(caseID: caseID, to: [visit.subject], by: actor, at: now, on: db)
        }
    }

    public func visit(id: Int64) async throws -> Visit? {
        try await database.reader.select().columns("*").from("visits").where("id", .equal, id).first().map(Visit.init(row:))
    }

    public func visits(of subject: SubjectRef, limit: Int) async throws -> [Visit] {
        try await database.reader.select().columns("*").from("visits")
            .where("subject", .equal, subject.subject.rawValue).where("subject_id", .equal, subject.id)
            .orderBy("visited_at", .descending).limit(limit).all().map(Visit.init(row:))
    }

    public func dueVisits(inGrid gridID: Int64, before: Date, limit: Int) async throws -> [DueVisit] {
        var due: [DueVisit] = []
        for (subject, label) in [(BaseSubject.household, "address"), (.place, "name"), (.organisation, "name")] {
            let rows = try await database.reader.select().columns("id", "grid_id", "visit_due_at", "last_visit_at").column(SQLIdentifier(label), as: "label")
                .from(subject.table).where("grid_id", .equal, gridID).where("visit_due_at", .lessThan, before.millisecondsSince1970)
                .orderBy("visit_due_at").limit(limit).all()
            due += try rows.map { row in
                DueVisit(
                    subject: SubjectRef(subject, try row.int64("id")), gridID: try row.int64("grid_id"), label: try row.text("label"),
                    dueAt: try row.date("visit_due_at")!, lastVisitAt: try row.date("last_visit_at"))
            }
        }
        return Array(due.sorted { ($0.dueAt, $0.subject.id) < ($1.dueAt, $1.subject.id) }.prefix(limit))
    }

    public func dueCounts(inGrids gridIDs: [Int64], before: Date) async throws -> [Int64: Int] {
        try await counts(in: ["households", "places", "organisations"], by: "grid_id", gridIDs: gridIDs) {
            $0.where("visit_due_at", .lessThan, before.millisecondsSince1970)
        }
    }

    public func visitCounts(inGrids gridIDs: [Int64], from: Date, byWorker: Bool) async throws -> [Int64: Int] {
        try await counts(in: ["visits"], by: byWorker ? "user_id" : "grid_id", gridIDs: gridIDs) {
            $0.where("visited_at", .greaterThanOrEqual, from.millisecondsSince1970)
        }
    }

    /// Rows of the tables in the grids under a condition, counted by a column: a town's
    /// figures, read in the reports' lane.
    private func counts(
        in tables: [String], by column: String, gridIDs: [Int64], _ condition: (SQLSelectBuilder) -> SQLSelectBuilder
    ) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for table in tables {
            for chunk in gridIDs.chunked(into: Self.chunk) {
                let select = database.reportReader.select().column(SQLIdentifier(column), as: "key")
                    .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).where("grid_id", .in, Array(chunk))
                for row in try await condition(select).groupBy(SQLIdentifier(column)).all() {
                    counts[try row.int64("key"), default: 0] += try row.decode(column: "n", as: Int.self)
                }
            }
        }
        return counts
    }
}

extension BaseChange {
    init(subject: SubjectRef, actor: Principal, at: Date, action: String, fields: [String: [String]]) {
        self.init(subject: subject, userID: actor.user.id, postID: actor.post.id, at: at, action: action, fields: fields)
    }
}

/// What a record's history keeps of it: each field as [old, new] for a new record, personal
/// fields as their masks.
extension Resident {
    var recordedFields: [String: [String]] {
        var fields = ["name": ["", name], "idNumber": ["", PersonalData.maskIDNumber(idNumber)], "kind": ["", kind], "registration": ["", registration.rawValue]]
        if let phone { fields["phone"] = ["", PersonalData.maskPhone(phone)] }
        if let relation { fields["relation"] = ["", relation] }
        return fields
    }
}

extension Household {
    var recordedFields: [String: [String]] {
        var fields = ["address": ["", address], "registration": ["", registration.rawValue], "grid": ["", String(areas.grid)]]
        if let unit { fields["unit"] = ["", unit] }
        if let phone { fields["phone"] = ["", PersonalData.maskPhone(phone)] }
        return fields
    }
}

extension Place {
    var recordedFields: [String: [String]] {
        var fields = ["name": ["", name], "kind": ["", kind], "address": ["", address], "grid": ["", String(areas.grid)]]
        if let units { fields["units"] = ["", String(units)] }
        if let phone { fields["phone"] = ["", PersonalData.maskPhone(phone)] }
        return fields
    }
}

extension Organisation {
    var recordedFields: [String: [String]] {
        var fields = ["name": ["", name], "kind": ["", kind], "grid": ["", String(areas.grid)]]
        if let creditCode { fields["creditCode"] = ["", creditCode] }
        if let phone { fields["phone"] = ["", PersonalData.maskPhone(phone)] }
        return fields
    }
}
