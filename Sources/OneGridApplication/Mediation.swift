public import Foundation
public import OneGridDomain
public import OneGridStore

/// People's mediation on dispute cases: opening a dispute's file, each step of its mediation,
/// reading it as a post may, and the mediator's desk. Every way in — the API, the pages, the demo,
/// the tests — comes through here. A post that may not see a dispute is told it does not exist.
public struct Mediation: Sendable {
    let services: OneGridServices

    /// A dispute's file as one post reads it: parties masked unless revealed, the body, the case.
    public struct File: Sendable {
        public var dispute: Dispute
        public var body: MediationBody?
        public var record: CaseRecord
        /// The steps this post may take now, by name.
        public var allowedSteps: [String]
    }

    /// Opens the dispute's file on a dispute case the dispatcher's centre holds.
    public func register(_ form: DisputeForm, on caseID: Int64, by principal: Principal, at now: Date? = nil) async throws -> File {
        let record = try await services.reading.visibleCase(caseID, to: principal.post)
        let kind = services.directory.categories[record.file.categoryID]?.kind ?? .general
        let rule = try await majorDisputeRule()
        let time = now ?? services.clock.now
        let post = principal.post
        let written = try await services.mediation.register(caseID: caseID, by: principal, at: time) { file in
            try MediationWorkflow.register(form, on: file, categoryKind: kind, by: post, rule: rule, at: time)
        }
        services.changes.publish([CaseChange(written.record)])
        return file(written.dispute, body: nil, record: written.record, for: principal.post)
    }

    /// Takes one step, named as the API and the pages name it, with its input.
    public func take(
        _ name: String, on caseID: Int64, input: MediationInput, expectedVersion: Int?, by principal: Principal, at now: Date? = nil
    ) async throws -> File {
        let current = try await visible(caseID, to: principal.post)
        let step = try await step(name, input: input)
        let rule = try await majorDisputeRule()
        let post = principal.post
        let time = now ?? services.clock.now
        let body = current.body
        let written = try await services.mediation.perform(caseID: caseID, expectedVersion: expectedVersion, by: principal, at: time) {
            dispute, file in
            // The body as it stood when read: a reassignment meanwhile moves the dispute's version.
            try MediationWorkflow.decide(step, on: dispute, case: file, body: dispute.bodyID == body?.id ? body : nil, by: post, rule: rule, at: time)
        }
        services.changes.publish([CaseChange(written.record)])
        let newBody = written.dispute.bodyID == body?.id ? body : try await written.dispute.bodyID.asyncFlatMap { try await services.mediation.body(id: $0) }
        return file(written.dispute, body: newBody, record: written.record, for: principal.post)
    }

    /// The dispute's file, to a post that may see it.
    public func file(of caseID: Int64, for principal: Principal) async throws -> File {
        let visible = try await visible(caseID, to: principal.post)
        return file(visible.dispute, body: visible.body, record: visible.record, for: principal.post)
    }

    /// Shows one party's phone or ID number unmasked to a post that may see personal data, and
    /// records that it did, as for a reporter's.
    public func reveal(_ field: CaseReading.PersonalField, ofParty number: Int, in caseID: Int64, by principal: Principal) async throws -> String? {
        let visible = try await visible(caseID, to: principal.post)
        guard principal.post.role.mayRevealPersonalData else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not see a party's personal data")
        }
        guard let party = visible.dispute.parties.first(where: { $0.number == number }) else {
            throw DomainError.invalid(field: "party", "expected a party number of this dispute (1–\(visible.dispute.parties.count))")
        }
        let recorded = "party\(number).\(field.rawValue)"
        try await services.recording("dispute.reveal", subject: "case \(caseID)", ["field": recorded], by: principal) {
            try await services.cases.recordDisclosure(caseID: caseID, by: principal, field: recorded, at: services.clock.now)
        }
        return switch field {
        case .phone: party.phone
        case .idNumber: party.idNumber
        }
    }

    /// The bodies that may take a case's dispute: those sitting on its place's path.
    public func bodies(for caseID: Int64, by principal: Principal) async throws -> [MediationBody] {
        let record = try await services.reading.visibleCase(caseID, to: principal.post)
        let areas = record.file.areas
        return try await services.mediation.bodies(inAreas: AdminLevel.allCases.map { areas[$0] })
    }

    /// The mediator's desk: the disputes of their bodies, the sessions held this week and the
    /// follow-ups falling due within a week.
    public struct Desk: Sendable {
        public var bodies: [MediationBody]
        public var disputes: [Dispute]
        public var sessionsThisWeek: [(caseID: Int64, session: Dispute.Session)]
        public var followUpsDue: [(caseID: Int64, due: Date)]
    }

    public func desk(for principal: Principal, at now: Date? = nil) async throws -> Desk {
        guard principal.post.role == .mediator else {
            throw DomainError(.forbidden, "the mediation desk is a mediator's")
        }
        let time = now ?? services.clock.now
        let bodies = try await services.mediation.bodies(ofMember: principal.user.id)
        let disputes = try await services.mediation.disputes(ofBodies: bodies.map(\.id), limit: Self.deskSize)
        let week: TimeInterval = 7 * 86_400
        let sessions = disputes.flatMap { dispute in
            dispute.sessions.filter { time.timeIntervalSince($0.startsAt) < week }.map { (dispute.caseID, $0) }
        }.sorted { $0.1.startsAt > $1.1.startsAt }
        let due = disputes.compactMap { dispute in
            dispute.followUpDue.flatMap { $0.timeIntervalSince(time) < week ? (dispute.caseID, $0) : nil }
        }.sorted { $0.1 < $1.1 }
        let masked = disputes.map { dispute in
            var shown = dispute
            shown.parties = dispute.parties.map { DisputePolicy.party($0, for: principal.post, revealed: false) }
            return shown
        }
        return Desk(bodies: bodies, disputes: masked, sessionsThisWeek: sessions, followUpsDue: due)
    }

    /// The desk shows the newest disputes of a mediator's bodies up to this many.
    static let deskSize = 200

    // MARK: Building blocks

    private func visible(_ caseID: Int64, to post: Post) async throws -> (dispute: Dispute, body: MediationBody?, record: CaseRecord) {
        guard let dispute = try await services.mediation.dispute(caseID: caseID),
            let record = try await services.cases.record(id: caseID)
        else { throw DomainError.notFound("dispute of case \(caseID)", field: "id") }
        let body = try await dispute.bodyID.asyncFlatMap { try await services.mediation.body(id: $0) }
        guard DisputePolicy.canSee(dispute, case: record.file, body: body, as: post) else {
            throw DomainError.notFound("dispute of case \(caseID)", field: "id")
        }
        return (dispute, body, record)
    }

    private func file(_ dispute: Dispute, body: MediationBody?, record: CaseRecord, for post: Post) -> File {
        var shown = dispute
        shown.parties = dispute.parties.map { DisputePolicy.party($0, for: post, revealed: false) }
        let allowed = DisputePolicy.allowedSteps(on: dispute, case: record.file, body: body, as: post).map(\.rawValue)
        return File(dispute: shown, body: body, record: record, allowedSteps: allowed)
    }

    private func step(_ name: String, input: MediationInput) async throws -> MediationStep {
        guard let kind = MediationStep.Kind(rawValue: name) else {
            let names = MediationStep.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError.invalid(field: "action", "'\(name)' is not a mediation step: expected one of \(names)")
        }
        guard kind == .assign else { return try input.step(kind) }
        guard let id = input.bodyID, let body = try await services.mediation.body(id: id) else {
            throw DomainError.invalid(field: "bodyID", "expected the id of a mediation body")
        }
        return .assign(body)
    }

    private func majorDisputeRule() async throws -> MajorDisputeRule {
        try await services.settings.value(.majorDisputeRule) ?? .default
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
