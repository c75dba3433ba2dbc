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
    let clock: Clock
    let config: AppConfig
    let logger: Logger
    let authenticator: TokenAuthenticator
    let intake: IntakeWriter
    let settings: any SettingsStore
    let webhooks: any WebhookStore
    private let directoryState: Mutex<Directory>
    private let calendarState: Mutex<WorkCalendar>

    init(database: OneGridDatabase, config: AppConfig, logger: Logger) async throws {
        self.database = database
        self.config = config
        self.logger = logger
        self.hierarchy = SQLHierarchyStore(database: database)
        self.people = SQLPeopleStore(database: database)
        let cases = SQLCaseStore(database: database)
        self.cases = cases
        self.clock = Clock(offset: config.clockOffset)
        self.authenticator = TokenAuthenticator(people: people, clock: clock)
        self.intake = IntakeWriter(store: cases)
        let settings = SQLSettingsStore(database: database)
        self.settings = settings
        self.webhooks = SQLWebhookStore(database: database)
        self.directoryState = Mutex(try await hierarchy.loadDirectory())
        self.calendarState = Mutex(try await Self.storedCalendar(settings))
    }

    var directory: Directory { directoryState.withLock { $0 } }

    func reloadDirectory() async throws {
        let fresh = try await hierarchy.loadDirectory()
        directoryState.withLock { $0 = fresh }
    }

    /// The working calendar deadlines are counted on: the one an administrator stored, else the
    /// default (weekends off, no holidays).
    var calendar: WorkCalendar { calendarState.withLock { $0 } }

    /// Reads the stored calendar again: after a `PUT /api/v1/calendar`, and periodically so a
    /// calendar loaded by another server or `onegrid calendar load` takes effect.
    func reloadCalendar() async throws {
        let fresh = try await Self.storedCalendar(settings)
        calendarState.withLock { $0 = fresh }
    }

    private static func storedCalendar(_ settings: any SettingsStore) async throws -> WorkCalendar {
        guard let text = try await settings.value(SQLSettingsStore.calendarKey) else { return WorkCalendar() }
        return try WorkCalendar(parsing: text)
    }
}
