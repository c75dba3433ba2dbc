import Foundation
import Logging
import OneGridDomain
import OneGridStore
import Synchronization

/// What the controllers share: the stores, the hierarchy in memory, the clock, the intake writer.
final class OneGridServices: Sendable {
    let database: OneGridDatabase
    let hierarchy: any HierarchyStore
    let people: any PeopleStore
    let cases: any CaseStore
    let clock: ServerClock
    let config: AppConfig
    let logger: Logger
    let authenticator: TokenAuthenticator
    let intake: IntakeWriter
    let settings: any SettingsStore
    let webhooks: any WebhookStore
    private let directoryState: Mutex<Directory>
    private let plannerState: Mutex<DeadlinePlanner>

    init(database: OneGridDatabase, config: AppConfig, logger: Logger) async throws {
        self.database = database
        self.config = config
        self.logger = logger
        self.hierarchy = SQLHierarchyStore(database: database)
        self.people = SQLPeopleStore(database: database)
        let cases = SQLCaseStore(database: database)
        self.cases = cases
        self.clock = ServerClock(offset: config.clockOffset)
        self.authenticator = TokenAuthenticator(people: people, clock: clock)
        self.intake = IntakeWriter(store: cases)
        let settings = SQLSettingsStore(database: database)
        self.settings = settings
        self.webhooks = SQLWebhookStore(database: database)
        self.directoryState = Mutex(try await hierarchy.loadDirectory())
        self.plannerState = Mutex(try await Self.storedPlanner(settings))
    }

    var directory: Directory { directoryState.withLock { $0 } }

    func reloadDirectory() async throws {
        let fresh = try await hierarchy.loadDirectory()
        directoryState.withLock { $0 = fresh }
    }

    /// Plans clocks on the deadline settings in force now (the calendar and the yellow share an
    /// administrator stored, else the defaults), so a change applies to the next step taken.
    var planner: DeadlinePlanner { plannerState.withLock { $0 } }

    /// The working calendar deadlines are counted on.
    var calendar: WorkCalendar { planner.calendar }

    /// Reads the stored settings again: after a `PUT`, and periodically so settings stored by
    /// another server or `onegrid calendar load` take effect.
    func reloadDeadlineSettings() async throws {
        let fresh = try await Self.storedPlanner(settings)
        plannerState.withLock { $0 = fresh }
    }

    private static func storedPlanner(_ settings: any SettingsStore) async throws -> DeadlinePlanner {
        let calendar = try await settings.value(SQLSettingsStore.calendarKey).map { try WorkCalendar(parsing: $0) } ?? WorkCalendar()
        let share = try await settings.value(SQLSettingsStore.yellowShareKey).flatMap(Double.init)
        return DeadlinePlanner(calendar: calendar, yellowShare: share ?? DeadlinePlanner.defaultYellowShare)
    }
}
