import OneGridDomain
import Testing

@Suite struct CaseRoutingTests {
    static func route(_ category: OneGridDomain.Category) -> RoutingDecision {
        CaseRouting.route(areas: TestCity.path, category: category, department: TestCity.directory.department(kind:areaID:))
    }

    @Test func aGridLevelCategoryStartsAtTheVillageCentre() {
        let decision = Self.route(TestCity.streetlight)
        #expect(decision.handlingLevel == .village)
        #expect(decision.handlingAreaID == TestCity.village.id)
        #expect(decision.suggestedDepartmentID == nil, "the centre handles it itself")
        #expect(decision.areas == TestCity.path)
    }

    @Test func aVillageWithoutTheDepartmentStartsWhereTheNearestOneIs() {
        // The village centre could not dispatch to the town's station (dispatch goes down, not
        // up), so the lowest level that can solve the case is the town.
        let decision = Self.route(TestCity.foodSafety)
        #expect(decision.handlingLevel == .town)
        #expect(decision.handlingAreaID == TestCity.town.id)
        #expect(decision.suggestedDepartmentID == TestCity.townMarket.id)
    }

    @Test func aCategoryStartsNoLowerThanItsLevel() {
        let decision = Self.route(TestCity.fireHazard)
        #expect(decision.handlingLevel == .county)
        #expect(decision.handlingAreaID == TestCity.county.id)
        #expect(decision.suggestedDepartmentID == TestCity.countyHousing.id)
    }

    @Test func aDepartmentKindNoAreaHasSuggestsNothing() {
        #expect(Self.route(TestCity.customs).suggestedDepartmentID == nil)
    }

    @Test func aDepartmentBelowTheStartingLevelIsNotSuggested() {
        // The village committee serves grid 5's village, but a county case does not go down to it.
        let found = CaseRouting.suggestedDepartment(
            kind: "village-committee", areas: TestCity.path, from: .town,
            department: TestCity.directory.department(kind:areaID:))
        #expect(found == nil)
    }

    // MARK: Locating

    @Test func aPointGivesThePathOfItsGrid() throws {
        #expect(try TestCity.directory.locate(point: GeoPoint(lat: 30.005, lng: 121.005), gridID: nil) == TestCity.path)
        let neighbour = try TestCity.directory.locate(point: GeoPoint(lat: 30.005, lng: 121.015), gridID: nil)
        #expect(neighbour.grid == TestCity.neighbourGrid.id)
        #expect(neighbour.village == TestCity.neighbourVillage.id)
        #expect(neighbour.town == TestCity.town.id)
    }

    @Test func aPointWinsOverANamedGrid() throws {
        let path = try TestCity.directory.locate(point: GeoPoint(lat: 30.015, lng: 121.005), gridID: TestCity.grid.id)
        #expect(path.grid == TestCity.otherGrid.id)
        #expect(path.town == TestCity.otherTown.id)
    }

    @Test func aNamedGridGivesItsPath() throws {
        #expect(try TestCity.directory.locate(point: nil, gridID: TestCity.grid.id) == TestCity.path)
    }

    @Test func locationsThatRouteNowhereAreRefusedNamingTheField() throws {
        let directory = TestCity.directory
        let cases: [(String, DomainError?, DomainError.Code, String)] = [
            ("outside every grid", refusal { () throws(DomainError) in try directory.locate(point: GeoPoint(lat: 31, lng: 121), gridID: nil) }, .invalid, "location"),
            ("not on Earth", refusal { () throws(DomainError) in try directory.locate(point: GeoPoint(lat: 95, lng: 121), gridID: nil) }, .invalid, "location"),
            ("a village is no grid", refusal { () throws(DomainError) in try directory.locate(point: nil, gridID: TestCity.village.id) }, .notFound, "gridID"),
            ("an unknown grid", refusal { () throws(DomainError) in try directory.locate(point: nil, gridID: 999) }, .notFound, "gridID"),
            ("no place at all", refusal { () throws(DomainError) in try directory.locate(point: nil, gridID: nil) }, .invalid, "location"),
        ]
        for (what, error, code, field) in cases {
            let error = try #require(error, "\(what)")
            #expect(error.code == code, "\(what)")
            #expect(error.field == field, "\(what)")
        }
    }

    @Test func theDirectoryFindsByCodeAndKind() {
        let directory = TestCity.directory
        #expect(directory.area(code: "330211001001001")?.id == TestCity.grid.id)
        #expect(directory.category(code: "market.food")?.id == TestCity.foodSafety.id)
        #expect(directory.department(kind: "market-supervision", areaID: TestCity.otherTown.id)?.id == TestCity.otherTownMarket.id)
        #expect(directory.lineage(of: TestCity.grid.id).map(\.id) == [1, 2, 3, 4, 5])
        #expect(directory.children(of: TestCity.town.id).map(\.id) == [TestCity.village.id, TestCity.neighbourVillage.id])
    }
}
