import Foundation
public import OneGridDomain
public import OneGridStore

/// The administrator's work on the hierarchy: creating, renaming and retiring areas, and adding
/// a village's grids from a GeoJSON file (`AdministrationAreas+GridUpload`).
public struct AdministrationAreas: Sendable {
    let services: OneGridServices

    /// Adds a county, town or village under its parent; its code extends the parent's.
    public func create(code: String, name: String, parentID: Int64?, by principal: Principal) async throws -> Area {
        let directory = services.directory
        guard let parentID, let parent = directory.areas[parentID], parent.retiredAt == nil else {
            throw DirectoryRefusal(field: "parent", reason: .unknownParent)
        }
        // Grids come with a boundary, so they are added by upload.
        guard let level = parent.level.below, level != .grid else { throw DirectoryRefusal(field: "parent", reason: .parentLevel) }
        let code = code.trimmingCharacters(in: .whitespaces)
        guard (try? DivisionCode(code, level: level)) != nil, DivisionCode.level(of: code) == level else {
            throw DirectoryRefusal(field: "code", reason: .codeFormat)
        }
        guard code.hasPrefix(Self.codePrefix(of: parent)) else { throw DirectoryRefusal(field: "code", reason: .codeOutsideParent) }
        guard directory.area(code: code) == nil else { throw DirectoryRefusal(field: "code", reason: .codeTaken) }
        let name = try name.checkedName(field: "name")
        return try await services.changeDirectory("area.create", subject: "area \(code)", ["name": name], field: "code", by: principal) {
            try await services.directoryAdministration.createArea(code: code, name: name, level: level, parentID: parent.id)
        }
    }

    public func rename(areaID: Int64, to name: String, by principal: Principal) async throws {
        let area = try active(areaID)
        let name = try name.checkedName(field: "name")
        try await services.changeDirectory("area.rename", subject: "area \(area.code)", ["name": name], field: "area", by: principal) {
            try await services.directoryAdministration.renameArea(id: area.id, to: name)
        }
    }

    /// Retires an area: no new case lands in it, its old cases keep it. Areas below it are
    /// retired first, so no grid is left under a retired village.
    public func retire(areaID: Int64, by principal: Principal) async throws {
        let area = try active(areaID)
        guard !services.directory.children(of: area.id).contains(where: { $0.retiredAt == nil }) else {
            throw DirectoryRefusal(field: "area", reason: .areaInUse)
        }
        try await services.changeDirectory("area.retire", subject: "area \(area.code)", field: "area", by: principal) {
            try await services.directoryAdministration.retireArea(id: area.id, at: services.clock.now)
        }
    }

    func active(_ areaID: Int64) throws -> Area {
        guard let area = services.directory.areas[areaID] else { throw DirectoryRefusal(field: "area", reason: .unknownArea) }
        guard area.retiredAt == nil else { throw DirectoryRefusal(field: "area", reason: .alreadyRetired) }
        return area
    }

    /// The digits of a code that its children share: 4 for a city, 6 a county, 9 a town, all 12
    /// of a village (whose grids append 3).
    public static func codePrefix(of area: Area) -> String {
        let length =
            switch area.level {
            case .city: 4
            case .county: 6
            case .town: 9
            case .village, .grid: area.code.count
            }
        return String(area.code.prefix(length))
    }
}
