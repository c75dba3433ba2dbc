public import Foundation
public import OneGridDomain
import SQLKit

/// The 12345 hotline's tickets: the case each became (its intake key, `CaseDraft.intakeClaim`)
/// or the diversion each was answered with (接诉即办工作条例 Art. 11).
public protocol HotlineStore: Sendable {
    /// The case a ticket became, once it is written.
    func caseID(ticket: String) async throws -> Int64?
    /// Records a diverted ticket once: a ticket diverted before answers its first record, whatever
    /// this one says; a ticket that already became a case is refused (409), naming its case.
    func divert(_ ticket: DivertedTicket) async throws -> DivertedTicket
    /// The diversion a ticket was answered with.
    func diversion(ticket: String) async throws -> DivertedTicket?
}

public struct SQLHotlineStore: HotlineStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    struct DiversionRow: Codable {
        var ticket: String
        var reason: String
        var line: String?
        var legalRoute: String?
        var earlierTicket: String?
        var earlierCaseId: Int64?
        var note: String?
        var postId: Int64
        var receivedAt: Int64

        func diverted() throws -> DivertedTicket {
            DivertedTicket(
                ticket: ticket,
                diversion: HotlineDiversion(
                    reason: try stored(DiversionReason.self, reason), line: try line.map { try stored(EmergencyLine.self, $0) },
                    legalRoute: try legalRoute.map { try stored(LegalRoute.self, $0) }, earlierTicket: earlierTicket, note: note),
                earlierCaseID: earlierCaseId, postID: postId, receivedAt: Date(millisecondsSince1970: receivedAt))
        }
    }

    public func caseID(ticket: String) async throws -> Int64? {
        try await caseID(ticket: ticket, on: database.reader)
    }

    private func caseID(ticket: String, on db: any SQLDatabase) async throws -> Int64? {
        try await db.select().column("case_id").from("intake_keys")
            .where("user_id", .equal, CaseDraft.hotlineKeyOwner).where("key", .equal, CaseDraft.hotlineKey(ticket))
            .first(decodingColumn: "case_id", as: Int64?.self) ?? nil
    }

    public func divert(_ ticket: DivertedTicket) async throws -> DivertedTicket {
        try await database.transaction { db in
            if let caseID = try await caseID(ticket: ticket.ticket, on: db) {
                throw DomainError(.notAllowedInState, "ticket \(ticket.ticket) is already case \(caseID)", field: "ticket")
            }
            let reason = ticket.diversion
            try await db.insert(into: "hotline_diversions")
                .columns("ticket", "reason", "line", "legal_route", "earlier_ticket", "earlier_case_id", "note", "post_id", "received_at")
                .values(
                    SQLBind(ticket.ticket), SQLBind(reason.reason.rawValue), SQLBind(reason.line?.rawValue),
                    SQLBind(reason.legalRoute?.rawValue), SQLBind(reason.earlierTicket), SQLBind(ticket.earlierCaseID),
                    SQLBind(reason.note), SQLBind(ticket.postID), SQLBind(ticket.receivedAt.millisecondsSince1970))
                .ignoringConflicts(with: ["ticket"]).run()
            guard let first = try await diversion(ticket: ticket.ticket, on: db) else {
                throw StoreError.corrupt("diverted ticket \(ticket.ticket) was not written")
            }
            return first
        }
    }

    public func diversion(ticket: String) async throws -> DivertedTicket? {
        try await diversion(ticket: ticket, on: database.reader)
    }

    private func diversion(ticket: String, on db: any SQLDatabase) async throws -> DivertedTicket? {
        try await db.select().columns("*").from("hotline_diversions").where("ticket", .equal, ticket)
            .first(decoding: DiversionRow.self, with: .snake)?.diverted()
    }
}
