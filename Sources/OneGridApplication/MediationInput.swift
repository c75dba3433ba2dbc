public import Foundation
public import OneGridDomain

/// What a mediation step is sent with, the same for the API's JSON and the pages' forms; each
/// step reads the fields it needs and names the one missing.
public struct MediationInput: Codable, Sendable, Hashable {
    public var note: String?
    public var party: Int?
    public var parties: [Int]?
    public var bodyID: Int64?
    public var routes: [String]?
    public var carriedOut: Bool?
    public var court: String?
    public var decision: String?
    public var startsAt: Date?
    public var place: String?
    public var videoLink: String?
    public var participants: [String]?
    public var record: String?
    public var facts: String?
    public var terms: String?
    public var obligations: [AgreementForm.ObligationForm]?
    /// The party `addParty` adds.
    public var newParty: DisputeForm.PartyForm?

    public init(
        note: String? = nil, party: Int? = nil, parties: [Int]? = nil, bodyID: Int64? = nil, routes: [String]? = nil,
        carriedOut: Bool? = nil, court: String? = nil, decision: String? = nil, startsAt: Date? = nil, place: String? = nil,
        videoLink: String? = nil, participants: [String]? = nil, record: String? = nil, facts: String? = nil, terms: String? = nil,
        obligations: [AgreementForm.ObligationForm]? = nil, newParty: DisputeForm.PartyForm? = nil
    ) {
        self.note = note
        self.party = party
        self.parties = parties
        self.bodyID = bodyID
        self.routes = routes
        self.carriedOut = carriedOut
        self.court = court
        self.decision = decision
        self.startsAt = startsAt
        self.place = place
        self.videoLink = videoLink
        self.participants = participants
        self.record = record
        self.facts = facts
        self.terms = terms
        self.obligations = obligations
        self.newParty = newParty
    }

    /// The step `kind` with this input; `assign` is built by the caller, who looks up the body.
    func step(_ kind: MediationStep.Kind) throws(DomainError) -> MediationStep {
        switch kind {
        case .assign: preconditionFailure("assign names a body the caller looks up")
        case .referToCentre: .referToCentre(reason: note ?? "")
        case .addParty: .addParty(try required(newParty, "newParty", "the party to add: its role, kind, name and optionally phone and idNumber"))
        case .consent: .consent(party: try required(party, "party", "the number of the party"))
        case .refuse: .refuse(party: try required(party, "party", "the number of the party"), note: note ?? "")
        case .reportViolence: .reportViolence(note: note ?? "")
        case .recordSession:
            .recordSession(SessionForm(startsAt: startsAt, place: place, videoLink: videoLink, participants: participants, record: record))
        case .draftAgreement: .draftAgreement(AgreementForm(facts: facts, terms: terms, obligations: obligations))
        case .signAsParty: .signAsParty(try required(party, "party", "the number of the party signing"))
        case .signAsMediator: .signAsMediator
        case .stamp: .stamp
        case .endWithoutAgreement:
            .endWithoutAgreement(
                routes: try (routes ?? []).map { raw throws(DomainError) in
                    guard let route = LegalRoute(rawValue: raw) else {
                        throw DomainError.invalid(field: "routes", "'\(raw)' is not a legal route: expected arbitration, litigation or administrativeRuling")
                    }
                    return route
                }, note: note ?? "")
        case .withdraw: .withdraw(note: note ?? "")
        case .followUp: .followUp(carriedOut: try required(carriedOut, "carriedOut", "whether the agreement is carried out"), note: note ?? "")
        case .applyForConfirmation: .applyForConfirmation(court: court ?? "", parties: parties ?? [])
        case .recordCourtDecision:
            .recordCourtDecision(
                try CourtDecision(rawValue: decision ?? "").orThrow(
                    .invalid(field: "decision", "expected the court's decision: confirmed or rejected")), note: note)
        }
    }

    private func required<T>(_ value: T?, _ field: String, _ what: String) throws(DomainError) -> T {
        guard let value else { throw DomainError.invalid(field: field, "expected \(what)") }
        return value
    }
}

extension Optional {
    func orThrow(_ error: DomainError) throws(DomainError) -> Wrapped {
        guard let self else { throw error }
        return self
    }
}
