public import Foundation

/// The mediation file of a dispute case (调解卷宗, 人民调解法 Art. 27): who is in dispute, about
/// what, who mediates, every session, the agreement and what became of it. Kept beside the case,
/// whose timeline records each step.
public struct Dispute: Codable, Sendable, Hashable {
    public var caseID: Int64
    /// Bumped by every step; a step decided on an older version loses (HTTP 409).
    public var version: Int
    public var status: DisputeStatus
    public var type: DisputeType
    /// The sum in dispute, in whole yuan; nil when nothing is claimed in money.
    public var amountYuan: Int64?
    public var peopleInvolved: Int
    public var summary: String
    public var bodyID: Int64?
    /// Set when a risk of violence was reported to the police (Art. 25): the dispute is red.
    public var violenceReportedAt: Date?
    /// Why the dispute is major and belongs to the centre's chief mediator office; nil when it is not.
    public var majorReason: String?
    public var parties: [Party]
    public var sessions: [Session]
    /// Every agreement drafted, in order; one not carried out stays on file beside its successor.
    public var agreements: [Agreement]
    public var followUps: [FollowUp]
    /// The legal routes the parties were told of when mediation was refused or failed (Art. 26).
    public var legalRoutes: [LegalRoute]
    public var endedAt: Date?
    public var endNote: String?
    /// How often an agreement not carried out sent the dispute back to mediation.
    public var reopenCount: Int
    public var registeredAt: Date

    public init(
        caseID: Int64, version: Int = 1, status: DisputeStatus = .registered, type: DisputeType, amountYuan: Int64? = nil,
        peopleInvolved: Int, summary: String, bodyID: Int64? = nil, violenceReportedAt: Date? = nil,
        majorReason: String? = nil, parties: [Party], sessions: [Session] = [], agreements: [Agreement] = [],
        followUps: [FollowUp] = [], legalRoutes: [LegalRoute] = [], endedAt: Date? = nil, endNote: String? = nil,
        reopenCount: Int = 0, registeredAt: Date
    ) {
        self.caseID = caseID
        self.version = version
        self.status = status
        self.type = type
        self.amountYuan = amountYuan
        self.peopleInvolved = peopleInvolved
        self.summary = summary
        self.bodyID = bodyID
        self.violenceReportedAt = violenceReportedAt
        self.majorReason = majorReason
        self.parties = parties
        self.sessions = sessions
        self.agreements = agreements
        self.followUps = followUps
        self.legalRoutes = legalRoutes
        self.endedAt = endedAt
        self.endNote = endNote
        self.reopenCount = reopenCount
        self.registeredAt = registeredAt
    }

    /// The agreement in force or being drafted: the last one, unless it was broken.
    public var currentAgreement: Agreement? {
        agreements.last.flatMap { $0.breachedAt == nil ? $0 : nil }
    }

    /// The risk colour of DOMAIN.md §8: red for violence or a major dispute, yellow for a failed
    /// mediation or a broken agreement, green otherwise.
    public var riskColour: RiskColour {
        if violenceReportedAt != nil || majorReason != nil { return .red }
        if status == .noAgreement || status == .refused || reopenCount > 0 { return .yellow }
        return .green
    }

    /// The parties who sign an agreement: every applicant and respondent.
    public var signingParties: [Party] { parties.filter { $0.role != .thirdParty } }
}

public enum RiskColour: String, Codable, Sendable, CaseIterable {
    case green, yellow, red
}

extension Dispute {
    public struct Party: Codable, Sendable, Hashable {
        /// 1, 2, … within the dispute, in the order registered.
        public var number: Int
        public var kind: PartyKind
        public var role: PartyRole
        public var name: String
        public var phone: String?
        public var idNumber: String?
        public var consent: PartyConsent
        public var consentNote: String?

        public init(
            number: Int, kind: PartyKind, role: PartyRole, name: String, phone: String? = nil, idNumber: String? = nil,
            consent: PartyConsent = .pending, consentNote: String? = nil
        ) {
            self.number = number
            self.kind = kind
            self.role = role
            self.name = name
            self.phone = phone
            self.idNumber = idNumber
            self.consent = consent
            self.consentNote = consentNote
        }

        /// The party as a post that may not see personal data reads it: phone and ID number masked.
        public var masked: Party {
            var party = self
            party.phone = phone.map(PersonalData.maskPhone)
            party.idNumber = idNumber.map(PersonalData.maskIDNumber)
            return party
        }
    }

    /// One mediation session (调解记录): when, where or over which video link, who took part, what was said.
    public struct Session: Codable, Sendable, Hashable {
        public var number: Int
        public var startsAt: Date
        public var place: String?
        public var videoLink: String?
        public var participants: [String]
        public var record: String
        public var recordedByUserID: Int64

        public init(
            number: Int, startsAt: Date, place: String?, videoLink: String?, participants: [String], record: String,
            recordedByUserID: Int64
        ) {
            self.number = number
            self.startsAt = startsAt
            self.place = place
            self.videoLink = videoLink
            self.participants = participants
            self.record = record
            self.recordedByUserID = recordedByUserID
        }
    }

    /// A written mediation agreement (人民调解协议书, Art. 28–30): in effect once every signing
    /// party and the mediator signed and the body stamped it.
    public struct Agreement: Codable, Sendable, Hashable {
        public var number: Int
        public var facts: String
        public var terms: String
        public var obligations: [Obligation]
        public var draftedAt: Date
        /// Party number → when that party signed (or sealed, or put a fingerprint).
        public var partySignatures: [Int: Date]
        public var mediatorUserID: Int64?
        public var mediatorSignedAt: Date?
        public var stampedAt: Date?
        public var effectiveAt: Date?
        /// When a follow-up found it not carried out, which reopened the dispute.
        public var breachedAt: Date?
        public var confirmationAppliedAt: Date?
        public var court: String?
        public var courtDecision: CourtDecision?
        public var courtDecidedAt: Date?
        public var courtNote: String?

        public init(
            number: Int, facts: String, terms: String, obligations: [Obligation], draftedAt: Date,
            partySignatures: [Int: Date] = [:], mediatorUserID: Int64? = nil, mediatorSignedAt: Date? = nil,
            stampedAt: Date? = nil, effectiveAt: Date? = nil, breachedAt: Date? = nil, confirmationAppliedAt: Date? = nil,
            court: String? = nil, courtDecision: CourtDecision? = nil, courtDecidedAt: Date? = nil, courtNote: String? = nil
        ) {
            self.number = number
            self.facts = facts
            self.terms = terms
            self.obligations = obligations
            self.draftedAt = draftedAt
            self.partySignatures = partySignatures
            self.mediatorUserID = mediatorUserID
            self.mediatorSignedAt = mediatorSignedAt
            self.stampedAt = stampedAt
            self.effectiveAt = effectiveAt
            self.breachedAt = breachedAt
            self.confirmationAppliedAt = confirmationAppliedAt
            self.court = court
            self.courtDecision = courtDecision
            self.courtDecidedAt = courtDecidedAt
            self.courtNote = courtNote
        }
    }

    /// What one party undertakes, by when.
    public struct Obligation: Codable, Sendable, Hashable {
        public var number: Int
        public var partyNumber: Int
        public var text: String
        public var dueOn: Date

        public init(number: Int, partyNumber: Int, text: String, dueOn: Date) {
            self.number = number
            self.partyNumber = partyNumber
            self.text = text
            self.dueOn = dueOn
        }
    }

    /// A visit to see the agreement carried out (回访, Art. 31).
    public struct FollowUp: Codable, Sendable, Hashable {
        public var number: Int
        public var at: Date
        public var byUserID: Int64
        public var carriedOut: Bool
        public var note: String

        public init(number: Int, at: Date, byUserID: Int64, carriedOut: Bool, note: String) {
            self.number = number
            self.at = at
            self.byUserID = byUserID
            self.carriedOut = carriedOut
            self.note = note
        }
    }
}
