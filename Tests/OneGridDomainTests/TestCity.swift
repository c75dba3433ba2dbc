import Foundation
import OneGridDomain

/// A hand-made city small enough to hold in one's head: one county, two towns, three villages
/// with one grid each, the departments a town and a county keep, and the posts that act on a
/// case located in grid 5. Every domain test reads its ids from here.
///
///     city 1 ─ county 2 ─┬─ town 3 ─┬─ village 4 ─ grid 5   (lat 30.00–30.01, lng 121.00–121.01)
///                        │          └─ village 6 ─ grid 7   (lat 30.00–30.01, lng 121.01–121.02)
///                        └─ town 13 ── village 14 ─ grid 15 (lat 30.01–30.02, lng 121.00–121.01)
enum TestCity {
    static let city = Area(id: 1, code: "330200000000", name: "宁波市", level: .city, parentID: nil)
    static let county = Area(id: 2, code: "330211000000", name: "镇海区", level: .county, parentID: 1)
    static let town = Area(id: 3, code: "330211001000", name: "招宝山街道", level: .town, parentID: 2)
    static let village = Area(id: 4, code: "330211001001", name: "城河社区", level: .village, parentID: 3)
    static let grid = Area(id: 5, code: "330211001001001", name: "城河一网格", level: .grid, parentID: 4)
    static let neighbourVillage = Area(id: 6, code: "330211001002", name: "后大街社区", level: .village, parentID: 3)
    static let neighbourGrid = Area(id: 7, code: "330211001002001", name: "后大街一网格", level: .grid, parentID: 6)
    static let otherTown = Area(id: 13, code: "330211002000", name: "蛟川街道", level: .town, parentID: 2)
    static let otherVillage = Area(id: 14, code: "330211002001", name: "俞范社区", level: .village, parentID: 13)
    static let otherGrid = Area(id: 15, code: "330211002001001", name: "俞范一网格", level: .grid, parentID: 14)

    static let areas = [
        city, county, town, village, grid, neighbourVillage, neighbourGrid, otherTown, otherVillage, otherGrid,
    ]

    static func square(lat: Double, lng: Double, side: Double = 0.01) -> GridBoundary {
        GridBoundary(ring: [
            GeoPoint(lat: lat, lng: lng), GeoPoint(lat: lat, lng: lng + side),
            GeoPoint(lat: lat + side, lng: lng + side), GeoPoint(lat: lat + side, lng: lng),
        ])
    }

    static let boundaries: [Int64: GridBoundary] = [
        grid.id: square(lat: 30.00, lng: 121.00),
        neighbourGrid.id: square(lat: 30.00, lng: 121.01),
        otherGrid.id: square(lat: 30.01, lng: 121.00),
    ]

    /// The path of a case located in grid 5.
    static let path = AreaPath(city: 1, county: 2, town: 3, village: 4, grid: 5)

    static let townMarket = Department(id: 100, name: "招宝山市场监管所", kind: "market-supervision", areaID: 3, level: .town)
    static let countyHousing = Department(id: 101, name: "镇海区住建局", kind: "housing", areaID: 2, level: .county)
    static let otherTownMarket = Department(id: 102, name: "蛟川市场监管所", kind: "market-supervision", areaID: 13, level: .town)
    static let townPolice = Department(id: 103, name: "招宝山派出所", kind: "police", areaID: 3, level: .town)
    static let townCivilAffairs = Department(id: 104, name: "招宝山民政办", kind: "civil-affairs", areaID: 3, level: .town)
    static let villageCommittee = Department(id: 105, name: "城河社区居委会", kind: "village-committee", areaID: 4, level: .village)

    static let departments = [townMarket, countyHousing, otherTownMarket, townPolice, townCivilAffairs, villageCommittee]

    static func category(
        id: Int64, code: String, handlingLevel: AdminLevel, departmentKind: String?, kind: CategoryKind = .general
    ) -> OneGridDomain.Category {
        OneGridDomain.Category(
            id: id, code: code, name: code, parentID: nil, platform: .governance, kind: kind,
            handlingLevel: handlingLevel, departmentKind: departmentKind, acceptanceLimit: TimeLimit(1, .workingDays),
            signingLimit: TimeLimit(2, .workingDays), handlingLimit: TimeLimit(5, .workingDays),
            escalatesWhenOverdue: false)
    }

    /// Grid level: routing must lift it to the village, the lowest centre.
    static let streetlight = category(id: 200, code: "service.streetlight", handlingLevel: .grid, departmentKind: nil)
    /// Starts at the village, which has no market station: the town's is suggested.
    static let foodSafety = category(
        id: 201, code: "market.food", handlingLevel: .village, departmentKind: "market-supervision")
    static let fireHazard = category(
        id: 202, code: "hazard.fire", handlingLevel: .county, departmentKind: "housing", kind: .safetyHazard)
    /// Names a department kind no area has.
    static let customs = category(id: 203, code: "trade.customs", handlingLevel: .town, departmentKind: "customs")
    static let petition = category(
        id: 204, code: "petition.appeal", handlingLevel: .town, departmentKind: "petition-office", kind: .petition)

    static let directory = Directory(
        areas: areas, boundaries: boundaries, departments: departments,
        categories: [streetlight, foodSafety, fireHazard, customs, petition])

    // Posts: each user holds one, and user id equals post id to keep the tables short.
    static func post(_ id: Int64, _ role: Role, _ area: Area, department: Department? = nil) -> Post {
        Post(id: id, userID: id, role: role, areaID: area.id, areaLevel: area.level, departmentID: department?.id)
    }

    static let townDispatcher = post(1, .dispatcher, town)
    static let otherTownDispatcher = post(2, .dispatcher, otherTown)
    static let villageDispatcher = post(3, .dispatcher, village)
    static let countyDispatcher = post(4, .dispatcher, county)
    static let windowClerk = post(5, .windowClerk, town)
    static let gridWorker = post(6, .gridWorker, grid)
    static let neighbourGridWorker = post(7, .gridWorker, neighbourGrid)
    static let marketHandler = post(8, .departmentHandler, town, department: townMarket)
    static let policeHandler = post(9, .departmentHandler, town, department: townPolice)
    static let civilAffairsHandler = post(10, .departmentHandler, town, department: townCivilAffairs)
    static let otherMarketHandler = post(11, .departmentHandler, otherTown, department: otherTownMarket)
    static let citizen = post(12, .citizen, grid)
    static let otherCitizen = post(13, .citizen, grid)
    static let townLeader = post(14, .leader, town)
    static let townMediator = post(15, .mediator, town)
    static let administrator = post(16, .administrator, city)
    static let hotlineAgent = post(17, .hotlineAgent, city)
    static let handlerWithoutDepartment = post(18, .departmentHandler, town)

    /// A food-safety case from grid 5, reported by `citizen`, held by the town centre (as after
    /// its village passed it up) with the town market station as its suggested department.
    static func caseFile(
        _ status: CaseStatus, id: Int64 = 1, version: Int = 3, handlingLevel: AdminLevel = .town,
        departmentID: Int64? = nil, assists: [CaseFile.Assist] = []
    ) -> CaseFile {
        CaseFile(
            id: id, status: status, version: version, categoryID: foodSafety.id, areas: path,
            handlingLevel: handlingLevel, handlingAreaID: path[handlingLevel],
            suggestedDepartmentID: townMarket.id, departmentID: departmentID, assists: assists,
            reporterUserID: citizen.userID)
    }

    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// The context a store would look up for an input naming `department`.
    static func context(
        department: Department? = townMarket, assisting: [Department] = [], watcher: Post? = nil,
        primary: CaseFile? = nil, category: OneGridDomain.Category? = nil
    ) -> CaseActionContext {
        CaseActionContext(
            now: now, department: department, assistingDepartments: assisting, watcher: watcher, primary: primary,
            category: category)
    }
}

/// The refusal a step ends in, or nil when it succeeds: lets a test read the error's code,
/// field and message with `#require`.
func refusal<T>(_ body: () throws(DomainError) -> T) -> DomainError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
