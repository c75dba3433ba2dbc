/// The whole hierarchy in memory: areas, grids and their boundaries, departments, categories.
/// It changes rarely and is read on every intake, so the server keeps one and routes from it
/// without touching the database. A province of a few hundred thousand grids fits easily.
public struct Directory: Sendable {
    public private(set) var areas: [Int64: Area] = [:]
    public private(set) var departments: [Int64: Department] = [:]
    public private(set) var categories: [Int64: Category] = [:]
    public private(set) var boundaries: [Int64: GridBoundary] = [:]
    private var areaByCode: [String: Int64] = [:]
    private var categoryByCode: [String: Int64] = [:]
    private var departmentByKindAndArea: [String: Int64] = [:]
    public private(set) var locator = GridLocator()

    public init() {}

    public init(areas: [Area], boundaries: [Int64: GridBoundary], departments: [Department], categories: [Category]) {
        for area in areas { add(area) }
        for (gridID, boundary) in boundaries { add(boundary: boundary, of: gridID) }
        for department in departments { add(department) }
        for category in categories { add(category) }
    }

    public mutating func add(_ area: Area) {
        areas[area.id] = area
        areaByCode[area.code] = area.id
    }

    /// A retired department keeps its name for the cases it handled but is no longer found by kind,
    /// so nothing new is dispatched to it.
    public mutating func add(_ department: Department) {
        departments[department.id] = department
        guard department.retiredAt == nil else { return }
        departmentByKindAndArea["\(department.kind)@\(department.areaID)"] = department.id
    }

    public mutating func add(_ category: Category) {
        categories[category.id] = category
        categoryByCode[category.code] = category.id
    }

    /// A retired grid keeps its boundary for the maps of its old cases, but no point routes to it.
    public mutating func add(boundary: GridBoundary, of gridID: Int64) {
        boundaries[gridID] = boundary
        guard areas[gridID]?.retiredAt == nil else { return }
        locator.insert(.init(gridID: gridID, boundary: boundary))
    }

    public func area(code: String) -> Area? { areaByCode[code].flatMap { areas[$0] } }
    public func category(code: String) -> Category? { categoryByCode[code].flatMap { categories[$0] } }

    /// The category and every category below it: a parent category stands for its whole subtree
    /// when cases are filtered by it.
    public func categoryIDs(inSubtreeOf categoryID: Int64) -> [Int64] {
        categories.values.filter { candidate in
            var current: Category? = candidate
            while let at = current {
                if at.id == categoryID { return true }
                current = at.parentID.flatMap { categories[$0] }
            }
            return false
        }.map(\.id)
    }

    public func department(kind: String, areaID: Int64) -> Department? {
        departmentByKindAndArea["\(kind)@\(areaID)"].flatMap { departments[$0] }
    }

    /// The areas above a grid, one per level; nil when the id is not a grid or its chain is broken.
    public func path(ofGrid gridID: Int64) -> AreaPath? {
        var ids: [AdminLevel: Int64] = [:]
        var current = areas[gridID]
        guard current?.level == .grid else { return nil }
        while let area = current {
            ids[area.level] = area.id
            current = area.parentID.flatMap { areas[$0] }
        }
        guard let city = ids[.city], let county = ids[.county], let town = ids[.town], let village = ids[.village]
        else { return nil }
        return AreaPath(city: city, county: county, town: town, village: village, grid: gridID)
    }

    /// The chain from the city down to `areaID`, for display.
    public func lineage(of areaID: Int64) -> [Area] {
        var chain: [Area] = []
        var current = areas[areaID]
        while let area = current {
            chain.insert(area, at: 0)
            current = area.parentID.flatMap { areas[$0] }
        }
        return chain
    }

    public func children(of areaID: Int64) -> [Area] {
        areas.values.filter { $0.parentID == areaID }.sorted { $0.code < $1.code }
    }

    /// Where a case reported at a point, or in a named grid, belongs. Refuses, naming the field,
    /// a point outside every grid and an id that is not a grid.
    public func locate(point: GeoPoint?, gridID: Int64?) throws(DomainError) -> AreaPath {
        if let point {
            let valid = try point.validated()
            guard let grid = locator.grid(containing: valid) else {
                throw DomainError.invalid(
                    field: "location", "the point (\(valid.lat), \(valid.lng)) lies outside every grid")
            }
            return path(ofGrid: grid)!
        }
        if let gridID {
            guard areas[gridID]?.retiredAt == nil, let path = path(ofGrid: gridID) else {
                throw DomainError.notFound("grid \(gridID)", field: "gridID")
            }
            return path
        }
        throw DomainError.invalid(field: "location", "a case needs a location (lat, lng) or a gridID")
    }
}
