public import Foundation
public import OneGridDomain

/// Cases, their timelines and what is recorded around them.
public protocol CaseStore: Sendable {
    /// Creates cases in one transaction, each with its `report` event; a draft whose idempotency
    /// key was seen before returns the earlier case instead.
    func create(_ drafts: [CaseDraft]) async throws -> [Intake]
    func record(id: Int64) async throws -> CaseRecord?
    func list(_ query: CaseQuery, scope: CaseScope, now: Date) async throws -> CasePage
    func timeline(caseID: Int64) async throws -> [StoredEvent]
    /// Takes one step on a case in one transaction: reads it, lets `decide` choose the next state
    /// (a thrown error writes nothing), and writes it only if nobody changed it meanwhile.
    /// - Parameter expectedVersion: the version the client saw; a different current version is a
    ///   conflict even before deciding.
    func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date,
        decide: @escaping @Sendable (CaseFile) throws -> CaseTransition
    ) async throws -> CaseRecord
    /// `perform` once per idempotency key of the actor's user: a key seen before on this case
    /// returns the case as it is now (`isReplay`) without deciding or writing anything; on
    /// another case it is refused, naming the `Idempotency-Key`.
    func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date, idempotencyKey: String,
        decide: @escaping @Sendable (CaseFile) throws -> CaseTransition
    ) async throws -> (record: CaseRecord, isReplay: Bool)
    /// Open cases whose clock needs a look at `now` (an urge, supervision or escalation may be
    /// due), soonest first; after `cursor` when given, so a sweep pages through them once.
    func casesDueForAlert(at now: Date, after cursor: AlertCursor?, limit: Int) async throws -> [CaseRecord]
    /// Writes the deadline sweeper's steps in one transaction, each case's only if it is still at
    /// the version they were decided on, so two sweepers never act twice on one clock.
    /// - Returns: how many steps were written.
    func applySystemSteps(_ steps: [SystemStep], at now: Date) async throws -> Int
    func recordDisclosure(caseID: Int64, by actor: Principal, field: String, at now: Date) async throws
    func disclosures(caseID: Int64) async throws -> [Disclosure]
    /// Recomputes every timeline's hash chain and compares it with each case's recorded head.
    func verifyTimelines() async throws -> (checkedCases: Int, findings: [AuditFinding])
    /// How many cases are open in each open status, for the operators' metrics.
    func openCasesByStatus() async throws -> [CaseStatus: Int]
}

/// The steps the sweeper decided for one case, from the version it read.
public struct SystemStep: Sendable {
    public var caseID: Int64
    public var decidedOnVersion: Int
    /// The timeline's head at that version: the steps' events continue it, so an urge is sealed
    /// without reading the case again (the version guard proves the head unchanged).
    public var eventCount: Int
    public var lastHash: String
    public var transitions: [CaseTransition]

    public init(decidedOn record: CaseRecord, transitions: [CaseTransition]) {
        self.caseID = record.id
        self.decidedOnVersion = record.file.version
        self.eventCount = record.eventCount
        self.lastHash = record.lastHash
        self.transitions = transitions
    }
}

/// Where a page of due clocks ended: the next page starts after it.
public struct AlertCursor: Sendable, Hashable {
    public var nextAlertAt: Date
    public var caseID: Int64

    public init(after record: CaseRecord) {
        self.nextAlertAt = record.file.nextAlertAt ?? .distantPast
        self.caseID = record.id
    }
}
