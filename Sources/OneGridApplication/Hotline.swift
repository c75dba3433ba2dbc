public import Foundation
public import OneGridDomain
public import OneGridStore

/// The 12345 hotline's contract (docs/hotline.md): a ticket becomes a case once, whatever retries
/// and keys bring it again; a ticket that is not the grid's business is diverted with its reason
/// (接诉即办工作条例 Art. 11) and recorded for the hotline's figures; and the hotline reads back,
/// by its ticket number, where the case stands, what was done and how the caller rated it.
public struct Hotline: Sendable {
    let services: OneGridServices

    /// The posts a hotline system speaks as: its integration accounts are hotline agents.
    public static let agents: Set<Role> = [.hotlineAgent]

    /// A ticket answered with a diversion instead of a case.
    public struct Diverted: Error, Sendable {
        public var ticket: DivertedTicket
        /// For a repeat: the earlier ticket's case, whose progress the caller is told.
        public var earlier: CaseRecord?
    }

    /// Reports the ticket as a case, or returns the case it already became (`isReplay`).
    /// - Throws: `Diverted` when the ticket was diverted before.
    public func receive(ticket: String, _ form: IntakeForm, by principal: Principal) async throws -> Intake {
        try HotlineTicket.validate(ticket)
        if let diverted = try await services.hotlineTickets.diversion(ticket: ticket) {
            throw Diverted(ticket: diverted, earlier: try await earlierCase(of: diverted, for: principal.post))
        }
        return try await services.intake.report(form, by: principal, idempotencyKey: nil, hotlineTicket: ticket)
    }

    /// Records the ticket's diversion once and answers it: always `Diverted`, the first record's
    /// when the ticket was diverted before.
    public func divert(ticket: String, _ diversion: HotlineDiversion, by principal: Principal) async throws -> Never {
        try HotlineTicket.validate(ticket)
        let diversion = try diversion.validated()
        var earlierCaseID: Int64?
        if let earlierTicket = diversion.earlierTicket {
            guard let id = try await services.hotlineTickets.caseID(ticket: earlierTicket) else {
                throw DomainError.notFound("a case of ticket \(earlierTicket)", field: "diversion.earlierTicket")
            }
            earlierCaseID = try await services.reading.visibleCase(id, to: principal.post).id
        }
        let recorded = try await services.hotlineTickets.divert(
            DivertedTicket(ticket: ticket, diversion: diversion, earlierCaseID: earlierCaseID, postID: principal.post.id, receivedAt: services.clock.now))
        throw Diverted(ticket: recorded, earlier: try await earlierCase(of: recorded, for: principal.post))
    }

    /// What became of a ticket.
    public enum Result: Sendable {
        /// Its case: where it stands, what the handler fed back (or what solved it on the spot)
        /// and when, and the caller's rating with their words.
        case handled(CaseRecord, result: StoredEvent?, rating: StoredEvent?)
        case diverted(Diverted)
    }

    public func result(ticket: String, for post: Post) async throws -> Result {
        try HotlineTicket.validate(ticket)
        if let caseID = try await services.hotlineTickets.caseID(ticket: ticket) {
            let record = try await services.reading.visibleCase(caseID, to: post)
            let events = try await services.cases.timeline(caseID: caseID)
            // A rework's feedback replaces the first; a reopened case's new rating the old.
            let result = events.last { [.feedBack, .solveOnSpot].contains($0.event.action) }
            let rating = record.file.rating == nil ? nil : events.last { $0.event.action == .rate }
            return .handled(record, result: result, rating: rating)
        }
        if let diverted = try await services.hotlineTickets.diversion(ticket: ticket) {
            return .diverted(Diverted(ticket: diverted, earlier: try await earlierCase(of: diverted, for: post)))
        }
        throw DomainError.notFound("ticket \(ticket)", field: "ticket")
    }

    private func earlierCase(of diverted: DivertedTicket, for post: Post) async throws -> CaseRecord? {
        guard let id = diverted.earlierCaseID, let record = try await services.cases.record(id: id),
            CasePolicy.canSee(record.file, as: post)
        else { return nil }
        return record
    }
}
