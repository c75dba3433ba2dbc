public import Foundation
public import OneGridDomain

/// The administrator's changes to the directory: areas and grids, departments, categories. Each
/// change bumps the directory's version in its own transaction, so every server that polls the
/// version reloads exactly when something changed, and a change is never half written.
public protocol DirectoryAdministrationStore: Sendable {
    /// The number every change below bumps; a server holding an older one reloads its directory.
    func version() async throws -> Int64
    /// Adds an area with the next free id. Refuses a code already used, retired areas included.
    func createArea(code: String, name: String, level: AdminLevel, parentID: Int64?) async throws -> Area
    func renameArea(id: Int64, to name: String) async throws
    /// Retires an area; refuses while an area below it is still in use.
    func retireArea(id: Int64, at: Date) async throws
    /// Adds grids with the next free ids, all or none; refuses if any code is already used.
    func insertGrids(_ grids: [NewGrid]) async throws -> [Area]
    /// Adds a department with the next free id.
    func createDepartment(name: String, kind: String, areaID: Int64, level: AdminLevel) async throws -> Department
    /// Writes a department's name, kind, area and level.
    func updateDepartment(_ department: Department) async throws
    func retireDepartment(id: Int64, at: Date) async throws
    /// Adds a category with the next free id (its given id is ignored); refuses a code already used.
    func createCategory(_ category: OneGridDomain.Category) async throws -> OneGridDomain.Category
    /// Writes what an administrator keeps of a category: its handling level, department kind,
    /// limits, escalation and keywords. Its code, name, place in the tree and platform stay.
    func updateCategory(_ category: OneGridDomain.Category) async throws
}

/// A grid to add under a village.
public struct NewGrid: Sendable, Equatable {
    public var code: String
    public var name: String
    public var villageID: Int64
    public var boundary: GridBoundary
    public var households: Int?

    public init(code: String, name: String, villageID: Int64, boundary: GridBoundary, households: Int? = nil) {
        self.code = code
        self.name = name
        self.villageID = villageID
        self.boundary = boundary
        self.households = households
    }
}

/// Why the store refused a change it checks inside its transaction, where a check made earlier
/// by another server cannot have gone stale.
public enum DirectoryChangeRefused: Error, Sendable, Equatable {
    /// These codes are taken.
    case codesTaken([String])
    /// The area still has areas in use below it.
    case areaInUse
    /// No such area, department or category.
    case unknown
}
