import OneGridDomain
import OneGridStore

extension DemoCity {
    /// Where each grid lies. Grids are squares of `cellDegrees` (about 440 m × 370 m here), a
    /// village is a row of them, a town stacks its villages, a county sets its towns out in a
    /// square-ish block and the counties stand side by side: no overlaps, and no gaps inside a
    /// village. Corners are computed from integer cell numbers, so neighbours share exactly the
    /// same edge values and the locator's half-open test gives an edge point to one grid only.
    struct Layout {
        static let cellDegrees = 0.004
        /// The south-west corner of the first grid.
        static let originLat = 34.86
        static let originLng = 117.55

        let size: Size
        /// Towns per row of a county's block: the smallest square that holds them.
        let townsPerRow: Int

        init(size: Size) {
            self.size = size
            var side = 1
            while side * side < size.townsPerCounty { side += 1 }
            townsPerRow = side
        }

        func cell(county: Int, town: Int, village: Int, grid: Int) -> (minLat: Double, minLng: Double) {
            let column = (county * townsPerRow + town % townsPerRow) * size.gridsPerVillage + grid
            let row = (town / townsPerRow) * size.villagesPerTown + village
            return (Self.originLat + Double(row) * Self.cellDegrees, Self.originLng + Double(column) * Self.cellDegrees)
        }

        /// The cell of the grid at a 0-based position in code order.
        func cell(ofGrid index: Int) -> (minLat: Double, minLng: Double) {
            let grid = index % size.gridsPerVillage
            let village = index / size.gridsPerVillage % size.villagesPerTown
            let town = index / (size.gridsPerVillage * size.villagesPerTown) % size.townsPerCounty
            let county = index / (size.gridsPerVillage * size.villagesPerTown * size.townsPerCounty)
            return cell(county: county, town: town, village: village, grid: grid)
        }
    }

    /// The areas, grids and departments of one size, with ids numbered from 1 in pre-order (each
    /// area before what it contains), so the walkthrough's areas and departments get the smallest
    /// ids and parents are always written before their children.
    struct Hierarchy {
        struct Grid {
            var area: Area
            var path: AreaPath
            var village: Area
            var town: Area
            var county: Area
            var urban: Bool
            var minLat: Double
            var minLng: Double

            /// A point well inside the grid, away from its edges.
            func point(using rng: inout SeededGenerator) -> GeoPoint {
                let size = Layout.cellDegrees
                return GeoPoint(lat: minLat + size * (0.1 + 0.8 * rng.unit()), lng: minLng + size * (0.1 + 0.8 * rng.unit()))
            }
        }

        private(set) var areas: [NewArea] = []
        private(set) var departments: [Department] = []
        private(set) var grids: [Grid] = []
        private(set) var counties: [Area] = []
        private(set) var towns: [Area] = []
        private(set) var villages: [Area] = []
        private var departmentByKindAndArea: [String: Department] = [:]
        private var departmentsByArea: [Int64: [Department]] = [:]

        /// Statistical division codes under a made-up prefecture 99 of Shandong (37), which no
        /// real place uses. Villages follow the national habit: residents' committees (社区)
        /// number from 001, villagers' committees (村) from 201.
        static let cityCode = "379900000000"
        static let cityName = "示范市"

        var city: Area { areas[0].area }

        init(size: Size) {
            let layout = Layout(size: size)
            var nextAreaID: Int64 = 1
            var nextDepartmentID: Int64 = 1
            var ruralVillages = 0
            var urbanVillages = 0

            func add(_ code: String, _ name: String, _ level: AdminLevel, parent: Area?) -> Area {
                let area = Area(id: nextAreaID, code: code, name: name, level: level, parentID: parent?.id)
                nextAreaID += 1
                areas.append(NewArea(area: area))
                return area
            }
            func addDepartments(_ specs: [(kind: String, name: String)], of area: Area) {
                for spec in specs {
                    let department = Department(
                        id: nextDepartmentID, name: spec.name, kind: spec.kind, areaID: area.id, level: area.level)
                    nextDepartmentID += 1
                    departments.append(department)
                    departmentByKindAndArea[Self.key(spec.kind, area.id)] = department
                    departmentsByArea[area.id, default: []].append(department)
                }
            }

            let city = add(Self.cityCode, Self.cityName, .city, parent: nil)
            addDepartments(DemoTexts.cityDepartments.map { ($0.kind, Self.cityName + $0.name) }, of: city)
            for countyIndex in 0..<size.counties {
                let countyStem = DemoTexts.numbered(DemoTexts.countyStems, countyIndex)
                // Every third county is an urban district (区), the others rural counties (县).
                let district = countyIndex % 3 == 0
                let countyName = countyStem + (district ? "区" : "县")
                let countyCode = "3799" + Self.digits(countyIndex + 1, 2) + "000000"
                let county = add(countyCode, countyName, .county, parent: city)
                counties.append(county)
                addDepartments(
                    DemoTexts.countyDepartments(district: district).map { ($0.kind, countyName + $0.name) }, of: county)
                for townIndex in 0..<size.townsPerCounty {
                    // Districts have two sub-districts (街道) of residents' communities, counties one.
                    let urban = townIndex == 1 || (district && townIndex == 2)
                    let townStem = DemoTexts.numbered(
                        DemoTexts.townStems, countyIndex * size.townsPerCounty + townIndex)
                    let townName = townStem + (urban ? "街道" : "镇")
                    let townCode = String(countyCode.prefix(6)) + Self.digits(townIndex + 1, 3) + "000"
                    let town = add(townCode, townName, .town, parent: county)
                    towns.append(town)
                    addDepartments(DemoTexts.townDepartments.map { ($0.kind, townName + $0.name) }, of: town)
                    for villageIndex in 0..<size.villagesPerTown {
                        let villageName: String
                        if urban {
                            villageName = DemoTexts.numbered(DemoTexts.communityStems, urbanVillages) + "社区"
                            urbanVillages += 1
                        } else {
                            villageName = DemoTexts.numbered(DemoTexts.villageStems, ruralVillages) + "村"
                            ruralVillages += 1
                        }
                        let villageCode = String(townCode.prefix(9)) + Self.digits((urban ? 1 : 201) + villageIndex, 3)
                        let village = add(villageCode, villageName, .village, parent: town)
                        villages.append(village)
                        addDepartments(DemoTexts.villageDepartments(urban: urban, village: villageName), of: village)
                        for gridIndex in 0..<size.gridsPerVillage {
                            let corner = layout.cell(
                                county: countyIndex, town: townIndex, village: villageIndex, grid: gridIndex)
                            let boundary = GridBoundary(ring: [
                                GeoPoint(lat: corner.minLat, lng: corner.minLng),
                                GeoPoint(lat: corner.minLat, lng: corner.minLng + Layout.cellDegrees),
                                GeoPoint(
                                    lat: corner.minLat + Layout.cellDegrees, lng: corner.minLng + Layout.cellDegrees),
                                GeoPoint(lat: corner.minLat + Layout.cellDegrees, lng: corner.minLng),
                            ])
                            let grid = Area(
                                id: nextAreaID, code: villageCode + Self.digits(gridIndex + 1, 3),
                                name: "\(villageName)第\(gridIndex + 1)网格", level: .grid, parentID: village.id)
                            nextAreaID += 1
                            // Seed 003's grid standard: 150 households in the country, 300 in town.
                            areas.append(
                                NewArea(
                                    area: grid, households: urban ? 300 : 150, gridKind: urban ? "urban" : "rural",
                                    boundary: boundary))
                            grids.append(
                                Grid(
                                    area: grid,
                                    path: AreaPath(
                                        city: city.id, county: county.id, town: town.id, village: village.id,
                                        grid: grid.id),
                                    village: village, town: town, county: county, urban: urban, minLat: corner.minLat,
                                    minLng: corner.minLng))
                        }
                    }
                }
            }
        }

        func department(kind: String, areaID: Int64) -> Department? {
            departmentByKindAndArea[Self.key(kind, areaID)]
        }

        func departments(in areaID: Int64) -> [Department] {
            departmentsByArea[areaID] ?? []
        }

        private static func key(_ kind: String, _ areaID: Int64) -> String { "\(kind)@\(areaID)" }

        private static func digits(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
    }
}
