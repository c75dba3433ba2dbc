import Foundation
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
    let authenticator: TokenAuthenticator
    let intake: IntakeWriter
    let calendar: WorkCalendar
    private let directoryState: Mutex<Directory>

    init(database: OneGridDatabase, config: AppConfig) async throws {
        self.database = database
        self.config = config
        self.hierarchy = SQLHierarchyStore(database: database)
        self.people = SQLPeopleStore(database: database)
        let cases = SQLCaseStore(database: database)
        self.cases = cases
        self.clock = Clock(offset: config.clockOffset)
        self.authenticator = TokenAuthenticator(people: people, clock: clock)
        self.intake = IntakeWriter(store: cases)
        self.calendar = WorkCalendar()
        self.directoryState = Mutex(try await hierarchy.loadDirectory())
    }

    var directory: Directory { directoryState.withLock { $0 } }

    func reloadDirectory() async throws {
        let fresh = try await hierarchy.loadDirectory()
        directoryState.withLock { $0 = fresh }
    }
}
