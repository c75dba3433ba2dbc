import Foundation
public import OneGridDomain
import SQLKit

public struct SQLHierarchyStore: HierarchyStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    private struct AreaRow: Codable {
        var id: Int64
        var code: String
        var name: String
        var level: String
        var parentId: Int64?
        var households: Int?
        var gridKind: String?
        var boundary: String?
        var minLat: Double?
        var maxLat: Double?
        var minLng: Double?
        var maxLng: Double?
        var retiredAt: Int64?
    }

    private struct CategoryRow: Codable {
        var id: Int64
        var code: String
        var name: String
        var parentId: Int64?
        var platform: String
        var kind: String
        var handlingLevel: String
        var departmentKind: String?
        var acceptanceLimit: String
        var signingLimit: String
        var handlingLimit: String
        var escalatesWhenOverdue: Int
        /// A JSON array of strings (Migration007).
        var keywords: String
    }

    private struct DepartmentRow: Codable {
        var id: Int64
        var name: String
        var kind: String
        var areaId: Int64
        var level: String
        var retiredAt: Int64?
    }

    public func loadDirectory() async throws -> Directory {
        let db = database.reader
        let areaRows = try await db.select().columns("*").from("areas").all(decoding: AreaRow.self, with: .snake)
        let departmentRows = try await db.select().columns("*").from("departments")
            .all(decoding: DepartmentRow.self, with: .snake)
        let categoryRows = try await db.select().columns("*").from("categories")
            .all(decoding: CategoryRow.self, with: .snake)
        var boundaries: [Int64: GridBoundary] = [:]
        let decoder = JSONDecoder()
        for row in areaRows {
            if let text = row.boundary { boundaries[row.id] = try decoder.decode(GridBoundary.self, from: Data(text.utf8)) }
        }
        return Directory(
            areas: try areaRows.map {
                Area(
                    id: $0.id, code: $0.code, name: $0.name, level: try stored(AdminLevel.self, $0.level), parentID: $0.parentId,
                    retiredAt: $0.retiredAt.map(Date.init(millisecondsSince1970:)))
            },
            boundaries: boundaries,
            departments: try departmentRows.map {
                Department(
                    id: $0.id, name: $0.name, kind: $0.kind, areaID: $0.areaId, level: try stored(AdminLevel.self, $0.level),
                    retiredAt: $0.retiredAt.map(Date.init(millisecondsSince1970:)))
            },
            categories: try categoryRows.map {
                Category(
                    id: $0.id, code: $0.code, name: $0.name, parentID: $0.parentId,
                    platform: try stored(Platform.self, $0.platform), kind: try stored(CategoryKind.self, $0.kind),
                    handlingLevel: try stored(AdminLevel.self, $0.handlingLevel), departmentKind: $0.departmentKind,
                    acceptanceLimit: try TimeLimit(parsing: $0.acceptanceLimit),
                    signingLimit: try TimeLimit(parsing: $0.signingLimit),
                    handlingLimit: try TimeLimit(parsing: $0.handlingLimit),
                    escalatesWhenOverdue: $0.escalatesWhenOverdue != 0,
                    keywords: try decoder.decode([String].self, from: Data($0.keywords.utf8)))
            })
    }

    public func insert(areas: [NewArea]) async throws {
        try await database.transaction { db in try await Self.insert(areas: areas, on: db) }
    }

    public func insert(departments: [Department]) async throws {
        try await database.transaction { db in
            try await Self.insertChunked(
                departments.map {
                    DepartmentRow(
                        id: $0.id, name: $0.name, kind: $0.kind, areaId: $0.areaID, level: $0.level.rawValue,
                        retiredAt: $0.retiredAt?.millisecondsSince1970)
                }, into: "departments", on: db)
        }
    }

    public func insert(categories: [OneGridDomain.Category]) async throws {
        try await database.transaction { db in try await Self.insert(categories: categories, on: db) }
    }

    static func insert(categories: [OneGridDomain.Category], on db: any SQLDatabase) async throws {
        let encoder = JSONEncoder.sorted
        let rows = try categories.map {
            CategoryRow(
                id: $0.id, code: $0.code, name: $0.name, parentId: $0.parentID, platform: $0.platform.rawValue,
                kind: $0.kind.rawValue, handlingLevel: $0.handlingLevel.rawValue, departmentKind: $0.departmentKind,
                acceptanceLimit: $0.acceptanceLimit.description, signingLimit: $0.signingLimit.description,
                handlingLimit: $0.handlingLimit.description, escalatesWhenOverdue: $0.escalatesWhenOverdue ? 1 : 0,
                keywords: String(decoding: try encoder.encode($0.keywords), as: UTF8.self))
        }
        try await insertChunked(rows, into: "categories", on: db)
    }

    /// Adds areas inside the caller's transaction, so an administrator's upload lands with the
    /// directory's version bump or not at all.
    static func insert(areas: [NewArea], on db: any SQLDatabase) async throws {
        let encoder = JSONEncoder.sorted
        let rows = try areas.map { new in
            AreaRow(
                id: new.area.id, code: new.area.code, name: new.area.name, level: new.area.level.rawValue,
                parentId: new.area.parentID, households: new.households, gridKind: new.gridKind,
                boundary: try new.boundary.map { String(decoding: try encoder.encode($0), as: UTF8.self) },
                minLat: new.boundary?.minLat, maxLat: new.boundary?.maxLat,
                minLng: new.boundary?.minLng, maxLng: new.boundary?.maxLng,
                retiredAt: new.area.retiredAt?.millisecondsSince1970)
        }
        try await insertChunked(rows, into: "areas", on: db)
    }

    private static func insertChunked<Row: Encodable & Sendable>(_ rows: [Row], into table: String, on db: any SQLDatabase) async throws {
        for chunk in rows.chunked(into: 200) {
            try await db.insert(into: table).models(Array(chunk), with: .snakeWithNils).run()
        }
    }
}

/// Reads a stored enum value; a value this version does not know is a data error, not a crash.
func stored<Value: RawRepresentable>(_ type: Value.Type, _ raw: Value.RawValue) throws -> Value {
    guard let value = Value(rawValue: raw) else {
        throw StoreError.corrupt("unknown \(Value.self) '\(raw)' in the database")
    }
    return value
}

public enum StoreError: Error, CustomStringConvertible {
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let message): message
        }
    }
}

extension SQLRowDecoder {
    static let snake = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
    /// For rows whose CodingKeys spell out their column names: no conversion per key.
    static let spelledOut = SQLRowDecoder()
}

extension SQLQueryEncoder {
    /// Every column present even when nil, so the rows of one multi-row insert line up.
    static let snakeWithNils = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
