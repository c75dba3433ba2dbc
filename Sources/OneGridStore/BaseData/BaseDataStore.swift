public import Foundation
public import OneGridDomain

/// What a list of residents is filtered by: the post's scope and the kinds it may not see, then
/// a grid, a household, a name or ID number.
public struct ResidentQuery: Sendable {
    public var scope: CaseScope
    public var hiddenKinds: Set<String>
    public var gridID: Int64?
    public var householdID: Int64?
    /// The people of several households at once.
    public var householdIDs: [Int64]?
    /// A name (its beginning), or an ID number (whole, or its beginning of 6 or more characters).
    public var text: String?
    /// The id of the last resident of the page before.
    public var after: Int64?
    public var limit: Int

    public init(
        scope: CaseScope, hiddenKinds: Set<String>, gridID: Int64? = nil, householdID: Int64? = nil, householdIDs: [Int64]? = nil,
        text: String? = nil, after: Int64? = nil, limit: Int = 50
    ) {
        self.householdIDs = householdIDs
        self.scope = scope
        self.hiddenKinds = hiddenKinds
        self.gridID = gridID
        self.householdID = householdID
        self.text = text
        self.after = after
        self.limit = limit
    }
}

/// A household to write, with when it was last visited and its next visit falls due.
public struct PlannedHousehold: Sendable {
    public var household: ResidentImport.NewHousehold
    public var visitDueAt: Date?
    public var lastVisitAt: Date?

    public init(_ household: ResidentImport.NewHousehold, visitDueAt: Date?, lastVisitAt: Date? = nil) {
        self.household = household
        self.visitDueAt = visitDueAt
        self.lastVisitAt = lastVisitAt
    }
}

/// A household, place or organisation due for a visit.
public struct DueVisit: Sendable, Hashable {
    public var subject: SubjectRef
    public var gridID: Int64
    /// The household's address, the place's or organisation's name.
    public var label: String
    public var dueAt: Date
    public var lastVisitAt: Date?

    public init(subject: SubjectRef, gridID: Int64, label: String, dueAt: Date, lastVisitAt: Date?) {
        self.subject = subject
        self.gridID = gridID
        self.label = label
        self.dueAt = dueAt
        self.lastVisitAt = lastVisitAt
    }
}

/// A case a record is linked to, with when it was linked.
public struct LinkedCase: Sendable, Hashable {
    public var caseID: Int64
    public var linkedAt: Date
}

/// A change to a resident's own fields; nil leaves a field as it is.
public struct ResidentChange: Sendable, Hashable {
    public var name: String?
    public var phone: String?
    public var relation: String?
    public var kind: String?
    public var registration: Registration?

    public init(name: String? = nil, phone: String? = nil, relation: String? = nil, kind: String? = nil, registration: Registration? = nil) {
        self.name = name
        self.phone = phone
        self.relation = relation
        self.kind = kind
        self.registration = registration
    }
}

/// The grid's base data and its visits. Every change is one transaction with its history entry
/// (`base_changes`): the record and who changed what exist together or not at all.
public protocol BaseDataStore: Sendable {
    /// Every kind, in the city's order.
    func kinds() async throws -> [BaseKind]
    /// The sensitive kinds granted to a post.
    func grantedKinds(postID: Int64) async throws -> Set<String>
    /// Grants (or, with an empty set, withdraws) sensitive kinds to a post.
    func setGrantedKinds(_ codes: Set<String>, postID: Int64) async throws

    /// Writes households with their people, each with the visit dates given, and one history
    /// entry per record, in one transaction; `action` names it (`create` or `import`).
    func insert(_ households: [PlannedHousehold], action: String, by actor: Principal, at now: Date) async throws -> [Household]
    /// Of these ID numbers, those already recorded.
    func recordedIDNumbers(among numbers: [String]) async throws -> Set<String>
    /// Changes a resident, recording each field changed (personal fields masked) and the
    /// household's new visit due date, in one transaction.
    /// - Parameter cadences: the cadence of each kind that has one, to move the household's due date.
    func update(
        residentID: Int64, _ change: ResidentChange, cadences: [String: VisitCadence], calendar: Calendar, by actor: Principal, at now: Date
    ) async throws -> Resident
    /// Writes places and organisations with their history entries, in one transaction; an
    /// organisation's `placeID` may name a place of the same call by its index there, negated
    /// and less one (-1 for the first), as ids are given only as they are written.
    func insert(places: [Place], organisations: [Organisation], by actor: Principal, at now: Date) async throws
        -> (places: [Place], organisations: [Organisation])

    func resident(id: Int64) async throws -> Resident?
    func household(id: Int64) async throws -> Household?
    /// Several households in one read (a ranking's, a ledger's).
    func households(ids: [Int64]) async throws -> [Household]
    func place(id: Int64) async throws -> Place?
    func organisation(id: Int64) async throws -> Organisation?
    /// The kinds of a household's people, for its visit cadence.
    func kindsOfPeople(inHousehold householdID: Int64) async throws -> [String]
    /// Residents in id order, a page at a time.
    func residents(_ query: ResidentQuery) async throws -> [Resident]
    /// A record's history, oldest first.
    func history(of subject: SubjectRef) async throws -> [BaseChange]

    /// Links a case to the records it concerns (a link made before is kept as it was).
    func link(caseID: Int64, to subjects: [SubjectRef], by actor: Principal, at now: Date) async throws
    /// The cases linked to a record, latest link first.
    func cases(linkedTo subject: SubjectRef) async throws -> [LinkedCase]
    /// The records a case is linked to.
    func subjects(ofCase caseID: Int64) async throws -> [SubjectRef]

    /// Writes visits logged elsewhere (a phone's queue, the demo) as they are, with the links of
    /// those that became cases, in one transaction; the records' dates are left as they are.
    func insert(visits: [Visit]) async throws
    /// Logs a visit and moves its record's last visit and next due date, in one transaction. With
    /// an idempotency key its user sent before, it writes nothing and answers the earlier visit
    /// (`isReplay`).
    func log(_ visit: Visit, nextDueAt: Date?, idempotencyKey: String?) async throws -> (visit: Visit, isReplay: Bool)
    /// Records the case a visit's findings became and links the case to the record visited, in
    /// one transaction.
    func attach(caseID: Int64, toVisit visitID: Int64, by actor: Principal, at now: Date) async throws
    func visit(id: Int64) async throws -> Visit?
    /// A record's visits, latest first.
    func visits(of subject: SubjectRef, limit: Int) async throws -> [Visit]
    /// The households, places and organisations of a grid due before `before`, earliest first.
    func dueVisits(inGrid gridID: Int64, before: Date, limit: Int) async throws -> [DueVisit]
    /// How many records of each grid are due before `before` (overdue, given the day's start).
    func dueCounts(inGrids gridIDs: [Int64], before: Date) async throws -> [Int64: Int]
    /// How many visits were logged in the grids from `from` on, by grid or by the worker's user id.
    func visitCounts(inGrids gridIDs: [Int64], from: Date, byWorker: Bool) async throws -> [Int64: Int]
}
