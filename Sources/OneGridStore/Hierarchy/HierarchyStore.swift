public import OneGridDomain

/// The hierarchy's persistence: areas and grid boundaries, departments, categories.
public protocol HierarchyStore: Sendable {
    /// Everything, for the server's in-memory `Directory`.
    func loadDirectory() async throws -> Directory
    /// Adds areas (parents before children); grids carry their boundary and households.
    func insert(areas: [NewArea]) async throws
    func insert(departments: [Department]) async throws
    func insert(categories: [OneGridDomain.Category]) async throws
}

/// An area to add. Ids are chosen by the caller so a whole tree goes in with one batch.
public struct NewArea: Sendable {
    public var area: Area
    public var households: Int?
    public var gridKind: String?
    public var boundary: GridBoundary?

    public init(area: Area, households: Int? = nil, gridKind: String? = nil, boundary: GridBoundary? = nil) {
        self.area = area
        self.households = households
        self.gridKind = gridKind
        self.boundary = boundary
    }
}
