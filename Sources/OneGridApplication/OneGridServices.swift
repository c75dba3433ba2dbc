public import Foundation
public import Logging
public import OneGridDomain
public import OneGridStore
import Synchronization

/// What every use case shares: the stores, the hierarchy held in memory, the deadline settings in
/// force, the clock and the intake writer. The JSON API, the pages, the commands, the demo, the
/// benchmark and the tests all reach the record through one of these, so each rule lives once.
public final class OneGridServices: Sendable {
    public let database: OneGridDatabase
    public let hierarchy: any HierarchyStore
    public let people: any PeopleStore
    public let cases: any CaseStore
    public let settings: any SettingsStore
    public let webhooks: any WebhookStore
    /// The petition records beside their cases (信访).
    public let petitionRecords: any PetitionStore
    public let mediation: any MediationStore
    /// The administrator's changes to areas, grids, departments and categories.
    public let directoryAdministration: any DirectoryAdministrationStore
    /// Open311's keys and what its requests bring beside their cases.
    public let open311: any Open311Store
    /// Notices published down the hierarchy and their receipts.
    public let notices: any NoticeStore
    /// Villages' points rules and ledgers (积分制).
    public let pointsLedgers: any PointsStore
    /// The grid's base data (人、地、物、组织) and its visits.
    public let baseData: any BaseDataStore
    /// The citizen's portal: its reports, blocks and the notices to citizens.
    public let citizens: any CitizenStore
    /// What one source may send to the portal.
    public let citizenLimits: CitizenPortal.Limits
    /// The 12345 hotline's diverted tickets and ticket lookups.
    public let hotlineTickets: any HotlineStore
    /// The data brain's feeds: 110 incidents and public-opinion items.
    public let feeds: any FeedStore
    /// The risk picture's colours, their history and warnings (四情三色).
    public let risks: any RiskStore
    /// Open311 requests per key and minute, on this server.
    let open311Rates = Open311RateLimiter()
    public let clock: ServerClock
    public let logger: Logger
    public let authenticator: TokenAuthenticator
    /// Where committed case changes are announced to the live pages.
    public let changes: CaseChangeFeed
    /// The command rooms' last overviews, while nothing changed.
    let figureCache = FigureCache()
    /// How long a signed-in session lasts.
    public let sessionLifetime: TimeInterval
    /// Wrong passwords counted per account and address, for every way of signing in.
    public let signInThrottle: SignInThrottle
    /// What an unknown username's password is checked against.
    let standInHash: StandInHash
    let intakeWriter: IntakeWriter
    let categoryModel: CategoryModelCache
    /// The directory and the stored version it was read at.
    private let directoryState: Mutex<(directory: Directory, version: Int64)>
    private let plannerState: Mutex<DeadlinePlanner>

    public init(
        database: OneGridDatabase, clock: ServerClock = ServerClock(), sessionLifetime: TimeInterval = 12 * 3600,
        citizenLimits: CitizenPortal.Limits = CitizenPortal.Limits(), logger: Logger = Logger(label: "onegrid")
    ) async throws {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.sessionLifetime = sessionLifetime
        self.hierarchy = SQLHierarchyStore(database: database)
        self.people = SQLPeopleStore(database: database)
        let cases = SQLCaseStore(database: database)
        self.cases = cases
        self.settings = SQLSettingsStore(database: database)
        self.webhooks = SQLWebhookStore(database: database)
        self.petitionRecords = SQLPetitionStore(database: database)
        self.mediation = SQLMediationStore(database: database)
        self.directoryAdministration = SQLDirectoryAdministrationStore(database: database)
        self.open311 = SQLOpen311Store(database: database)
        self.notices = SQLNoticeStore(database: database)
        self.pointsLedgers = SQLPointsStore(database: database)
        self.baseData = SQLBaseDataStore(database: database)
        self.citizens = SQLCitizenStore(database: database)
        self.citizenLimits = citizenLimits
        self.hotlineTickets = SQLHotlineStore(database: database)
        self.feeds = SQLFeedStore(database: database)
        self.risks = SQLRiskStore(database: database)
        self.authenticator = TokenAuthenticator(people: people, database: database, clock: clock)
        self.signInThrottle = SignInThrottle(database: database)
        self.standInHash = StandInHash(people: people)
        self.changes = CaseChangeFeed(database: database)
        self.intakeWriter = IntakeWriter(store: cases)
        self.categoryModel = CategoryModelCache(store: CategoryModelStore(database: database))
        // The version first: a change landing between the two reads is then read again next time.
        let version = try await directoryAdministration.version()
        self.directoryState = Mutex((try await hierarchy.loadDirectory(), version))
        self.plannerState = Mutex(try await DeadlineSettings.planner(from: settings))
    }

    /// The hierarchy, categories and departments as last loaded.
    public var directory: Directory { directoryState.withLock { $0.directory } }

    /// `afterRollback`: the directory held was read inside a transaction that was undone, at a
    /// version never committed, so the stored one replaces it whatever its number.
    public func reloadDirectory(afterRollback: Bool = false) async throws {
        let version = try await directoryAdministration.version()
        let fresh = try await hierarchy.loadDirectory()
        // Two reloads may finish out of order; the one read at the older version does not win.
        directoryState.withLock { held in
            if version >= held.version || afterRollback { held = (fresh, version) }
        }
    }

    /// Reloads the directory when an administrator's change (made here or through another server
    /// on the same database) moved the stored version; says whether it did.
    @discardableResult
    public func reloadDirectoryIfChanged() async throws -> Bool {
        let stored = try await directoryAdministration.version()
        guard stored != directoryState.withLock({ $0.version }) else { return false }
        try await reloadDirectory()
        return true
    }

    /// Plans clocks on the deadline settings in force now (the calendar and the yellow share an
    /// administrator stored, else the defaults), so a change applies to the next step taken.
    public var planner: DeadlinePlanner { plannerState.withLock { $0 } }

    /// The working calendar deadlines are counted on.
    public var calendar: WorkCalendar { planner.calendar }

    /// Reads the stored settings again: after a change here, and periodically so settings stored
    /// by another server or `onegrid calendar load` take effect.
    public func reloadDeadlineSettings() async throws {
        let fresh = try await DeadlineSettings.planner(from: settings)
        plannerState.withLock { $0 = fresh }
    }

    // MARK: Use cases

    public var intake: CaseIntake { CaseIntake(services: self) }
    public var steps: CaseSteps { CaseSteps(services: self) }
    public var mediationSteps: Mediation { Mediation(services: self) }
    public var reading: CaseReading { CaseReading(services: self) }
    public var deadlineSettings: DeadlineSettings { DeadlineSettings(services: self) }
    public var sessions: Sessions { Sessions(services: self) }
    public var proposals: CategoryProposals { CategoryProposals(services: self) }
    public var administrationUsers: AdministrationUsers { AdministrationUsers(services: self) }
    public var administrationOverview: AdministrationOverview { AdministrationOverview(services: self) }
    public var administrationAreas: AdministrationAreas { AdministrationAreas(services: self) }
    public var administrationDepartments: AdministrationDepartments { AdministrationDepartments(services: self) }
    public var administrationCategories: AdministrationCategories { AdministrationCategories(services: self) }
    public var administrationWebhooks: AdministrationWebhooks { AdministrationWebhooks(services: self) }
    public var administrationMediation: AdministrationMediation { AdministrationMediation(services: self) }
    public var open311Keys: Open311Keys { Open311Keys(services: self) }
    public var open311Requests: Open311Requests { Open311Requests(services: self) }
    public var petitions: Petitions { Petitions(services: self) }
    public var noticeBoard: NoticeBoard { NoticeBoard(services: self) }
    public var villagePoints: VillagePoints { VillagePoints(services: self) }
    public var gridBaseData: GridBaseData { GridBaseData(services: self) }
    public var directoryImport: DirectoryImport { DirectoryImport(services: self) }
    public var visits: Visits { Visits(services: self) }
    public var citizenPortal: CitizenPortal { CitizenPortal(services: self) }
    public var hotline: Hotline { Hotline(services: self) }
    public var feedIntake: Feeds { Feeds(services: self) }
    public var riskWatch: RiskWatch { RiskWatch(services: self) }
}

/// The time everything in the server reads, so tests and demos can move it.
public struct ServerClock: Sendable {
    public var offset: TimeInterval

    public init(offset: TimeInterval = 0) {
        self.offset = offset
    }

    public var now: Date { Date().addingTimeInterval(offset) }
}
