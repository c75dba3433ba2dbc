import OneGridDomain
import Testing

@Suite struct GridLocatorTests {
    /// A 3 × 3 tiling of 0.004° squares from (30.000, 121.000); grid ids 1…9 row by row from the
    /// south-west. Neighbours share their edge coordinates exactly, as imported grids do. The
    /// lattice cells are 0.01°, so one cell holds several grids; the large test covers crossings.
    static let lats = [30.000, 30.004, 30.008, 30.012]
    static let lngs = [121.000, 121.004, 121.008, 121.012]
    static let tiles: [GridLocator.Entry] = (0..<3).flatMap { row in
        (0..<3).map { column in
            let south = lats[row], north = lats[row + 1], west = lngs[column], east = lngs[column + 1]
            let ring = [
                GeoPoint(lat: south, lng: west), GeoPoint(lat: south, lng: east),
                GeoPoint(lat: north, lng: east), GeoPoint(lat: north, lng: west),
            ]
            return GridLocator.Entry(gridID: Int64(row * 3 + column + 1), boundary: GridBoundary(ring: ring))
        }
    }
    static let tiling = GridLocator(tiles)

    static func bruteForce(_ entries: [GridLocator.Entry], _ point: GeoPoint) -> [Int64] {
        entries.filter { $0.boundary.contains(point) }.map(\.gridID)
    }

    @Test func pointsInsideFindTheirTile() {
        for row in 0..<3 {
            for column in 0..<3 {
                let centre = GeoPoint(
                    lat: (Self.lats[row] + Self.lats[row + 1]) / 2, lng: (Self.lngs[column] + Self.lngs[column + 1]) / 2)
                #expect(Self.tiling.grid(containing: centre) == Int64(row * 3 + column + 1))
            }
        }
        #expect(Self.tiling.count == 9)
    }

    @Test func pointsOutsideTheTilingFindNothing() {
        let outside = [
            GeoPoint(lat: 29.9999, lng: 121.002),  // just south
            GeoPoint(lat: 30.006, lng: 121.0121),  // just east
            GeoPoint(lat: 30.0121, lng: 121.006),  // just north, same lattice cell
            GeoPoint(lat: 30.006, lng: 120.9999),  // just west, another lattice cell
        ]
        for point in outside {
            #expect(Self.tiling.grid(containing: point) == nil, "\(point)")
        }
    }

    @Test func aPointInNoBucketFindsNothing() {
        #expect(Self.tiling.grid(containing: GeoPoint(lat: 39.9, lng: 116.4)) == nil)
        #expect(GridLocator().grid(containing: GeoPoint(lat: 30.0, lng: 121.0)) == nil)
    }

    /// Points on an edge or corner two or four grids share belong to exactly one of them, and
    /// the locator picks that one: a case on a boundary street lands once, never twice or nowhere.
    @Test(arguments: [
        GeoPoint(lat: 30.002, lng: 121.004),  // vertical edge between 1 and 2
        GeoPoint(lat: 30.004, lng: 121.002),  // horizontal edge between 1 and 4
        GeoPoint(lat: 30.004, lng: 121.004),  // corner of 1, 2, 4 and 5
        GeoPoint(lat: 30.008, lng: 121.008),  // corner of 5, 6, 8 and 9
        GeoPoint(lat: 30.006, lng: 121.008),  // vertical edge between 5 and 6
    ])
    func aPointOnASharedEdgeBelongsToExactlyOneGrid(point: GeoPoint) throws {
        let owners = Self.bruteForce(Self.tiles, point)
        #expect(owners.count == 1, "owners of \(point): \(owners)")
        #expect(Self.tiling.grid(containing: point) == owners.first)
    }

    /// A U-shaped grid (a courtyard estate) around a notch that belongs to its neighbour.
    @Test func aConcaveGridLeavesItsNotchToTheNeighbour() {
        let u = GridBoundary(ring: [
            GeoPoint(lat: 30.000, lng: 121.000), GeoPoint(lat: 30.000, lng: 121.006),
            GeoPoint(lat: 30.006, lng: 121.006), GeoPoint(lat: 30.006, lng: 121.004),
            GeoPoint(lat: 30.002, lng: 121.004), GeoPoint(lat: 30.002, lng: 121.002),
            GeoPoint(lat: 30.006, lng: 121.002), GeoPoint(lat: 30.006, lng: 121.000),
        ])
        let notch = GridBoundary(ring: [
            GeoPoint(lat: 30.002, lng: 121.002), GeoPoint(lat: 30.002, lng: 121.004),
            GeoPoint(lat: 30.006, lng: 121.004), GeoPoint(lat: 30.006, lng: 121.002),
        ])
        let locator = GridLocator([.init(gridID: 1, boundary: u), .init(gridID: 2, boundary: notch)])

        #expect(locator.grid(containing: GeoPoint(lat: 30.001, lng: 121.003)) == 1, "the base of the U")
        #expect(locator.grid(containing: GeoPoint(lat: 30.005, lng: 121.001)) == 1, "the left arm")
        #expect(locator.grid(containing: GeoPoint(lat: 30.005, lng: 121.005)) == 1, "the right arm")
        #expect(locator.grid(containing: GeoPoint(lat: 30.003, lng: 121.003)) == 2, "inside the notch")
        #expect(locator.grid(containing: GeoPoint(lat: 30.0059, lng: 121.003)) == 2, "the notch's open end")
        #expect(locator.grid(containing: GeoPoint(lat: 30.0065, lng: 121.003)) == nil, "above the notch")
    }

    /// 10,000 grids of a jittered 100 × 100 lattice (quadrilaterals sharing their corners, as
    /// real grids share streets), about 0.0023° across, so many cross the 0.01° cells. Every grid
    /// finds itself from an inner point, and random points agree with a scan of all grids.
    @Test func tenThousandGridsAgreeWithBruteForce() {
        // Seeded, so a failing random point reproduces on every run.
        var random = SeededGenerator(seed: 2026)
        let n = 100
        let step = 0.0023
        let corners: [[GeoPoint]] = (0...n).map { row in
            (0...n).map { column in
                // Outer corners stay put so the tiling's outline is a rectangle.
                let inner = row > 0 && row < n && column > 0 && column < n
                let jitter = { inner ? (random.unit() - 0.5) * step * 0.4 : 0 }
                return GeoPoint(lat: 29.95 + Double(row) * step + jitter(), lng: 120.95 + Double(column) * step + jitter())
            }
        }
        var entries: [GridLocator.Entry] = []
        for row in 0..<n {
            for column in 0..<n {
                let ring = [
                    corners[row][column], corners[row][column + 1], corners[row + 1][column + 1], corners[row + 1][column],
                ]
                entries.append(.init(gridID: Int64(row * n + column), boundary: GridBoundary(ring: ring)))
            }
        }
        let locator = GridLocator(entries)
        #expect(locator.count == 10_000)

        var misplaced: [Int64] = []
        for entry in entries {
            // The mean of a convex quadrilateral's corners lies inside it.
            let ring = entry.boundary.ring
            let inner = GeoPoint(lat: ring.map(\.lat).reduce(0, +) / 4, lng: ring.map(\.lng).reduce(0, +) / 4)
            if locator.grid(containing: inner) != entry.gridID { misplaced.append(entry.gridID) }
        }
        #expect(misplaced.isEmpty, "grids not found from their own centre: \(misplaced.prefix(10))")

        var disagreements: [GeoPoint] = []
        var found = 0
        for _ in 0..<1_500 {
            // Some points fall outside the tiling, which ends at about 30.18 / 121.18.
            let point = GeoPoint(lat: 29.94 + random.unit() * 0.25, lng: 120.94 + random.unit() * 0.25)
            let expected = Self.bruteForce(entries, point)
            if expected.count > 1 || locator.grid(containing: point) != expected.first { disagreements.append(point) }
            found += expected.count
        }
        #expect(disagreements.isEmpty, "locator and scan disagree at \(disagreements.prefix(5))")
        #expect(found > 1_000, "most random points land in the tiling")
        #expect(found < 1_500, "some random points land outside it")
    }

    @Test func pointsNotOnEarthAreRefusedNamingTheField() throws {
        for point in [GeoPoint(lat: 91, lng: 0), GeoPoint(lat: 0, lng: -181), GeoPoint(lat: .nan, lng: 0)] {
            let error = try #require(refusal { () throws(DomainError) in try point.validated(field: "location") })
            #expect(error.code == .invalid)
            #expect(error.field == "location")
        }
    }
}
