import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// Seed 003's district logged 89,853 household and enterprise visits in a year over its 735
    /// grids: the demo city logs visits at that rate per grid.
    static let visitsPerGridAndYear = 89_853.0 / 735

    /// The grids' base data: seed 003's 150 households to a rural grid and 300 to an urban one,
    /// two to three people to a household, the special groups at shares like a county's, the
    /// buildings of urban grids and the key sites and organisations of each, and a year of visits
    /// at the seed's rate, the latest of each record setting when its next falls due. A few
    /// visits are where a grid worker's report began, linked to its case.
    /// - Parameter householdShare: the share of a grid's households written; a demo smaller than the
    ///   full one (the tests', the fault suite's) keeps as many people as its cases need.
    static func writeBaseData(
        hierarchy: Hierarchy, people: People, into database: OneGridDatabase, seed: UInt64, now: Date, householdShare: Double = 1
    ) async throws {
        let store = SQLBaseDataStore(database: database)
        let kinds = try await store.kinds()
        let cadences = Dictionary(uniqueKeysWithValues: kinds.compactMap { kind in kind.cadence.map { (kind.code, $0) } })
        let calendar = WorkCalendar().civil
        let yearAgo = calendar.date(byAdding: .year, value: -1, to: now)!
        var rng = SeededGenerator(seed: seed &+ 13)
        var idNumbers: Set<String> = []
        // Shares of people in each special group, as a share of all residents.
        let groups: [(String, Double)] = [
            ("hardship", 0.025), ("releasedPrisoner", 0.001), ("communityCorrection", 0.0006), ("severeMentalIllness", 0.004),
            ("keyPetitioner", 0.0003), ("drugUser", 0.0005), ("keyYouth", 0.002), ("needsAid", 0.004), ("hivPatient", 0.0002),
            ("hazardousWorker", 0.001), ("foreigner", 0.0005),
        ]
        let relations = ["配偶", "子女", "子女", "父母", "孙子女"]

        // Sensitive groups are seen by the grid workers who visit them and the county's police and
        // justice posts, as configured rows would grant them.
        let sensitive = Set(kinds.filter(\.sensitive).map(\.code))
        for post in people.posts where post.role == .gridWorker {
            try await store.setGrantedKinds(sensitive, postID: post.id)
        }

        for grid in hierarchy.grids {
            guard let worker = people.gridWorkers[grid.area.id] else { continue }
            let actor = Principal(user: User(id: worker.post.userID, username: "", displayName: worker.name, phone: nil), post: worker.post)
            let count = max(1, Int((Double(grid.urban ? 300 : 150) * householdShare).rounded()))
            let region = String(grid.county.code.prefix(6))
            let sites = try await writeSites(of: grid, households: count, store: store, cadences: cadences, by: actor, now: now, rng: &rng)
            var households: [ResidentImport.NewHousehold] = []
            for number in 1...count {
                let floating = rng.chance(grid.urban ? 0.2 : 0.04)
                let alone = !floating && rng.chance(0.06)
                let size = alone ? 1 : rng.int(1...(grid.urban ? 4 : 5))
                let address =
                    grid.urban
                    ? "\(grid.village.name)\((number - 1) / 24 + 1)号楼\((number - 1) % 24 / 8 + 1)单元\((number - 1) % 8 + 1)01室"
                    : "\(grid.village.name)\(grid.area.code.suffix(1))组\(number)号"
                var members: [ResidentImport.Person] = []
                for index in 0..<size {
                    var idNumber = DemoTexts.idNumber(region: floating ? "3701" + String(rng.int(10...99)) : region, using: &rng)
                    while idNumbers.contains(idNumber) { idNumber = DemoTexts.idNumber(region: region, using: &rng) }
                    idNumbers.insert(idNumber)
                    var kind = floating ? "floating" : alone ? "elderlyAlone" : "ordinary"
                    if !alone {
                        let draw = rng.unit()
                        var sum = 0.0
                        for (code, share) in groups {
                            sum += share
                            if draw < sum {
                                kind = code
                                break
                            }
                        }
                    }
                    members.append(
                        ResidentImport.Person(
                            line: 0, name: DemoTexts.personName(using: &rng), idNumber: idNumber,
                            phone: index == 0 || rng.chance(0.4) ? DemoTexts.phone(using: &rng) : nil,
                            relation: index == 0 ? "户主" : rng.pick(relations), kind: kind, registration: floating ? .floating : .registered))
                }
                households.append(
                    ResidentImport.NewHousehold(
                        key: String(number), areas: grid.path, address: address, registration: floating ? .floating : .registered,
                        phone: members[0].phone, people: members, placeID: sites.buildings.isEmpty ? nil : sites.buildings[(number - 1) / 24]))
            }
            let rate = visitsPerGridAndYear * householdShare / Double(households.count)
            // Each household's visits of the past year: monthly kinds more often, ordinary ones
            // less, at the grid's rate in all.
            let weights = households.map { household in
                365.0 / Double(household.people.compactMap { cadences[$0.kind]?.approximateDays }.min() ?? 365)
            }
            let scale = rate * Double(households.count) / weights.reduce(0, +)
            var lastVisits: [Date?] = []
            var visitTimes: [[Date]] = []
            for weight in weights {
                let expected = weight * scale
                let visits = Int(expected) + (rng.unit() < expected - Double(Int(expected)) ? 1 : 0)
                let times = (0..<visits).map { _ in yearAgo.addingTimeInterval(rng.unit() * now.timeIntervalSince(yearAgo)) }.sorted()
                visitTimes.append(times)
                lastVisits.append(times.last)
            }
            let planned = zip(households, lastVisits).map { household, last in
                PlannedHousehold(
                    household,
                    visitDueAt: VisitSchedule.dueAt(
                        cadences: household.people.compactMap { cadences[$0.kind] }, lastVisit: last, recordedAt: yearAgo, calendar: calendar),
                    lastVisitAt: last)
            }
            let written = try await store.insert(planned, action: "import", by: actor, at: yearAgo)
            var visits: [Visit] = []
            for (household, times) in zip(written, visitTimes) {
                for time in times {
                    visits.append(
                        Visit(
                            id: 0, subject: SubjectRef(.household, household.id), areas: grid.path, userID: worker.post.userID,
                            postID: worker.post.id, visitedAt: time, location: nil, position: .inGrid, whom: "户主",
                            findings: rng.pick(DemoTexts.visitFindings), evidence: []))
                }
            }
            try await store.insert(visits: visits)
        }
        try await linkVisitsToReports(in: database, store: store, people: people, since: yearAgo, seed: seed)
    }

    /// A grid's buildings (urban grids: one to 24 households), rental housing, key sites by
    /// chance, its enterprises and its party branch; each due for its first visit some time
    /// within its cadence, as if visited before the demo's records begin.
    private static func writeSites(
        of grid: Hierarchy.Grid, households: Int, store: SQLBaseDataStore, cadences: [String: VisitCadence], by actor: Principal, now: Date,
        rng: inout SeededGenerator
    ) async throws -> (buildings: [Int64], sites: Int) {
        let calendar = WorkCalendar().civil
        func due(_ kind: String) -> Date? {
            guard let cadence = cadences[kind] else { return nil }
            let recorded = now.addingTimeInterval(-rng.unit() * Double(cadence.approximateDays) * 86_400)
            return VisitSchedule.dueAt(cadences: [cadence], lastVisit: nil, recordedAt: recorded, calendar: calendar)
        }
        var places: [OneGridDomain.Place] = []
        let buildings = grid.urban ? (households + 23) / 24 : 0
        for number in 0..<buildings {
            places.append(OneGridDomain.Place(id: 0, areas: grid.path, kind: "building", name: "\(grid.village.name)\(number + 1)号楼", address: "\(grid.village.name)\(number + 1)号楼", units: 24))
        }
        for number in 0..<(grid.urban ? 3 : rng.int(0...1)) {
            places.append(
                OneGridDomain.Place(
                    id: 0, areas: grid.path, kind: "rental", name: "\(DemoTexts.personName(using: &rng))出租房", address: "\(grid.village.name)\(number + 7)号",
                    units: rng.int(4...20), contactName: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng), visitDueAt: due("rental")))
        }
        let sites: [(String, String, Double)] = [
            ("school", "\(grid.village.name)小学", 0.15), ("hospital", "\(grid.village.name)卫生院", 0.05), ("market", "\(grid.village.name)农贸市场", 0.1),
            ("hazardousSite", "\(grid.village.name)加油站", 0.04), ("constructionSite", "\(grid.village.name)安置房工地", grid.urban ? 0.2 : 0.05),
            ("publicVenue", "\(grid.village.name)文化广场", 0.08),
        ]
        for (kind, name, chance) in sites where rng.chance(chance) {
            places.append(
                OneGridDomain.Place(
                    id: 0, areas: grid.path, kind: kind, name: name, address: name, contactName: DemoTexts.personName(using: &rng),
                    phone: DemoTexts.phone(using: &rng), visitDueAt: due(kind)))
        }
        var organisations = [
            Organisation(
                id: 0, areas: grid.path, kind: "partyOrganisation", name: "\(grid.area.name)党支部", contactName: DemoTexts.personName(using: &rng),
                visitDueAt: due("partyOrganisation"))
        ]
        for number in 0..<(grid.urban ? rng.int(3...8) : rng.int(0...3)) {
            organisations.append(
                Organisation(
                    id: 0, areas: grid.path, kind: "enterprise", name: "\(grid.village.name)\(rng.pick(DemoTexts.shops))\(number + 1)",
                    creditCode: "9137" + String(rng.int(10_000_000...99_999_999)) + String(rng.int(100_000...999_999)),
                    contactName: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng), visitDueAt: due("enterprise")))
        }
        if rng.chance(0.3) {
            organisations.append(
                Organisation(id: 0, areas: grid.path, kind: "socialOrganisation", name: "\(grid.village.name)志愿服务队", visitDueAt: due("socialOrganisation")))
        }
        let written = try await store.insert(places: places, organisations: organisations, by: actor, at: now)
        return (written.places.prefix(buildings).map(\.id), written.places.count + written.organisations.count)
    }

    /// Some of the grid workers' reports of the past year began on a visit: each such report gets
    /// the visit it began on, to a household of its grid, linked both ways.
    private static func linkVisitsToReports(
        in database: OneGridDatabase, store: SQLBaseDataStore, people: People, since: Date, seed: UInt64
    ) async throws {
        let rows = try await database.reader.select().columns("id", "grid_id", "created_at", "title")
            .from("cases").where("channel", .equal, Channel.gridWorker.rawValue).where("created_at", .greaterThanOrEqual, since.millisecondsSince1970)
            .orderBy("id").all()
        var rng = SeededGenerator(seed: seed &+ 17)
        var visits: [Visit] = []
        for row in rows where rng.chance(0.1) {
            let gridID = try row.decode(column: "grid_id", as: Int64.self)
            guard let worker = people.gridWorkers[gridID],
                let household = try await database.reader.select().columns("*").from("households").where("grid_id", .equal, gridID)
                .orderBy("id").offset(rng.int(0...149)).limit(1).first()
            else { continue }
            let areas = AreaPath(
                city: try household.decode(column: "city_id", as: Int64.self), county: try household.decode(column: "county_id", as: Int64.self),
                town: try household.decode(column: "town_id", as: Int64.self), village: try household.decode(column: "village_id", as: Int64.self),
                grid: gridID)
            visits.append(
                Visit(
                    id: 0, subject: SubjectRef(.household, try household.decode(column: "id", as: Int64.self)), areas: areas,
                    userID: worker.post.userID, postID: worker.post.id,
                    visitedAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)), location: nil, position: .inGrid,
                    whom: "户主", findings: try row.decode(column: "title", as: String.self), evidence: [],
                    caseID: try row.decode(column: "id", as: Int64.self)))
        }
        try await store.insert(visits: visits)
    }
}
