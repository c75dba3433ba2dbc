public import Foundation
import HummingbirdBcrypt
public import OneGridDomain
public import OneGridStore
import SQLKit

/// The demo city of the seeds: 示范市 with its counties, towns, villages and grids, the departments
/// at every level, the category tree, a user for every post worth logging in as, and two years of
/// cases whose shapes follow the seeds' figures. Everything is derived from the size and a seed,
/// so two builds with the same arguments write the same rows.
///
/// The walkthrough (README, tests) relies on the first county, town, village and grid in code
/// order, which are the same in every size: 临河区 › 城关镇 › 和平村 › 和平村第1网格. The first
/// grid spans lat 34.860–34.864, lng 117.550–117.554; its centre, `firstGridCentre`
/// (lat 34.862, lng 117.552), locates a case in it.
public struct DemoCity {
    public struct Size: Sendable {
        public var counties: Int
        public var townsPerCounty: Int
        public var villagesPerTown: Int
        public var gridsPerVillage: Int

        public init(counties: Int, townsPerCounty: Int, villagesPerTown: Int, gridsPerVillage: Int) {
            self.counties = counties
            self.townsPerCounty = townsPerCounty
            self.villagesPerTown = villagesPerTown
            self.gridsPerVillage = gridsPerVillage
        }

        /// The district of seed 003 in round numbers: 21 towns, 147 villages, 735 grids.
        public static let full = Size(counties: 3, townsPerCounty: 7, villagesPerTown: 7, gridsPerVillage: 5)
        /// The test fixture: one county, one town, two villages of two grids each.
        public static let tiny = Size(counties: 1, townsPerCounty: 1, villagesPerTown: 2, gridsPerVillage: 2)
    }

    public struct Credential: Sendable {
        public var username: String
        public var password: String
        public var role: Role
        /// Human-readable, e.g. "网格员 @ 和平村第1网格".
        public var post: String
    }

    public struct Summary: Sendable {
        /// Every area, grids included.
        public var areas: Int
        public var grids: Int
        public var departments: Int
        public var categories: Int
        public var users: Int
        public var cases: Int
        /// The walkthrough users, one per kind of post worth logging in as.
        public var credentials: [Credential]
    }

    /// The password of every demo user.
    public static let password = "onegrid-demo"

    /// bcrypt's cost for the demo's shared hash: cheaper than a real account's
    /// (`AdministrationUsers.passwordCost`), so the demo's many sign-ins in tests and benchmarks
    /// stay quick. The demo says so when it lists its users.
    public static let passwordCost: UInt8 = 8

    /// The centre of the first grid (和平村第1网格) in every size.
    public static let firstGridCentre = samplePoint(inGridNumber: 1, of: .tiny)

    /// The centre of the n-th grid in code order (1-based), a point that routes to that grid.
    /// Rounded to six decimals (about 10 cm), so it prints as people would type it.
    public static func samplePoint(inGridNumber number: Int, of size: Size) -> GeoPoint {
        let cell = Layout(size: size).cell(ofGrid: number - 1)
        func rounded(_ degrees: Double) -> Double { (degrees * 1_000_000).rounded() / 1_000_000 }
        return GeoPoint(
            lat: rounded(cell.minLat + Layout.cellDegrees / 2), lng: rounded(cell.minLng + Layout.cellDegrees / 2))
    }

    /// The walkthrough users, as `Summary.credentials` lists them; the same in every size, for
    /// telling someone how to sign in to a city built earlier.
    public static let walkthroughCredentials = People(hierarchy: Hierarchy(size: .tiny), seed: 0).credentials

    public enum BuildError: Error, CustomStringConvertible {
        case alreadyPopulated
        case sizeOutOfRange

        public var description: String {
            switch self {
            case .alreadyPopulated:
                "the database already holds areas; the demo city is built only into an empty database"
            case .sizeOutOfRange:
                "a demo city has 1–99 counties, 1–999 towns per county, 1–199 villages per town and 1–999 grids "
                    + "per village: what the digits of the division codes can number"
            }
        }
    }

    /// Migrates the database, then writes the hierarchy, departments, categories, users and posts,
    /// then `cases` historical cases over the two years before `now`, in batches, reporting
    /// progress after each, then (unless `baseData` is false) the grids' people, places and
    /// visits. Refuses a database that already holds areas.
    public static func build(
        into database: OneGridDatabase, size: Size = .full, cases: Int, seed: UInt64 = 2026, now: Date = Date(), baseData: Bool = true,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Summary {
        guard (1...99).contains(size.counties), (1...999).contains(size.townsPerCounty),
            (1...199).contains(size.villagesPerTown), (1...999).contains(size.gridsPerVillage)
        else { throw BuildError.sizeOutOfRange }
        try await Migrator().migrate(database)
        let existing = try await database.reader.select().column("id").from("areas").limit(1).all()
        guard existing.isEmpty else { throw BuildError.alreadyPopulated }

        let hierarchy = Hierarchy(size: size)
        let catalogue = Catalogue()
        let people = People(hierarchy: hierarchy, seed: seed)
        let hierarchyStore = SQLHierarchyStore(database: database)
        try await hierarchyStore.insert(areas: hierarchy.areas)
        try await hierarchyStore.insert(departments: hierarchy.departments)
        try await hierarchyStore.insert(categories: catalogue.categories)
        // bcrypt is slow on purpose; one hash serves every demo user since they share a password.
        let passwordHash = Bcrypt.hash(password, cost: Self.passwordCost)
        let peopleStore = SQLPeopleStore(database: database)
        try await peopleStore.insert(users: people.users.map { ($0, passwordHash) })
        try await peopleStore.insert(posts: people.posts)
        if database.kind == .postgres {
            try await advanceIdentities(of: ["areas", "departments", "categories", "users", "posts"], in: database)
        }
        try await writeMediationBodies(hierarchy: hierarchy, people: people, into: SQLMediationStore(database: database))

        // The cases' fourteen indexes are built once the history is in. Kept in step row by row
        // they cost 45–90 µs a case at 3,400,000 cases (4.6 µs without them), and more as they
        // outgrow the caches; built at the end, 52 s at that size.
        try await database.deferringIndexes(of: "cases") {
            try await writeCases(
                cases, into: SQLCaseStore(database: database),
                factory: CaseFactory(
                    hierarchy: hierarchy, catalogue: catalogue, people: people, seed: seed, now: now, total: cases),
                progress: progress)
        }
        try await writeDisputes(hierarchy: hierarchy, people: people, catalogue: catalogue, into: database, seed: seed, now: now)
        try await writeRisk(hierarchy: hierarchy, people: people, into: database, now: now)
        try await writePetitions(hierarchy: hierarchy, people: people, catalogue: catalogue, into: database, seed: seed, now: now)
        try await writeDisputeHistory(hierarchy: hierarchy, people: people, catalogue: catalogue, into: database, seed: seed, now: now)
        try await writeScreeningRounds(hierarchy: hierarchy, people: people, cases: cases, into: database, seed: seed, now: now)
        try await writeNotices(hierarchy: hierarchy, people: people, into: database, seed: seed, now: now)
        if baseData {
            // A city of the full size writes its households in proportion to its cases, as the feeds
            // are (the full demo's 100,000 cases go with the seeds' 150 and 300 a grid; a city
            // without cases keeps one a grid); a small city, all of them.
            let householdShare = hierarchy.grids.count <= Self.smallCityGrids ? 1 : min(1, Double(cases) / FeedShape.fullDemoCases)
            try await writeBaseData(
                hierarchy: hierarchy, people: people, into: database, seed: seed, now: now, householdShare: householdShare)
            try await writePoints(hierarchy: hierarchy, people: people, into: database, seed: seed, now: now)
            try await writeRiskHouseholds(hierarchy: hierarchy, people: people, into: database, now: now)
        }
        try await writeFeeds(hierarchy: hierarchy, people: people, cases: cases, into: database, seed: seed, now: now)
        // A city without cases has nothing to assess: it stays as small as it was.
        if cases > 0 { try await writeAssessment(hierarchy: hierarchy, people: people, into: database, seed: seed, now: now) }
        try await database.analyze()

        return Summary(
            areas: hierarchy.areas.count, grids: hierarchy.grids.count, departments: hierarchy.departments.count,
            categories: catalogue.categories.count, users: people.users.count, cases: cases,
            credentials: people.credentials)
    }

    /// Up to this many grids a city is small (the tests'), and keeps every household whatever its cases.
    static let smallCityGrids = 50

    /// Explicit ids leave PostgreSQL's identities behind; the next row an administrator adds must
    /// not collide with a demo one.
    private static func advanceIdentities(of tables: [String], in database: OneGridDatabase) async throws {
        try await database.transaction { db in
            for table in tables {
                try await db.raw(
                    "SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT max(id) FROM \(ident: table)))"
                ).run()
            }
        }
    }
}
