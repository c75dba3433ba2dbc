public import Foundation
public import OneGridDomain
public import OneGridStore

/// Open311's service requests, which are cases: reported through intake as the key's post would
/// report them, read within the key's jurisdiction, and updated by the steps a reporter takes.
public struct Open311Requests: Sendable {
    let services: OneGridServices

    /// The intake key an Open311 token is kept under, by which `tokens/{token}` finds its case.
    static func intakeKey(token: String) -> String { "open311/" + token }

    /// Reports a case with the request's extras (media URL, e-mail, device, account), written
    /// in the case's own transaction.
    public func report(_ form: IntakeForm, extras: Open311Extras, token: String, by client: Open311Client) async throws -> CaseRecord {
        let submission = extras == Open311Extras() ? nil : Open311Submission(keyID: client.key.id, extras: extras)
        return try await services.intake.report(
            form, by: client.principal, idempotencyKey: Self.intakeKey(token: token), open311: submission
        ).record
    }

    /// The case a token of this key's post named, once it is written and while it is in the
    /// key's jurisdiction.
    public func caseID(token: String, for client: Open311Client) async throws -> Int64? {
        guard let id = try await services.open311.caseID(intakeKey: Self.intakeKey(token: token), userID: client.principal.user.id) else {
            return nil
        }
        return try await services.reading.visibleCase(id, to: client.principal.post).id
    }

    /// The cases named that the key's jurisdiction covers, in the order named; others are left out.
    public func requests(ids: [Int64], for client: Open311Client) async throws -> [CaseRecord] {
        var found: [CaseRecord] = []
        for id in ids {
            guard let record = try await services.cases.record(id: id), CasePolicy.canSee(record.file, as: client.principal.post) else { continue }
            found.append(record)
        }
        return found
    }

    /// One case of the key's jurisdiction; others are "not found".
    public func request(id: Int64, for client: Open311Client) async throws -> CaseRecord {
        try await services.reading.visibleCase(id, to: client.principal.post)
    }

    /// A page of the jurisdiction's cases in the query's order: `query.limit` cases after the first `skip`.
    public func list(_ query: CaseQuery, skip: Int, for client: Open311Client) async throws -> [CaseRecord] {
        var query = query
        let size = query.limit
        query.limit = skip + size
        return Array(try await services.reading.list(query, for: client.principal.post).cases.dropFirst(skip))
    }

    /// The media URLs the requests came with.
    public func mediaURLs(of records: [CaseRecord]) async throws -> [Int64: String] {
        try await services.open311.mediaURLs(caseIDs: records.map(\.id))
    }

    /// The steps that changed the status of the jurisdiction's cases in `[from, before)`, oldest first.
    public func updates(from: Date, before: Date, limit: Int, for client: Open311Client) async throws -> [StoredEvent] {
        try await services.open311.statusChanges(level: client.area.level, areaID: client.area.id, from: from, before: before, limit: limit)
    }

    /// What a reporter says of their request.
    public enum ReporterVerdict: String, Sendable, CaseIterable {
        /// Still not solved.
        case open
        /// Solved, as they see it.
        case closed, fixed
    }

    /// A reporter's update, as the step the case takes from its reporter where it allows one: once
    /// verified, their rating (solved: satisfied; still open: dissatisfied); once a petition is
    /// closed, a request that the level above review it. Returns the case and its new event.
    public func update(caseID: Int64, verdict: ReporterVerdict, note: String, mediaURL: String?, by client: Open311Client) async throws
        -> (record: CaseRecord, event: StoredEvent)
    {
        let record = try await request(id: caseID, for: client)
        var input = CaseActionInput(note: note.isEmpty ? nil : note, evidence: mediaURL.map { [$0] })
        let action: CaseAction
        switch (record.file.status, verdict) {
        case (.verified, .open):
            action = .rate
            input.rating = .dissatisfied
        case (.verified, _):
            action = .rate
            input.rating = .satisfied
        case (.closed, .open), (.archived, .open):
            action = .requestReview
        default:
            throw DomainError(
                .notAllowedInState,
                "case \(caseID) is \(record.file.status.rawValue): it takes its reporter's update once verified (a rating) or, for a petition, once closed with status open (a request for review)",
                field: "status")
        }
        let taken = try await services.steps.take(action, on: caseID, input: input, expectedVersion: nil, by: client.principal)
        guard let event = try await services.cases.timeline(caseID: caseID).last(where: { $0.event.sequence == taken.eventCount }) else {
            throw StoreError.corrupt("case \(caseID) has no event \(taken.eventCount)")
        }
        return (taken, event)
    }
}
