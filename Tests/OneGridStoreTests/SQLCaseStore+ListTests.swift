import Foundation
import OneGridDomain
import OneGridStore
import Testing

/// `list`: every filter and scope on one small set of cases whose answers are known, and pages
/// that return every case exactly once.
@Suite struct CaseListTests {
    /// Five cases, one a day, each set apart by what the filters look at:
    ///
    /// | case | grid | category   | reporter | status    | department           | due      | title     |
    /// | A    | 1    | streetlight| citizen1 | assigned  | village committee    | past     | 路灯不亮 100% |
    /// | B    | 2    | streetlight| citizen1 | reported  |                      | future   | 路灯 1000 盏  |
    /// | C    | 3    | market.food| (town)   | assigned  | market, police assists | past   | 占道_经营    |
    /// | D    | 4    | market.food| (worker) | rejected  |                      | past     | 占道X经营    |
    /// | E    | 1    | dispute    | citizen1 | reported  |                      | future   | 邻里纠纷 a\b |
    struct Fixture {
        var city: TinyCity
        var ids: [String: Int64]
        var villageCommittee: Department
        var market: Department
        var police: Department

        func names(_ page: CasePage) -> [String] {
            page.cases.map { record in ids.first { $0.value == record.id }?.key ?? "?\(record.id)" }
        }

        func list(_ scope: CaseScope? = nil, _ configure: (inout CaseQuery) -> Void = { _ in }) async throws -> [String] {
            var query = CaseQuery()
            query.limit = 100
            configure(&query)
            let scope = scope ?? .area(level: .city, id: city.directory.path(ofGrid: city.grids[0].id)!.city)
            return names(try await city.cases.list(query, scope: scope, now: TinyCity.now))
        }
    }

    static func day(_ offset: Int) -> Date { TinyCity.now.addingTimeInterval(Double(offset) * 86_400) }

    static func withFixture(_ kind: OneGridDatabase.Kind, _ body: (Fixture) async throws -> Void) async throws {
        try await TinyCity.with(kind) { city in
            let citizen = try await city.principal("citizen1")
            // A town's dispatcher registers what a grid worker of grid 3 phoned in: intake holds a
            // post to its own area, and the town's covers every grid.
            let town = try await city.principal("town1")
            let hotline = try await city.principal("hotline")
            let specs: [(name: String, grid: Int, category: String, by: Principal, channel: Channel, title: String, description: String, due: Date)] = [
                ("A", 1, "service.streetlight", citizen, .citizen, "路灯不亮 100%", "整条路都黑", day(-1)),
                ("B", 2, "service.streetlight", citizen, .citizen, "路灯 1000 盏", "只在描述里的词：灯杆歪斜", day(1)),
                ("C", 3, "market.food", town, .gridWorker, "占道_经营", "早市摊位", day(-1)),
                ("D", 4, "market.food", hotline, .hotline, "占道X经营", "夜市摊位", day(-1)),
                ("E", 1, "dispute.neighbour", citizen, .citizen, #"邻里纠纷 a\b"#, "噪音", day(1)),
            ]
            var ids: [String: Int64] = [:]
            for (index, spec) in specs.enumerated() {
                var draft = try city.draft(
                    spec.category, inGrid: spec.grid, title: spec.title, description: spec.description, by: spec.by,
                    channel: spec.channel, at: day(index - 5))
                draft.dueAt = spec.due
                draft.clock?.dueAt = spec.due
                ids[spec.name] = try await city.cases.create([draft])[0].record.id
            }
            let path = try #require(city.directory.path(ofGrid: city.grids[0].id))
            let villageCommittee = try #require(city.directory.department(kind: "village-committee", areaID: path.village))
            let market = try #require(city.directory.department(kind: "market-supervision", areaID: path.town))
            let police = try #require(city.directory.department(kind: "police", areaID: path.town))

            // A step restarts the case's clock from when it is taken: a month ago, A's and C's
            // have run out.
            let monthAgo = day(-30)
            try await city.act(.accept, on: ids["A"]!, as: "village1", at: monthAgo)
            try await city.act(
                .dispatch, on: ids["A"]!, as: "village1", input: CaseActionInput(departmentID: villageCommittee.id), at: monthAgo)
            try await city.act(.accept, on: ids["C"]!, as: "town1", at: monthAgo)
            try await city.act(
                .jointDispatch, on: ids["C"]!, as: "town1",
                input: CaseActionInput(departmentID: market.id, assistingDepartmentIDs: [police.id]), at: monthAgo)
            try await city.act(.reject, on: ids["D"]!, as: "town1", input: CaseActionInput(note: "重复举报"))

            try await body(Fixture(city: city, ids: ids, villageCommittee: villageCommittee, market: market, police: police))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func theCitySeesEveryCaseNewestFirst(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            #expect(try await fixture.list() == ["E", "D", "C", "B", "A"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func statusesFilter(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            #expect(try await fixture.list { $0.statuses = [.reported] } == ["E", "B"])
            #expect(try await fixture.list { $0.statuses = [.assigned, .rejected] } == ["D", "C", "A"])
            #expect(try await fixture.list { $0.statuses = [.closed] } == [])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func anAreaScopeSeesItsPlacesOnly(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            let grids = fixture.city.grids.map(\.id)
            let path = try #require(fixture.city.directory.path(ofGrid: grids[0]))
            let otherVillage = try #require(fixture.city.directory.path(ofGrid: grids[2])).village
            #expect(try await fixture.list(.area(level: .grid, id: grids[0])) == ["E", "A"])
            #expect(try await fixture.list(.area(level: .village, id: path.village)) == ["E", "B", "A"])
            #expect(try await fixture.list(.area(level: .village, id: otherVillage)) == ["D", "C"])
            #expect(try await fixture.list(.area(level: .town, id: path.town)) == ["E", "D", "C", "B", "A"])
            // A narrower area inside the scope, and one outside it that must not widen it.
            #expect(try await fixture.list(.area(level: .town, id: path.town)) { $0.area = (.grid, grids[1]) } == ["B"])
            #expect(try await fixture.list(.area(level: .village, id: path.village)) { $0.area = (.village, otherVillage) } == [])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aDepartmentSeesWhatItLeadsOrAssists(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            #expect(try await fixture.list(.department(fixture.villageCommittee.id)) == ["A"])
            #expect(try await fixture.list(.department(fixture.market.id)) == ["C"])
            #expect(try await fixture.list(.department(fixture.police.id)) == ["C"], "an assisting department")
            #expect(try await fixture.list(.department(fixture.police.id)) { $0.statuses = [.reported] } == [])
            // The departmentID filter is the assignee only.
            #expect(try await fixture.list { $0.departmentID = fixture.market.id } == ["C"])
            #expect(try await fixture.list { $0.departmentID = fixture.police.id } == [])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aCitizenSeesTheirOwnReportsAndNothingSeesNothing(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            let citizen = try await fixture.city.principal("citizen1")
            #expect(try await fixture.list(.reporter(userID: citizen.user.id)) == ["E", "B", "A"])
            #expect(try await fixture.list(.reporter(userID: 999_999)) == [])
            #expect(try await fixture.list(.nothing) == [])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func overdueMeansOpenAndPastItsDueTime(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            #expect(try await fixture.list { $0.overdue = true } == ["C", "A"], "D is past due but rejected")
            #expect(try await fixture.list { $0.overdue = false } == ["E", "D", "B"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func mostUrgentFirstListsOpenCasesByTimeLeftInCursorPages(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            var everything = CaseQuery()
            everything.limit = 100
            let scope = CaseScope.area(level: .city, id: fixture.city.directory.path(ofGrid: fixture.city.grids[0].id)!.city)
            let stored = try await fixture.city.cases.list(everything, scope: scope, now: TinyCity.now).cases
            let expected = stored.filter { $0.file.status.isOpen }.sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
                .map { record in fixture.ids.first { $0.value == record.id }?.key ?? "?" }
            // B and E fall due at the same moment: the older id comes first.
            #expect(expected.count == 4 && !expected.contains("D") && expected.suffix(2) == ["B", "E"], "\(expected)")
            #expect(try await fixture.list { $0.order = .urgent } == expected, "D is rejected: no time left to run out")
            #expect(try await fixture.list { $0.order = .urgent; $0.overdue = true } == expected.filter { ["A", "C"].contains($0) })

            var query = CaseQuery()
            query.order = .urgent
            query.limit = 1
            var seen: [String] = []
            while true {
                let page = try await fixture.city.cases.list(query, scope: scope, now: TinyCity.now)
                seen += fixture.names(page)
                guard let next = page.next else { break }
                #expect(next.dueAt == page.cases.last?.dueAt.millisecondsSince1970, "the cursor carries the due time")
                query.after = next
                try #require(seen.count <= 10, "paging does not end")
            }
            #expect(seen == expected)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func latestReportedFirstPutsACaseRecordedLateInItsPlaceInCursorPages(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            // F is recorded last but was reported before all the others, as an imported historic case is.
            var fixture = fixture
            let city = fixture.city
            let draft = try city.draft(
                "service.streetlight", inGrid: 1, title: "旧案", description: "早先的报修", by: try await city.principal("citizen1"),
                channel: .citizen, at: Self.day(-10))
            fixture.ids["F"] = try await city.cases.create([draft])[0].record.id
            #expect(try await fixture.list() == ["F", "E", "D", "C", "B", "A"])
            #expect(try await fixture.list { $0.order = .reported } == ["E", "D", "C", "B", "A", "F"])
            #expect(try await fixture.list { $0.order = .reported; $0.categoryIDs = [city.directory.category(code: "service.streetlight")!.id] } == ["B", "A", "F"])
            // Every open status, as Open311's status=open asks: D is rejected.
            let open = CaseStatus.allCases.filter(\.isOpen)
            #expect(try await fixture.list { $0.order = .reported; $0.statuses = open } == ["E", "C", "B", "A", "F"])
            #expect(try await fixture.list { $0.statuses = open } == ["F", "E", "C", "B", "A"])
            #expect(try await fixture.list { $0.order = .reported; $0.createdFrom = Self.day(-4) } == ["E", "D", "C", "B"])

            var query = CaseQuery()
            query.order = .reported
            query.limit = 2
            let scope = CaseScope.area(level: .city, id: city.directory.path(ofGrid: city.grids[0].id)!.city)
            var seen: [String] = []
            while true {
                let page = try await city.cases.list(query, scope: scope, now: TinyCity.now)
                seen += fixture.names(page)
                guard let next = page.next else { break }
                #expect(next.reportedAt == page.cases.last?.createdAt.millisecondsSince1970, "the cursor carries the report time")
                let text = try #require(CaseCursor(next.description))
                #expect(text == next && text.fits(.reported) && !text.fits(.newest) && !text.fits(.urgent))
                query.after = text
                try #require(seen.count <= 10, "paging does not end")
            }
            #expect(seen == ["E", "D", "C", "B", "A", "F"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func textMatchesLiterallyInTitleOrDescription(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            // As LIKE wildcards, % and _ would also match B's "1000" and D's "占道X".
            #expect(try await fixture.list { $0.text = "100%" } == ["A"])
            #expect(try await fixture.list { $0.text = "%" } == ["A"])
            #expect(try await fixture.list { $0.text = "占道_" } == ["C"])
            #expect(try await fixture.list { $0.text = "_" } == ["C"])
            #expect(try await fixture.list { $0.text = #"a\b"# } == ["E"])
            #expect(try await fixture.list { $0.text = #"\"# } == ["E"])
            #expect(try await fixture.list { $0.text = "灯杆歪斜" } == ["B"], "found in the description")
            #expect(try await fixture.list { $0.text = "路灯" } == ["B", "A"])
            #expect(try await fixture.list { $0.text = "" } == ["E", "D", "C", "B", "A"], "empty text filters nothing")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func datesBoundTheCreationTime(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            // A was created 5 days ago, B 4, C 3, D 2, E 1.
            #expect(try await fixture.list { $0.createdFrom = Self.day(-3) } == ["E", "D", "C"], "from is inclusive")
            #expect(try await fixture.list { $0.createdBefore = Self.day(-3) } == ["B", "A"], "before is exclusive")
            #expect(
                try await fixture.list {
                    $0.createdFrom = Self.day(-4)
                    $0.createdBefore = Self.day(-2)
                } == ["C", "B"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func categoryPlatformAndChannelFilter(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            let food = try fixture.city.category("market.food")
            let streetlight = try fixture.city.category("service.streetlight")
            #expect(try await fixture.list { $0.categoryIDs = [food.id] } == ["D", "C"])
            #expect(try await fixture.list { $0.categoryIDs = [food.id, streetlight.id] } == ["D", "C", "B", "A"])
            #expect(try await fixture.list { $0.platform = .marketSupervision } == ["D", "C"])
            #expect(try await fixture.list { $0.channel = .hotline } == ["D"])
            #expect(try await fixture.list { $0.channel = .gridWorker } == ["C"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func listedRecordsAreTheStoredCases(kind: OneGridDatabase.Kind) async throws {
        try await Self.withFixture(kind) { (fixture: Fixture) async throws in
            var query = CaseQuery()
            query.statuses = [.reported, .rejected]
            let page = try await fixture.city.cases.list(
                query, scope: .area(level: .grid, id: fixture.city.grids[0].id), now: TinyCity.now)
            for record in page.cases {
                #expect(try await fixture.city.cases.record(id: record.id) == record)
            }
            #expect(!page.cases.isEmpty)
        }
    }

    // MARK: Pages

    @Test(arguments: TestDatabases.kinds)
    func pagesReturnEveryCaseExactlyOnce(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let citizen = try await city.principal("citizen1")
            let drafts = try (0..<23).map { index in
                try city.draft(
                    index % 3 == 0 ? "market.food" : "service.streetlight", inGrid: index % 4 + 1, title: "第\(index)件",
                    by: citizen, at: TinyCity.now.addingTimeInterval(Double(index)))
            }
            let created = try await city.cases.create(drafts).map(\.record.id)
            let city0 = try #require(city.directory.path(ofGrid: city.grids[0].id)).city

            for limit in [5, 1, 23] {
                var query = CaseQuery()
                query.limit = limit
                var seen: [Int64] = []
                var pages = 0
                while true {
                    let page = try await city.cases.list(query, scope: .area(level: .city, id: city0), now: TinyCity.now)
                    pages += 1
                    #expect(page.cases.count <= limit)
                    seen += page.cases.map(\.id)
                    guard let next = page.next else { break }
                    #expect(next.id == page.cases.last?.id)
                    query.after = next
                    try #require(pages <= 30, "paging does not end")
                }
                #expect(seen == created.sorted(by: >), "limit \(limit)")
                #expect(pages == (created.count + limit - 1) / limit, "limit \(limit): no empty last page")
            }
        }
    }

    /// A list newest first on several categories or a report-time window looks among the newest
    /// cases first (`readsTheNewestFirst`) and reads its indexes when fewer than a page are there:
    /// either way, page after page, it lists exactly what the filters match, newest first.
    @Test(arguments: TestDatabases.kinds)
    func aBroadFilterListsTheSameAmongTheNewestAndBeyondThem(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let citizen = try await city.principal("citizen1")
            // 1,050 cases, more than the newest the list looks among: food cases are the oldest
            // thirty and every fiftieth after them, street lights the rest.
            func isFood(_ index: Int) -> Bool { index < 30 || index % 50 == 0 }
            var drafts: [CaseDraft] = []
            for index in 0..<1_050 {
                let reported = TinyCity.now.addingTimeInterval(Double(index - 1_050) * 60)
                let category = isFood(index) ? "market.food" : "service.streetlight"
                drafts.append(try city.draft(category, inGrid: index % 4 + 1, title: "第\(index)件", by: citizen, at: reported))
            }
            let created = try await city.cases.create(drafts).map(\.record.id)
            let city0 = try #require(city.directory.path(ofGrid: city.grids[0].id)).city
            let food = try city.category("market.food").id
            let water = try city.category("service.water").id
            let foodCases = created.indices.filter(isFood).map { created[$0] }
            let lastHour = created.suffix(60)
            let filters: [(name: String, expected: [Int64], configure: (inout CaseQuery) -> Void)] = [
                ("two statuses", created.sorted(by: >), { $0.statuses = [.reported, .rejected] }),
                ("a text", created.indices.filter { String($0).hasPrefix("10") }.map { created[$0] }.sorted(by: >), { $0.text = "第10" }),
                ("two categories", foodCases.sorted(by: >), { $0.categoryIDs = [food, water] }),
                ("the last hour", lastHour.sorted(by: >), { $0.createdFrom = TinyCity.now.addingTimeInterval(-3_600) }),
                ("two categories in the last hour", lastHour.filter(foodCases.contains).sorted(by: >), {
                    $0.categoryIDs = [food, water]
                    $0.createdFrom = TinyCity.now.addingTimeInterval(-3_600)
                }),
            ]
            for filter in filters {
                for limit in [3, 100] {
                    var query = CaseQuery()
                    filter.configure(&query)
                    query.limit = limit
                    var seen: [Int64] = []
                    while true {
                        let page = try await city.cases.list(query, scope: .area(level: .city, id: city0), now: TinyCity.now)
                        seen += page.cases.map(\.id)
                        guard let next = page.next else { break }
                        query.after = next
                        try #require(seen.count <= created.count, "paging does not end")
                    }
                    #expect(seen == filter.expected, "\(filter.name), limit \(limit) on \(kind)")
                }
            }
        }
    }
}
