public import Foundation
public import OneGridDomain
import SQLKit

public struct SQLDirectoryAdministrationStore: DirectoryAdministrationStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    public func version() async throws -> Int64 {
        try await database.reader.select().column("version").from("directory_version").where("id", .equal, 1)
            .first(decodingColumn: "version", as: Int64.self) ?? 0
    }

    public func createArea(code: String, name: String, level: AdminLevel, parentID: Int64?) async throws -> Area {
        try await changing { db in
            try await Self.refuseTaken([code], on: db)
            let area = Area(id: try await Self.nextID(of: "areas", on: db), code: code, name: name, level: level, parentID: parentID)
            try await SQLHierarchyStore.insert(areas: [NewArea(area: area)], on: db)
            return area
        }
    }

    public func renameArea(id: Int64, to name: String) async throws {
        try await changing { db in
            try await Self.update("areas", id: id, on: db) { $0.set("name", to: SQLBind(name)) }
        }
    }

    public func retireArea(id: Int64, at: Date) async throws {
        try await changing { db in
            let inUse = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("areas")
                .where("parent_id", .equal, id).where("retired_at", .is, SQLLiteral.null)
                .first(decodingColumn: "n", as: Int.self) ?? 0
            guard inUse == 0 else { throw DirectoryChangeRefused.areaInUse }
            try await Self.update("areas", id: id, on: db) { $0.set("retired_at", to: SQLBind(at.millisecondsSince1970)) }
        }
    }

    public func insertGrids(_ grids: [NewGrid]) async throws -> [Area] {
        guard !grids.isEmpty else { return [] }
        return try await changing { db in
            try await Self.refuseTaken(grids.map(\.code), on: db)
            let first = try await Self.nextID(of: "areas", on: db)
            let areas = grids.enumerated().map { offset, grid in
                NewArea(
                    area: Area(id: first + Int64(offset), code: grid.code, name: grid.name, level: .grid, parentID: grid.villageID),
                    households: grid.households, boundary: grid.boundary)
            }
            try await SQLHierarchyStore.insert(areas: areas, on: db)
            return areas.map(\.area)
        }
    }

    public func createDepartment(name: String, kind: String, areaID: Int64, level: AdminLevel) async throws -> Department {
        try await changing { db in
            let department = Department(id: try await Self.nextID(of: "departments", on: db), name: name, kind: kind, areaID: areaID, level: level)
            try await db.insert(into: "departments").columns("id", "name", "kind", "area_id", "level")
                .values(SQLBind(department.id), SQLBind(name), SQLBind(kind), SQLBind(areaID), SQLBind(level.rawValue)).run()
            return department
        }
    }

    public func updateDepartment(_ department: Department) async throws {
        try await changing { db in
            try await Self.update("departments", id: department.id, on: db) {
                $0.set("name", to: SQLBind(department.name)).set("kind", to: SQLBind(department.kind))
                    .set("area_id", to: SQLBind(department.areaID)).set("level", to: SQLBind(department.level.rawValue))
            }
        }
    }

    public func retireDepartment(id: Int64, at: Date) async throws {
        try await changing { db in
            try await Self.update("departments", id: id, on: db) { $0.set("retired_at", to: SQLBind(at.millisecondsSince1970)) }
        }
    }

    public func createCategory(_ category: OneGridDomain.Category) async throws -> OneGridDomain.Category {
        try await changing { db in
            try await Self.refuseTaken([category.code], in: "categories", on: db)
            var category = category
            category.id = try await Self.nextID(of: "categories", on: db)
            try await SQLHierarchyStore.insert(categories: [category], on: db)
            return category
        }
    }

    public func updateCategory(_ category: OneGridDomain.Category) async throws {
        let keywords = String(decoding: try JSONEncoder.sorted.encode(category.keywords), as: UTF8.self)
        try await changing { db in
            try await Self.update("categories", id: category.id, on: db) {
                $0.set("handling_level", to: SQLBind(category.handlingLevel.rawValue))
                    .set("department_kind", to: SQLBind(category.departmentKind))
                    .set("acceptance_limit", to: SQLBind(category.acceptanceLimit.description))
                    .set("signing_limit", to: SQLBind(category.signingLimit.description))
                    .set("handling_limit", to: SQLBind(category.handlingLimit.description))
                    .set("escalates_when_overdue", to: SQLBind(category.escalatesWhenOverdue ? 1 : 0))
                    .set("keywords", to: SQLBind(keywords))
            }
        }
    }

    /// Runs one change in a transaction that first bumps the directory's version. The bump comes
    /// first on purpose: on PostgreSQL its row lock queues concurrent changes from every server,
    /// so the checks and the next free id read after it cannot race another change.
    private func changing<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.transaction { db in
            try await db.raw("UPDATE directory_version SET version = version + 1 WHERE id = 1").run()
            return try await body(db)
        }
    }

    private static func nextID(of table: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM \(ident: table)").first(decodingColumn: "id", as: Int64.self) ?? 1
    }

    private static func refuseTaken(_ codes: [String], in table: String = "areas", on db: any SQLDatabase) async throws {
        var taken: [String] = []
        // In chunks: a province's upload would pass the databases' limits on bound values.
        for chunk in codes.chunked(into: 500) {
            taken += try await db.select().column("code").from(table).where("code", .in, Array(chunk))
                .all(decodingColumn: "code", as: String.self)
        }
        guard taken.isEmpty else { throw DirectoryChangeRefused.codesTaken(taken.sorted()) }
    }

    /// Updates one row by id; refuses an id that names no row.
    private static func update(
        _ table: String, id: Int64, on db: any SQLDatabase, _ set: (SQLUpdateBuilder) -> SQLUpdateBuilder
    ) async throws {
        let found = try await db.select().column("id").from(table).where("id", .equal, id).first()
        guard found != nil else { throw DirectoryChangeRefused.unknown }
        try await set(db.update(table)).where("id", .equal, id).run()
    }
}
