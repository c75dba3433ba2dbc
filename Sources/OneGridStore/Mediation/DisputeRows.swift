import Foundation
import OneGridDomain
import SQLKit

/// A dispute's file as rows: the root in `disputes` (under its version) and its parts keyed by
/// the case and numbered within it, rewritten whole with each step — a file holds a handful of
/// rows, and one way of writing them cannot leave a part behind.
enum DisputeRows {
    static let partTables = ["dispute_parties", "mediation_sessions", "agreement_obligations", "mediation_agreements", "mediation_follow_ups"]

    struct Root: Codable {
        var caseId: Int64
        var version: Int
        var status: String
        var type: String
        var amountYuan: Int64?
        var peopleInvolved: Int
        var summary: String
        var bodyId: Int64?
        var violenceReportedAt: Int64?
        var majorReason: String?
        var legalRoutes: String
        var endedAt: Int64?
        var endNote: String?
        var reopenCount: Int
        var registeredAt: Int64
    }

    struct Party: Codable {
        var caseId: Int64
        var number: Int
        var kind: String
        var role: String
        var name: String
        var phone: String?
        var idNumber: String?
        var consent: String
        var consentNote: String?
    }

    struct Session: Codable {
        var caseId: Int64
        var number: Int
        var startsAt: Int64
        var place: String?
        var videoLink: String?
        var participants: String
        var record: String
        var recordedBy: Int64
    }

    struct Agreement: Codable {
        var caseId: Int64
        var number: Int
        var facts: String
        var terms: String
        var draftedAt: Int64
        var partySignatures: String
        var mediatorUserId: Int64?
        var mediatorSignedAt: Int64?
        var stampedAt: Int64?
        var effectiveAt: Int64?
        var breachedAt: Int64?
        var confirmationAppliedAt: Int64?
        var court: String?
        var courtDecision: String?
        var courtDecidedAt: Int64?
        var courtNote: String?
    }

    struct Obligation: Codable {
        var caseId: Int64
        var agreementNumber: Int
        var number: Int
        var partyNumber: Int
        var text: String
        var dueOn: Int64
    }

    struct FollowUp: Codable {
        var caseId: Int64
        var number: Int
        var at: Int64
        var byUserId: Int64
        var carriedOut: Int
        var note: String
    }

    // MARK: Writing

    static func insertRoot(_ dispute: Dispute, on db: any SQLDatabase) async throws {
        try await db.insert(into: "disputes").model(root(dispute), with: .snakeWithNils).run()
    }

    /// Writes the root over the version it was decided on; false when someone changed it meanwhile.
    static func updateRoot(_ dispute: Dispute, from version: Int, on db: any SQLDatabase) async throws -> Bool {
        try await db.update("disputes").set(model: root(dispute), with: .snakeWithNils)
            .where("case_id", .equal, dispute.caseID).where("version", .equal, version)
            .returning("case_id").first() != nil
    }

    static func writeParts(of dispute: Dispute, on db: any SQLDatabase) async throws {
        let id = dispute.caseID
        for table in partTables {
            try await db.delete(from: table).where("case_id", .equal, id).run()
        }
        try await insert(
            dispute.parties.map {
                Party(
                    caseId: id, number: $0.number, kind: $0.kind.rawValue, role: $0.role.rawValue, name: $0.name, phone: $0.phone,
                    idNumber: $0.idNumber, consent: $0.consent.rawValue, consentNote: $0.consentNote)
            }, into: "dispute_parties", on: db)
        try await insert(
            try dispute.sessions.map {
                Session(
                    caseId: id, number: $0.number, startsAt: $0.startsAt.millisecondsSince1970, place: $0.place,
                    videoLink: $0.videoLink, participants: try json($0.participants), record: $0.record,
                    recordedBy: $0.recordedByUserID)
            }, into: "mediation_sessions", on: db)
        try await insert(
            try dispute.agreements.map { agreement in
                Agreement(
                    caseId: id, number: agreement.number, facts: agreement.facts, terms: agreement.terms,
                    draftedAt: agreement.draftedAt.millisecondsSince1970,
                    partySignatures: try json(
                        Dictionary(uniqueKeysWithValues: agreement.partySignatures.map { (String($0.key), $0.value.millisecondsSince1970) })),
                    mediatorUserId: agreement.mediatorUserID, mediatorSignedAt: agreement.mediatorSignedAt?.millisecondsSince1970,
                    stampedAt: agreement.stampedAt?.millisecondsSince1970, effectiveAt: agreement.effectiveAt?.millisecondsSince1970,
                    breachedAt: agreement.breachedAt?.millisecondsSince1970,
                    confirmationAppliedAt: agreement.confirmationAppliedAt?.millisecondsSince1970, court: agreement.court,
                    courtDecision: agreement.courtDecision?.rawValue, courtDecidedAt: agreement.courtDecidedAt?.millisecondsSince1970,
                    courtNote: agreement.courtNote)
            }, into: "mediation_agreements", on: db)
        try await insert(
            dispute.agreements.flatMap { agreement in
                agreement.obligations.map {
                    Obligation(
                        caseId: id, agreementNumber: agreement.number, number: $0.number, partyNumber: $0.partyNumber, text: $0.text,
                        dueOn: $0.dueOn.millisecondsSince1970)
                }
            }, into: "agreement_obligations", on: db)
        try await insert(
            dispute.followUps.map {
                FollowUp(caseId: id, number: $0.number, at: $0.at.millisecondsSince1970, byUserId: $0.byUserID, carriedOut: $0.carriedOut ? 1 : 0, note: $0.note)
            }, into: "mediation_follow_ups", on: db)
    }

    private static func insert(_ rows: [some Encodable & Sendable], into table: String, on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        try await db.insert(into: table).models(rows, with: .snakeWithNils).run()
    }

    private static func root(_ dispute: Dispute) -> Root {
        Root(
            caseId: dispute.caseID, version: dispute.version, status: dispute.status.rawValue, type: dispute.type.rawValue,
            amountYuan: dispute.amountYuan, peopleInvolved: dispute.peopleInvolved, summary: dispute.summary, bodyId: dispute.bodyID,
            violenceReportedAt: dispute.violenceReportedAt?.millisecondsSince1970, majorReason: dispute.majorReason,
            legalRoutes: dispute.legalRoutes.map(\.rawValue).joined(separator: ","), endedAt: dispute.endedAt?.millisecondsSince1970,
            endNote: dispute.endNote, reopenCount: dispute.reopenCount, registeredAt: dispute.registeredAt.millisecondsSince1970)
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    // MARK: Reading

    /// The files of these cases, in one query per table; cases without a dispute are left out.
    static func load(caseIDs: [Int64], on db: any SQLDatabase) async throws -> [Dispute] {
        guard !caseIDs.isEmpty else { return [] }
        func rows<Row: Decodable>(_: Row.Type, _ table: String, _ order: String...) async throws -> [Int64: [Row]] where Row: HasCase {
            let select = db.select().column("*").from(table).where("case_id", .in, caseIDs)
            for column in order { select.orderBy(column) }
            return Dictionary(grouping: try await select.all(decoding: Row.self, with: .snake), by: \.caseId)
        }
        let roots = try await db.select().column("*").from("disputes").where("case_id", .in, caseIDs).orderBy("case_id")
            .all(decoding: Root.self, with: .snake)
        guard !roots.isEmpty else { return [] }
        let parties = try await rows(Party.self, "dispute_parties", "number")
        let sessions = try await rows(Session.self, "mediation_sessions", "number")
        let agreements = try await rows(Agreement.self, "mediation_agreements", "number")
        let obligations = try await rows(Obligation.self, "agreement_obligations", "agreement_number", "number")
        let followUps = try await rows(FollowUp.self, "mediation_follow_ups", "number")
        return try roots.map { root in
            try dispute(
                root, parties: parties[root.caseId] ?? [], sessions: sessions[root.caseId] ?? [],
                agreements: agreements[root.caseId] ?? [], obligations: obligations[root.caseId] ?? [],
                followUps: followUps[root.caseId] ?? [])
        }
    }

    private static func dispute(
        _ root: Root, parties: [Party], sessions: [Session], agreements: [Agreement], obligations: [Obligation], followUps: [FollowUp]
    ) throws -> Dispute {
        let id = root.caseId
        func value<T: RawRepresentable>(_ raw: String, _ what: String) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: raw) else { throw StoreError.corrupt("dispute \(id) has \(what) '\(raw)'") }
            return value
        }
        func date(_ millis: Int64?) -> Date? { millis.map(Date.init(millisecondsSince1970:)) }
        let decoder = JSONDecoder()
        return Dispute(
            caseID: id, version: root.version, status: try value(root.status, "status"), type: try value(root.type, "type"),
            amountYuan: root.amountYuan, peopleInvolved: root.peopleInvolved, summary: root.summary, bodyID: root.bodyId,
            violenceReportedAt: date(root.violenceReportedAt), majorReason: root.majorReason,
            parties: try parties.map {
                Dispute.Party(
                    number: $0.number, kind: try value($0.kind, "party kind"), role: try value($0.role, "party role"), name: $0.name,
                    phone: $0.phone, idNumber: $0.idNumber, consent: try value($0.consent, "consent"), consentNote: $0.consentNote)
            },
            sessions: try sessions.map {
                Dispute.Session(
                    number: $0.number, startsAt: Date(millisecondsSince1970: $0.startsAt), place: $0.place, videoLink: $0.videoLink,
                    participants: try decoder.decode([String].self, from: Data($0.participants.utf8)), record: $0.record,
                    recordedByUserID: $0.recordedBy)
            },
            agreements: try agreements.map { row in
                let signatures = try decoder.decode([String: Int64].self, from: Data(row.partySignatures.utf8))
                return Dispute.Agreement(
                    number: row.number, facts: row.facts, terms: row.terms,
                    obligations: obligations.filter { $0.agreementNumber == row.number }.map {
                        Dispute.Obligation(number: $0.number, partyNumber: $0.partyNumber, text: $0.text, dueOn: Date(millisecondsSince1970: $0.dueOn))
                    },
                    draftedAt: Date(millisecondsSince1970: row.draftedAt),
                    partySignatures: Dictionary(uniqueKeysWithValues: signatures.compactMap { key, millis in
                        Int(key).map { ($0, Date(millisecondsSince1970: millis)) }
                    }),
                    mediatorUserID: row.mediatorUserId, mediatorSignedAt: date(row.mediatorSignedAt), stampedAt: date(row.stampedAt),
                    effectiveAt: date(row.effectiveAt), breachedAt: date(row.breachedAt),
                    confirmationAppliedAt: date(row.confirmationAppliedAt), court: row.court,
                    courtDecision: try row.courtDecision.map { try value($0, "court decision") }, courtDecidedAt: date(row.courtDecidedAt),
                    courtNote: row.courtNote)
            },
            followUps: followUps.map {
                Dispute.FollowUp(number: $0.number, at: Date(millisecondsSince1970: $0.at), byUserID: $0.byUserId, carriedOut: $0.carriedOut != 0, note: $0.note)
            },
            legalRoutes: try root.legalRoutes.split(separator: ",").map { try value(String($0), "legal route") },
            endedAt: date(root.endedAt), endNote: root.endNote, reopenCount: root.reopenCount,
            registeredAt: Date(millisecondsSince1970: root.registeredAt))
    }
}

/// A part row of a dispute, grouped by its case when read.
protocol HasCase { var caseId: Int64 { get } }
extension DisputeRows.Party: HasCase {}
extension DisputeRows.Session: HasCase {}
extension DisputeRows.Agreement: HasCase {}
extension DisputeRows.Obligation: HasCase {}
extension DisputeRows.FollowUp: HasCase {}
