/// One node of the hierarchy: a city, county, town, village or grid.
public struct Area: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var code: String
    public var name: String
    public var level: AdminLevel
    public var parentID: Int64?

    public init(id: Int64, code: String, name: String, level: AdminLevel, parentID: Int64?) {
        self.id = id
        self.code = code
        self.name = name
        self.level = level
        self.parentID = parentID
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

    public init(id: Int64, name: String, kind: String, areaID: Int64, level: AdminLevel) {
        self.id = id
        self.name = name
        self.kind = kind
        self.areaID = areaID
        self.level = level
    }
}
