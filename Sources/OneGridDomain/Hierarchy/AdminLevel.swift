/// The levels of the hierarchy, from the top down. A grid is the smallest unit inside a village;
/// the four above it each run a centre that accepts, dispatches and supervises.
public enum AdminLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case city, county, town, village, grid

    /// Depth from the top: city 0 … grid 4. Lower levels have larger depths.
    public var depth: Int {
        switch self {
        case .city: 0
        case .county: 1
        case .town: 2
        case .village: 3
        case .grid: 4
        }
    }

    /// The level one step up, or nil at the city.
    public var above: AdminLevel? { AdminLevel.allCases.first { $0.depth == depth - 1 } }

    /// The level one step down, or nil at the grid.
    public var below: AdminLevel? { AdminLevel.allCases.first { $0.depth == depth + 1 } }

    /// Levels at which a centre handles cases: a grid reports, it does not run a centre.
    public var runsCentre: Bool { self != .grid }

    /// `a < b` when `a` is higher (closer to the city) than `b`.
    public static func < (lhs: AdminLevel, rhs: AdminLevel) -> Bool { lhs.depth < rhs.depth }

    public var chineseName: String {
        switch self {
        case .city: "市"
        case .county: "县(区)"
        case .town: "乡镇(街道)"
        case .village: "村(社区)"
        case .grid: "网格"
        }
    }
}

/// The ids of the areas that contain one place, one per level: what a case stores so that
/// scoping a query to any post's area is a single indexed equality.
public struct AreaPath: Codable, Sendable, Hashable {
    public var city: Int64
    public var county: Int64
    public var town: Int64
    public var village: Int64
    public var grid: Int64

    public init(city: Int64, county: Int64, town: Int64, village: Int64, grid: Int64) {
        self.city = city
        self.county = county
        self.town = town
        self.village = village
        self.grid = grid
    }

    public subscript(level: AdminLevel) -> Int64 {
        switch level {
        case .city: city
        case .county: county
        case .town: town
        case .village: village
        case .grid: grid
        }
    }
}
