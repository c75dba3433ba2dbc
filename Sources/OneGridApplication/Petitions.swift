public import Foundation
public import OneGridDomain
public import OneGridStore

/// The petition procedure's use cases (信访工作条例): registering a petition on its petition case
/// with the repeat candidates found, confirming a repeat, and each step of the procedure, under
/// the limits in force and the city's working calendar. The API, the pages and the tests come here.
public struct Petitions: Sendable {
    let services: OneGridServices

    var store: any PetitionStore { services.petitionRecords }

    /// Who registers petitions and takes their steps: the bodies that receive and handle them.
    public static let clerks: Set<Role> = [.windowClerk, .dispatcher, .departmentHandler]
    /// Who reads them besides: leaders follow them, administrators set their limits.
    public static let readers: Set<Role> = clerks.union([.leader, .administrator])
    /// Who sees every unit's misses (Art. 44): those who assess and supervise units.
    public static let missReaders: Set<Role> = [.leader, .administrator, .dispatcher]

    /// A petition as one post may see it: masked unless the post may reveal personal data, with
    /// its running limits and its log.
    public struct View: Sendable {
        public var petition: Petition
        public var clocks: [PetitionClock]
        public var steps: [PetitionStepEntry]
    }

    public struct Registered: Sendable {
        public var petition: Petition
        /// Earlier petitions by the same people on a matter that reads alike, to confirm or ignore.
        public var candidates: [PetitionRepeats.Candidate]
    }

    /// How many earlier petitions of the same people are compared with a new one.
    static let comparedPetitions = 200

    /// The limits in force: the stored ones, else the regulation's.
    public func limits() async throws -> PetitionLimits {
        try await services.settings.value(.petitionLimits) ?? PetitionLimits()
    }

    /// Stores new limits (an administrator's act, on the administrators' log).
    public func setLimits(_ limits: PetitionLimits, by principal: Principal) async throws {
        guard principal.post.role == .administrator else {
            throw DomainError(.forbidden, "only an administrator sets the petition limits")
        }
        guard limits.maximumExtension.approximateDays <= limits.reply.approximateDays else {
            throw DomainError.invalid(field: "maximumExtension", "an extension is at most as long as the reply limit itself")
        }
        let details = Dictionary(uniqueKeysWithValues: PetitionLimit.allCases.map { ($0.rawValue, limits[$0].description) })
        try await services.recording("settings.petitionLimits", subject: "petition limits", details, by: principal) {
            try await services.settings.set(.petitionLimits, to: limits, at: services.clock.now)
        }
    }

    /// Registers the petition record of a petition case the post may see, and finds its repeat
    /// candidates. The post's unit registers it; the petition was received when the case was.
    public func register(
        _ registration: PetitionRegistration, onCase caseID: Int64, by principal: Principal, at now: Date? = nil
    ) async throws -> Registered {
        let record = try await services.reading.visibleCase(caseID, to: principal.post)
        guard let category = services.directory.categories[record.file.categoryID], category.kind == .petition else {
            throw DomainError.invalid(field: "caseID", "case \(caseID) is not a petition case; a petition record goes on a petition case")
        }
        let petition = try registration.petition(
            caseID: caseID, registeringUnit: PetitionUnit(post: principal.post), responsibleLevel: record.file.handlingLevel,
            receivedAt: record.createdAt)
        let stored = try await store.register(petition, by: principal, at: now ?? services.clock.now)
        return Registered(petition: shown(stored, to: principal.post), candidates: try await candidates(for: stored))
    }

    /// The repeat candidates of a petition the post may see.
    public func candidates(ofCase caseID: Int64, for principal: Principal) async throws -> [PetitionRepeats.Candidate] {
        try await candidates(for: try await visiblePetition(caseID, to: principal.post))
    }

    func candidates(for petition: Petition) async throws -> [PetitionRepeats.Candidate] {
        PetitionRepeats.candidates(
            for: petition, among: try await store.petitionsSharingPetitioners(with: petition, limit: Self.comparedPetitions))
    }

    /// Links a petition to the earlier one a person confirmed it repeats.
    public func confirmRepeat(caseID: Int64, earlierCaseID: Int64, by principal: Principal, at now: Date? = nil) async throws -> Petition {
        _ = try await visiblePetition(caseID, to: principal.post)
        _ = try await visiblePetition(earlierCaseID, to: principal.post, field: "earlierCaseID")
        return shown(try await store.linkRepeat(caseID: caseID, to: earlierCaseID, by: principal, at: now ?? services.clock.now), to: principal.post)
    }

    /// Takes one step of the procedure for the post's unit, under the limits in force.
    /// - Parameter now: when the step is taken; the server's clock unless a fixture pins it.
    public func take(
        _ step: PetitionStep, onCase caseID: Int64, expectedVersion: Int?, by principal: Principal, at now: Date? = nil
    ) async throws -> Petition {
        _ = try await visiblePetition(caseID, to: principal.post)
        let (limits, calendar, now) = (try await limits(), services.calendar, now ?? services.clock.now)
        let unit = PetitionUnit(post: principal.post)
        let taken = try await store.perform(caseID: caseID, expectedVersion: expectedVersion, by: principal, unit: unit, at: now) {
            try PetitionProcedure.decide(step, on: $0, by: unit, limits: limits, calendar: calendar, now: now)
        }
        return shown(taken, to: principal.post)
    }

    public func view(ofCase caseID: Int64, for principal: Principal) async throws -> View {
        let petition = try await visiblePetition(caseID, to: principal.post)
        return View(
            petition: shown(petition, to: principal.post),
            clocks: petition.clocks(limits: try await limits(), calendar: services.calendar, yellowShare: services.planner.yellowShare),
            steps: try await store.steps(caseID: caseID))
    }

    /// The open petitions the post's unit holds, each with its running limits, oldest first: the
    /// petition clerk's desk.
    public func desk(for principal: Principal, limit: Int = 200) async throws -> [View] {
        let (limits, calendar, share) = (try await limits(), services.calendar, services.planner.yellowShare)
        return try await store.openPetitions(heldBy: [PetitionUnit(post: principal.post)], after: nil, limit: limit).map {
            View(petition: shown($0, to: principal.post), clocks: $0.clocks(limits: limits, calendar: calendar, yellowShare: share), steps: [])
        }
    }

    /// Records every running limit that passed without its step (Art. 44), a page of `batch` open
    /// petitions at a time; returns how many misses were new. The deadline sweep calls it.
    @discardableResult
    public func recordOverdue(at now: Date? = nil, batch: Int = 1_000) async throws -> Int {
        try await store.recordOverdue(
            limits: try await limits(), calendar: services.calendar, at: now ?? services.clock.now, batch: batch)
    }

    /// The limits each unit missed, for leaders and assessment.
    public func missCounts(for principal: Principal) async throws -> [PetitionMissCount] {
        guard Self.missReaders.contains(principal.post.role) else {
            throw DomainError(.forbidden, "the misses of every unit are for leaders, dispatchers and administrators")
        }
        return try await store.missCounts()
    }

    /// A unit's own misses, or any unit's for those who see every unit's counts.
    public func misses(of unit: PetitionUnit?, for principal: Principal, limit: Int = 500) async throws -> [PetitionMiss] {
        let own = PetitionUnit(post: principal.post)
        if unit != own { _ = try await missCounts(for: principal) }
        return try await store.misses(of: unit, limit: limit)
    }

    /// A petition the post holds or registered, or whose case it may see; others are "not found".
    func visiblePetition(_ caseID: Int64, to post: Post, field: String = "caseID") async throws -> Petition {
        guard let petition = try await store.petition(caseID: caseID) else {
            throw DomainError.notFound("petition \(caseID)", field: field)
        }
        let unit = PetitionUnit(post: post)
        if petition.registeringUnit == unit || petition.handlingUnit == unit { return petition }
        guard let record = try await services.cases.record(id: caseID), CasePolicy.canSee(record.file, as: post) else {
            throw DomainError.notFound("petition \(caseID)", field: field)
        }
        return petition
    }

    func shown(_ petition: Petition, to post: Post) -> Petition {
        post.role.mayRevealPersonalData ? petition : petition.masked
    }
}
