import Foundation
public import OneGridDomain
public import OneGridStore

/// The administrator's work on departments: creating one in an area, editing it, retiring it.
/// A department works at the level of the area it sits in, so its level follows its area.
public struct AdministrationDepartments: Sendable {
    let services: OneGridServices

    /// What a department is called, which kind of work it does (the kind categories name, such
    /// as `market-supervision`), and where.
    public struct Form: Sendable {
        public var name: String
        public var kind: String
        public var areaID: Int64?

        public init(name: String, kind: String, areaID: Int64?) {
            self.name = name
            self.kind = kind
            self.areaID = areaID
        }
    }

    public func create(_ form: Form, by principal: Principal) async throws -> Department {
        let (name, kind, area) = try checked(form)
        return try await services.changeDirectory("department.create", subject: "department \(name)", field: "name", by: principal) {
            try await services.directoryAdministration.createDepartment(name: name, kind: kind, areaID: area.id, level: area.level)
        }
    }

    public func update(departmentID: Int64, _ form: Form, by principal: Principal) async throws {
        var department = try active(departmentID)
        let (name, kind, area) = try checked(form)
        department.name = name
        department.kind = kind
        department.areaID = area.id
        department.level = area.level
        try await services.changeDirectory("department.edit", subject: "department \(department.id)", field: "department", by: principal) { [department] in
            try await services.directoryAdministration.updateDepartment(department)
        }
    }

    /// Retires a department: nothing new is dispatched to it; the cases it has keep its name.
    public func retire(departmentID: Int64, by principal: Principal) async throws {
        let department = try active(departmentID)
        try await services.changeDirectory("department.retire", subject: "department \(department.id)", field: "department", by: principal) {
            try await services.directoryAdministration.retireDepartment(id: department.id, at: services.clock.now)
        }
    }

    /// Department kinds in use, for the forms to offer.
    public func kinds() -> [String] {
        Set(services.directory.departments.values.map(\.kind)).sorted()
    }

    private func active(_ departmentID: Int64) throws -> Department {
        guard let department = services.directory.departments[departmentID] else {
            throw DirectoryRefusal(field: "department", reason: .unknownDepartment)
        }
        guard department.retiredAt == nil else { throw DirectoryRefusal(field: "department", reason: .alreadyRetired) }
        return department
    }

    private func checked(_ form: Form) throws -> (String, String, Area) {
        let name = try form.name.checkedName(field: "name")
        let kind = form.kind.trimmingCharacters(in: .whitespaces).lowercased()
        guard kind.wholeMatch(of: /[a-z][a-z0-9-]{1,39}/) != nil else { throw DirectoryRefusal(field: "kind", reason: .kindFormat) }
        guard let areaID = form.areaID, let area = services.directory.areas[areaID], area.retiredAt == nil else {
            throw DirectoryRefusal(field: "area", reason: .unknownArea)
        }
        // A grid runs no centre, so no department sits in one.
        guard area.level.runsCentre else { throw DirectoryRefusal(field: "area", reason: .centreArea) }
        return (name, kind, area)
    }
}
