public import Foundation

/// Every step of a mediation (人民调解法 Art. 17–33), with what it needs. The workflow decides
/// each one; the case's timeline records it under the step's name.
public enum MediationStep: Sendable, Hashable {
    /// Give the dispute to a mediation body (or move it to another).
    case assign(MediationBody)
    /// Send the dispute to the centre's chief mediator office by decision, saying why.
    case referToCentre(reason: String)
    /// A party found after the file was opened (an heir, a co-owner, a second company): added
    /// before an agreement binds, and asked for consent like the others.
    case addParty(DisputeForm.PartyForm)
    case consent(party: Int)
    /// A party refuses mediation outright: it may not go on (Art. 17).
    case refuse(party: Int, note: String)
    /// A risk of violence seen and reported to the police (Art. 25).
    case reportViolence(note: String)
    case recordSession(SessionForm)
    case draftAgreement(AgreementForm)
    case signAsParty(Int)
    case signAsMediator
    case stamp
    /// Mediation failed: ended, and the parties told their legal routes (Art. 26).
    case endWithoutAgreement(routes: [LegalRoute], note: String)
    case withdraw(note: String)
    case followUp(carriedOut: Bool, note: String)
    case applyForConfirmation(court: String, parties: [Int])
    case recordCourtDecision(CourtDecision, note: String?)

    /// The kinds of step, by the names the timeline, the API's paths and the pages' forms use.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case assign, referToCentre, addParty, consent, refuse, reportViolence, recordSession, draftAgreement, signAsParty,
            signAsMediator, stamp, endWithoutAgreement, withdraw, followUp, applyForConfirmation, recordCourtDecision

        /// Who takes the step: the centre places the dispute, the body's mediators run it, and
        /// either may report a risk of violence.
        public var roles: Set<Role> {
            switch self {
            case .assign, .referToCentre: [.dispatcher]
            case .reportViolence, .addParty: [.dispatcher, .mediator]
            default: [.mediator]
            }
        }

        /// Whether the step may be taken on the dispute as it stands: what the pages offer. The
        /// workflow refuses the rest with the reason.
        public func isAvailable(on dispute: Dispute) -> Bool {
            let draft = dispute.currentAgreement.flatMap { $0.effectiveAt == nil ? $0 : nil }
            let inEffect = dispute.status == .agreed ? dispute.currentAgreement : nil
            switch self {
            case .assign, .referToCentre, .consent, .refuse, .endWithoutAgreement, .withdraw: return dispute.status.isOpen
            case .recordSession, .draftAgreement: return dispute.status == .mediating
            case .signAsParty, .signAsMediator, .stamp: return dispute.status == .mediating && draft != nil
            case .reportViolence: return dispute.status.isOpen || dispute.status == .agreed
            case .addParty: return dispute.status.isOpen && dispute.parties.count < Dispute.maximumParties
            case .followUp: return inEffect != nil
            case .applyForConfirmation: return inEffect.map { $0.confirmationAppliedAt == nil } ?? false
            case .recordCourtDecision: return dispute.currentAgreement.map { $0.confirmationAppliedAt != nil && $0.courtDecision == nil } ?? false
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .assign: .assign
        case .referToCentre: .referToCentre
        case .addParty: .addParty
        case .consent: .consent
        case .refuse: .refuse
        case .reportViolence: .reportViolence
        case .recordSession: .recordSession
        case .draftAgreement: .draftAgreement
        case .signAsParty: .signAsParty
        case .signAsMediator: .signAsMediator
        case .stamp: .stamp
        case .endWithoutAgreement: .endWithoutAgreement
        case .withdraw: .withdraw
        case .followUp: .followUp
        case .applyForConfirmation: .applyForConfirmation
        case .recordCourtDecision: .recordCourtDecision
        }
    }

    public var name: String { kind.rawValue }
}

public struct SessionForm: Codable, Sendable, Hashable {
    public var startsAt: Date?
    public var place: String?
    public var videoLink: String?
    public var participants: [String]?
    public var record: String?

    public init(startsAt: Date?, place: String? = nil, videoLink: String? = nil, participants: [String]?, record: String?) {
        self.startsAt = startsAt
        self.place = place
        self.videoLink = videoLink
        self.participants = participants
        self.record = record
    }
}

public struct AgreementForm: Codable, Sendable, Hashable {
    public var facts: String?
    public var terms: String?
    public var obligations: [ObligationForm]?

    public struct ObligationForm: Codable, Sendable, Hashable {
        public var party: Int?
        public var text: String?
        public var dueOn: Date?

        public init(party: Int?, text: String?, dueOn: Date?) {
            self.party = party
            self.text = text
            self.dueOn = dueOn
        }
    }

    public init(facts: String?, terms: String?, obligations: [ObligationForm]?) {
        self.facts = facts
        self.terms = terms
        self.obligations = obligations
    }
}

/// What a step did: the dispute it leaves, and what the case's timeline says of it.
public struct MediationChange: Sendable, Hashable {
    public var dispute: Dispute
    public var step: String
    public var note: String?
    public var details: [String: String]
}
