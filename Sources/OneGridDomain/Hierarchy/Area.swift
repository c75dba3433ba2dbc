public import Foundation

/// One node of the hierarchy: a city, county, town, village or grid.
public struct Area: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var code: String
    public var name: String
    public var level: AdminLevel
    public var parentID: Int64?
    /// When an administrator retired it: no new case lands there, while the cases it had keep
    /// their place, so a retired area stays in the directory.
    public var retiredAt: Date?

    public init(id: Int64, code: String, name: String, level: AdminLevel, parentID: Int64?, retiredAt: Date? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.level = level
        self.parentID = parentID
        self.retiredAt = retiredAt
    }
}

/// A government body that handles cases at one level, e.g. the town's market supervision station.
/// `kind` is what categories name, so one category finds "its" department in every area.
public struct Department: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    public var kind: String
    public var areaID: Int64
    public var level: AdminLevel
    /// When an administrator retired it: nothing is dispatched to it any more, while the cases it
    /// handled keep its name.
    public var retiredAt: Date?

    public init(id: Int64, name: String, kind: String, areaID: Int64, level: AdminLevel, retiredAt: Date? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.areaID = areaID
        self.level = level
        self.retiredAt = retiredAt
    }
}
