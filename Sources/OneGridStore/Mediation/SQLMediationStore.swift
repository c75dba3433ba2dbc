public import Foundation
public import OneGridDomain
import SQLKit

public struct SQLMediationStore: MediationStore {
    let database: OneGridDatabase
    let cases: SQLCaseStore

    public init(database: OneGridDatabase) {
        self.database = database
        self.cases = SQLCaseStore(database: database)
    }

    // MARK: Bodies

    public func createBody(name: String, kind: MediationBodyKind, areaID: Int64, level: AdminLevel, memberUserIDs: [Int64])
        async throws -> MediationBody
    {
        try await database.transaction { db in
            let id = try await database.reserveIDs(1, of: "mediation_bodies", on: db)[0]
            try await db.insert(into: "mediation_bodies").columns("id", "name", "kind", "area_id", "level")
                .values(SQLBind(id), SQLBind(name), SQLBind(kind.rawValue), SQLBind(areaID), SQLBind(level.rawValue)).run()
            let members = Array(Set(memberUserIDs)).sorted()
            if !members.isEmpty {
                try await db.insert(into: "mediation_body_members").columns("body_id", "user_id")
                    .rows(members.map { [SQLBind(id), SQLBind($0)] }).run()
            }
            return MediationBody(id: id, name: name, kind: kind, areaID: areaID, level: level, memberUserIDs: members)
        }
    }

    public func body(id: Int64) async throws -> MediationBody? {
        try await bodies { $0.where("id", .equal, id) }.first
    }

    public func bodies(inAreas areaIDs: [Int64]) async throws -> [MediationBody] {
        guard !areaIDs.isEmpty else { return [] }
        return try await bodies { $0.where("area_id", .in, areaIDs).where("retired_at", .is, SQLLiteral.null) }
            .sorted { $0.level != $1.level ? $0.level > $1.level : $0.name < $1.name }
    }

    public func allBodies(inArea areaID: Int64) async throws -> [MediationBody] {
        try await bodies { $0.where("area_id", .equal, areaID) }.sorted { $0.name < $1.name }
    }

    public func bodies(ofMember userID: Int64) async throws -> [MediationBody] {
        let ids = try await database.reader.select().column("body_id").from("mediation_body_members")
            .where("user_id", .equal, userID).all(decodingColumn: "body_id", as: Int64.self)
        guard !ids.isEmpty else { return [] }
        return try await bodies { $0.where("id", .in, ids) }
    }

    public func updateBody(id: Int64, _ change: @escaping @Sendable (MediationBody) throws -> MediationBody) async throws -> MediationBody {
        try await database.transaction { db in
            // Taking the row's write lock first keeps two administrators' changes in order.
            try await db.update("mediation_bodies").set("id", to: SQLIdentifier("id")).where("id", .equal, id).run()
            guard let current = try await Self.bodies(on: db, { $0.where("id", .equal, id) }).first else {
                throw DomainError.notFound("mediation body \(id)", field: "id")
            }
            guard current.retiredAt == nil else {
                throw DomainError(.notAllowedInState, "\(current.name) is retired", field: "id")
            }
            let next = try change(current)
            try await db.update("mediation_bodies").set("name", to: SQLBind(next.name))
                .set("retired_at", to: SQLBind(next.retiredAt?.millisecondsSince1970)).where("id", .equal, id).run()
            let old = Set(current.memberUserIDs)
            let new = Set(next.memberUserIDs)
            let gone = old.subtracting(new).sorted()
            if !gone.isEmpty {
                try await db.delete(from: "mediation_body_members").where("body_id", .equal, id).where("user_id", .in, gone).run()
            }
            let joined = new.subtracting(old).sorted()
            if !joined.isEmpty {
                try await db.insert(into: "mediation_body_members").columns("body_id", "user_id")
                    .rows(joined.map { [SQLBind(id), SQLBind($0)] }).run()
            }
            var written = next
            written.memberUserIDs = new.sorted()
            return written
        }
    }

    private func bodies(_ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [MediationBody] {
        try await Self.bodies(on: database.reader, filter)
    }

    private static func bodies(on db: any SQLDatabase, _ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [MediationBody] {
        struct Row: Decodable {
            var id: Int64
            var name: String
            var kind: String
            var areaId: Int64
            var level: String
            var retiredAt: Int64?
        }
        struct Member: Decodable {
            var bodyId: Int64
            var userId: Int64
        }
        let rows = try await filter(db.select().columns("id", "name", "kind", "area_id", "level", "retired_at").from("mediation_bodies"))
            .orderBy("id").all(decoding: Row.self, with: .snake)
        guard !rows.isEmpty else { return [] }
        let members = try await db.select().columns("body_id", "user_id").from("mediation_body_members")
            .where("body_id", .in, rows.map(\.id)).orderBy("user_id").all(decoding: Member.self, with: .snake)
        let byBody = Dictionary(grouping: members, by: \.bodyId)
        return try rows.map { row in
            guard let kind = MediationBodyKind(rawValue: row.kind), let level = AdminLevel(rawValue: row.level) else {
                throw StoreError.corrupt("mediation body \(row.id) has kind '\(row.kind)' at level '\(row.level)'")
            }
            return MediationBody(
                id: row.id, name: row.name, kind: kind, areaID: row.areaId, level: level,
                memberUserIDs: byBody[row.id]?.map(\.userId) ?? [], retiredAt: row.retiredAt.map(Date.init(millisecondsSince1970:)))
        }
    }

    // MARK: Disputes

    public func dispute(caseID: Int64) async throws -> Dispute? {
        try await DisputeRows.load(caseIDs: [caseID], on: database.reader).first
    }

    public func disputes(ofBodies bodyIDs: [Int64], limit: Int) async throws -> [Dispute] {
        guard !bodyIDs.isEmpty else { return [] }
        let ids = try await database.reader.select().column("case_id").from("disputes").where("body_id", .in, bodyIDs)
            .orderBy("registered_at", .descending).orderBy("case_id", .descending).limit(limit)
            .all(decodingColumn: "case_id", as: Int64.self)
        let disputes = Dictionary(uniqueKeysWithValues: try await DisputeRows.load(caseIDs: ids, on: database.reader).map { ($0.caseID, $0) })
        return ids.compactMap { disputes[$0] }
    }

    public func register(
        caseID: Int64, by actor: Principal, at now: Date, decide: @escaping @Sendable (CaseFile) throws -> MediationChange
    ) async throws -> (dispute: Dispute, record: CaseRecord) {
        try await database.transaction { db in
            let (row, current) = try await cases.forStep(caseID: caseID, on: db)
            if try await DisputeRows.load(caseIDs: [caseID], on: db).first != nil {
                throw DomainError(.notAllowedInState, "case \(caseID) has its dispute registered already")
            }
            let change = try decide(current.file)
            try await DisputeRows.insertRoot(change.dispute, on: db)
            try await DisputeRows.writeParts(of: change.dispute, on: db)
            let record = try await cases.commit(
                try CaseWorkflow.mediation(change, on: current.file), over: row, current: current, by: actor, at: now, on: db)
            return (change.dispute, record)
        }
    }

    public func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date,
        decide: @escaping @Sendable (Dispute, CaseFile) throws -> MediationChange
    ) async throws -> (dispute: Dispute, record: CaseRecord) {
        try await database.transaction { db in
            let (row, current) = try await cases.forStep(caseID: caseID, on: db)
            guard let dispute = try await DisputeRows.load(caseIDs: [caseID], on: db).first else {
                throw DomainError.notFound("dispute of case \(caseID)")
            }
            if let expectedVersion, expectedVersion != dispute.version {
                throw Self.conflict(dispute)
            }
            let change = try decide(dispute, current.file)
            guard try await DisputeRows.updateRoot(change.dispute, from: dispute.version, on: db) else {
                throw Self.conflict(try await DisputeRows.load(caseIDs: [caseID], on: db).first ?? dispute)
            }
            try await DisputeRows.writeParts(of: change.dispute, on: db)
            let record = try await cases.commit(
                try CaseWorkflow.mediation(change, on: current.file), over: row, current: current, by: actor, at: now, on: db)
            return (change.dispute, record)
        }
    }

    private static func conflict(_ current: Dispute) -> DomainError {
        DomainError(
            .versionConflict,
            "the dispute of case \(current.caseID) was changed by someone else: it is now version \(current.version), \(current.status.rawValue); reload and try again",
            field: "version", currentVersion: current.version)
    }
}
