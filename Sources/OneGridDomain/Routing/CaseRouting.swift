/// Where a new case goes: its place gives the area at every level, its category gives the level
/// and the kind of department. The case starts at the lowest level allowed to handle it.
public struct RoutingDecision: Sendable, Hashable {
    public var areas: AreaPath
    public var handlingLevel: AdminLevel
    public var handlingAreaID: Int64
    /// The department the dispatcher will most likely send it to; nil when the centre handles it.
    public var suggestedDepartmentID: Int64?
}

public enum CaseRouting {
    /// - Parameter department: the department of a kind in an area, if the area has one.
    public static func route(
        areas: AreaPath, category: Category, department: (_ kind: String, _ areaID: Int64) -> Department?
    ) -> RoutingDecision {
        var level = category.handlingLevel == .grid ? .village : category.handlingLevel
        let suggested = category.departmentKind.flatMap {
            suggestedDepartment(kind: $0, areas: areas, from: level, department: department)
        }
        // A centre can only dispatch to departments at its own level or below; when the nearest
        // department of the kind sits higher, the lowest level that can solve the case is that one.
        if let suggested, suggested.level < level { level = suggested.level }
        return RoutingDecision(
            areas: areas, handlingLevel: level, handlingAreaID: areas[level], suggestedDepartmentID: suggested?.id)
    }

    /// The nearest department of `kind` at `level` or above: a village has no market supervision
    /// station, so its cases go to the town's.
    public static func suggestedDepartment(
        kind: String, areas: AreaPath, from level: AdminLevel,
        department: (_ kind: String, _ areaID: Int64) -> Department?
    ) -> Department? {
        var current: AdminLevel? = level
        while let at = current {
            if let found = department(kind, areas[at]) { return found }
            current = at.above
        }
        return nil
    }
}
