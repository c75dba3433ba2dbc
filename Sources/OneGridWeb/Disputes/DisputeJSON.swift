import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// A dispute's file as the API writes it, parties masked as the use case gave them.
struct DisputeJSON: ResponseEncodable {
    struct BodyJSON: ResponseCodable {
        var id: Int64
        var name: String
        var kind: MediationBodyKind
        var level: AdminLevel
        var areaID: Int64
        var memberUserIDs: [Int64]
        var retiredAt: Date?

        init(_ body: MediationBody) {
            (id, name, kind, level, areaID, memberUserIDs) = (body.id, body.name, body.kind, body.level, body.areaID, body.memberUserIDs)
            retiredAt = body.retiredAt
        }
    }

    struct SignatureJSON: Codable {
        var party: Int
        var at: Date
    }

    struct AgreementJSON: Codable {
        var number: Int
        var facts: String
        var terms: String
        var draftedAt: Date
        var obligations: [Dispute.Obligation]
        var signatures: [SignatureJSON]
        var mediatorUserID: Int64?
        var mediatorSignedAt: Date?
        var stampedAt: Date?
        var effectiveAt: Date?
        var breachedAt: Date?
        var confirmationAppliedAt: Date?
        var court: String?
        var courtDecision: CourtDecision?
        var courtDecidedAt: Date?
        var courtNote: String?

        init(_ agreement: Dispute.Agreement) {
            number = agreement.number
            facts = agreement.facts
            terms = agreement.terms
            draftedAt = agreement.draftedAt
            obligations = agreement.obligations
            signatures = agreement.partySignatures.sorted { $0.key < $1.key }.map { SignatureJSON(party: $0.key, at: $0.value) }
            mediatorUserID = agreement.mediatorUserID
            mediatorSignedAt = agreement.mediatorSignedAt
            stampedAt = agreement.stampedAt
            effectiveAt = agreement.effectiveAt
            breachedAt = agreement.breachedAt
            confirmationAppliedAt = agreement.confirmationAppliedAt
            court = agreement.court
            courtDecision = agreement.courtDecision
            courtDecidedAt = agreement.courtDecidedAt
            courtNote = agreement.courtNote
        }
    }

    var caseID: Int64
    var version: Int
    var caseVersion: Int?
    var status: DisputeStatus
    var type: DisputeType
    var amountYuan: Int64?
    var peopleInvolved: Int
    var summary: String
    var riskColour: RiskColour
    var majorReason: String?
    var violenceReportedAt: Date?
    var body: BodyJSON?
    var parties: [Dispute.Party]
    var sessions: [Dispute.Session]
    var agreements: [AgreementJSON]
    var followUps: [Dispute.FollowUp]
    var legalRoutes: [LegalRoute]
    var endedAt: Date?
    var endNote: String?
    var reopenCount: Int
    var registeredAt: Date
    var followUpDue: Date?
    var allowedSteps: [String]?

    /// A desk's row carries no body or allowed steps; a file carries both.
    init(_ dispute: Dispute, body: MediationBody? = nil, caseVersion: Int? = nil, allowedSteps: [String]? = nil) {
        caseID = dispute.caseID
        version = dispute.version
        self.caseVersion = caseVersion
        status = dispute.status
        type = dispute.type
        amountYuan = dispute.amountYuan
        peopleInvolved = dispute.peopleInvolved
        summary = dispute.summary
        riskColour = dispute.riskColour
        majorReason = dispute.majorReason
        violenceReportedAt = dispute.violenceReportedAt
        self.body = body.map(BodyJSON.init)
        parties = dispute.parties
        sessions = dispute.sessions
        agreements = dispute.agreements.map(AgreementJSON.init)
        followUps = dispute.followUps
        legalRoutes = dispute.legalRoutes
        endedAt = dispute.endedAt
        endNote = dispute.endNote
        reopenCount = dispute.reopenCount
        registeredAt = dispute.registeredAt
        followUpDue = dispute.followUpDue
        self.allowedSteps = allowedSteps
    }

    init(_ file: Mediation.File) {
        self.init(file.dispute, body: file.body, caseVersion: file.record.file.version, allowedSteps: file.allowedSteps)
    }
}
