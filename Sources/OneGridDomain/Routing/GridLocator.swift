/// Finds the grid that contains a point. Grids are bucketed by the cells of a fixed lattice that
/// their bounding boxes touch, so a lookup tests only the few polygons near the point instead of
/// scanning all of a province's grids.
public struct GridLocator: Sendable {
    public struct Entry: Sendable {
        public var gridID: Int64
        public var boundary: GridBoundary

        public init(gridID: Int64, boundary: GridBoundary) {
            self.gridID = gridID
            self.boundary = boundary
        }
    }

    private struct Cell: Hashable {
        var row: Int
        var column: Int
    }

    /// About 1 km: a few grids' width, so a cell holds a handful of candidates.
    private let cellDegrees: Double
    private var entries: [Entry] = []
    private var buckets: [Cell: [Int]] = [:]

    public init(cellDegrees: Double = 0.01) {
        self.cellDegrees = cellDegrees
    }

    public init(_ entries: [Entry], cellDegrees: Double = 0.01) {
        self.init(cellDegrees: cellDegrees)
        for entry in entries { insert(entry) }
    }

    public var count: Int { entries.count }

    public mutating func insert(_ entry: Entry) {
        let index = entries.count
        entries.append(entry)
        let low = cell(GeoPoint(lat: entry.boundary.minLat, lng: entry.boundary.minLng))
        let high = cell(GeoPoint(lat: entry.boundary.maxLat, lng: entry.boundary.maxLng))
        for row in low.row...high.row {
            for column in low.column...high.column {
                buckets[Cell(row: row, column: column), default: []].append(index)
            }
        }
    }

    /// The grid containing `point`, or nil when it lies outside every grid.
    public func grid(containing point: GeoPoint) -> Int64? {
        guard let candidates = buckets[cell(point)] else { return nil }
        return candidates.lazy.map { entries[$0] }.first { $0.boundary.contains(point) }?.gridID
    }

    private func cell(_ point: GeoPoint) -> Cell {
        Cell(row: Int((point.lat / cellDegrees).rounded(.down)), column: Int((point.lng / cellDegrees).rounded(.down)))
    }
}
