public import Foundation

/// The rules of people's mediation (人民调解法, 2010): given a dispute, a step and the post taking
/// it, the dispute it becomes, or a refusal naming the article that forbids it.
public enum MediationWorkflow {
    /// The days after an agreement takes effect within which the parties apply jointly for
    /// judicial confirmation (Art. 33).
    public static let confirmationWindowDays = 30
    /// The legal routes a failed mediation points to (Art. 26).
    public static let otherRoutes: [LegalRoute] = [.arbitration, .litigation, .administrativeRuling]

    /// Opens the file of a dispute case, by a dispatcher whose centre holds it.
    public static func register(
        _ form: DisputeForm, on file: CaseFile, categoryKind: CategoryKind, by post: Post, rule: MajorDisputeRule, at now: Date
    ) throws(DomainError) -> MediationChange {
        guard DisputePolicy.mayRegister(file, as: post) else {
            throw DomainError(.forbidden, "only a dispatcher whose centre holds case \(file.id) registers its dispute")
        }
        let dispute = try Dispute.register(form, caseID: file.id, categoryKind: categoryKind, rule: rule, at: now)
        var details = ["type": dispute.type.rawValue, "parties": String(dispute.parties.count)]
        details["major"] = dispute.majorReason
        return MediationChange(dispute: dispute, step: "register", note: nil, details: details)
    }

    public static func decide(
        _ step: MediationStep, on dispute: Dispute, case file: CaseFile, body: MediationBody?, by post: Post,
        rule: MajorDisputeRule, at now: Date
    ) throws(DomainError) -> MediationChange {
        try DisputePolicy.check(step.kind, on: dispute, case: file, body: body, as: post)
        var next = dispute
        next.version += 1
        var details: [String: String] = [:]
        var note: String?

        switch step {
        case .assign(let target):
            try requireOpen(dispute, for: step)
            guard target.retiredAt == nil else {
                throw DomainError.invalid(field: "bodyID", "\(target.name) is retired and takes no new dispute")
            }
            guard target.areaID == file.areas[target.level] else {
                throw DomainError.invalid(field: "bodyID", "\(target.name) does not serve the place of case \(file.id)")
            }
            if let reason = dispute.majorReason, target.kind != .centreChiefMediator {
                throw DomainError(
                    .notAllowedInState, "a major dispute (\(reason)) goes to the centre's chief mediator office, not to \(target.name)",
                    field: "bodyID")
            }
            next.bodyID = target.id
            next.status = .mediating
            details["bodyID"] = String(target.id)
        case .referToCentre(let reason):
            try requireOpen(dispute, for: step)
            note = try text(reason, field: "note", "why the dispute goes to the centre")
            next.majorReason = note
            // The committee that had it lets it go; the centre assigns its chief mediator office.
            next.bodyID = nil
            next.status = .registered
        case .addParty(let form):
            try requireOpen(dispute, for: step)
            guard dispute.parties.count < Dispute.maximumParties else {
                throw DomainError.invalid(field: "newParty", "a dispute holds \(Dispute.maximumParties) parties at most; count the others in peopleInvolved")
            }
            let party = try Dispute.party(form, number: (dispute.parties.map(\.number).max() ?? 0) + 1, field: "newParty")
            next.parties.append(party)
            next.peopleInvolved = max(dispute.peopleInvolved, next.parties.count)
            // More people may make it a major dispute, for the centre's chief mediator office.
            next.majorReason = dispute.majorReason ?? rule.reason(for: next)
            details["party"] = String(party.number)
            details["role"] = party.role.rawValue
        case .consent(let number):
            try requireOpen(dispute, for: step)
            let index = try partyIndex(number, in: dispute)
            next.parties[index].consent = .consented
            details["party"] = String(number)
        case .refuse(let number, let reason):
            try requireOpen(dispute, for: step)
            let index = try partyIndex(number, in: dispute)
            note = try text(reason, field: "note", "what the party said")
            next.parties[index].consent = .refused
            next.parties[index].consentNote = note
            next.end(.refused, routes: otherRoutes, note: note, at: now)
            details["party"] = String(number)
            details["law"] = "人民调解法 Art. 17"
        case .reportViolence(let report):
            guard dispute.status.isOpen || dispute.status == .agreed else {
                throw DomainError(.notAllowedInState, "the dispute is \(dispute.status.rawValue); report a new risk as a new case")
            }
            note = try text(report, field: "note", "the risk seen and the police station told")
            next.violenceReportedAt = dispute.violenceReportedAt ?? now
            next.majorReason = dispute.majorReason ?? rule.reason(for: next)
            details["risk"] = RiskColour.red.rawValue
            details["law"] = "人民调解法 Art. 25"
        case .recordSession(let form):
            try requireMediating(dispute, for: step)
            let session = try Self.session(form, number: dispute.sessions.count + 1, by: post.userID, at: now)
            next.sessions.append(session)
            details["session"] = String(session.number)
        case .draftAgreement(let form):
            try requireMediating(dispute, for: step)
            guard dispute.signingParties.count >= 2 else {
                throw DomainError(
                    .notAllowedInState,
                    "an agreement binds two parties at least; this dispute has \(dispute.signingParties.count) (人民调解法 Art. 28–29)")
            }
            // A new draft replaces one not yet in effect; a broken one stays on file.
            let number = dispute.currentAgreement.map { _ in next.agreements.removeLast().number } ?? dispute.agreements.count + 1
            next.agreements.append(try agreement(form, number: number, parties: dispute.parties, at: now))
            details["agreement"] = String(number)
        case .signAsParty(let number):
            try requireMediating(dispute, for: step)
            let index = try partyIndex(number, in: dispute)
            guard dispute.parties[index].role != .thirdParty else {
                throw DomainError.invalid(field: "party", "party \(number) is a third party and does not sign the agreement")
            }
            try next.amendDraft(for: step) { $0.partySignatures[number] = now }
            details["party"] = String(number)
        case .signAsMediator:
            try requireMediating(dispute, for: step)
            try next.amendDraft(for: step) {
                $0.mediatorUserID = post.userID
                $0.mediatorSignedAt = now
            }
        case .stamp:
            try requireMediating(dispute, for: step)
            try next.amendDraft(for: step) { $0.stampedAt = now }
        case .endWithoutAgreement(let routes, let reason):
            try requireOpen(dispute, for: step)
            note = try text(reason, field: "note", "why mediation failed")
            guard !routes.isEmpty, routes.allSatisfy(otherRoutes.contains) else {
                let names = otherRoutes.map(\.rawValue).joined(separator: ", ")
                throw DomainError.invalid(
                    field: "routes", "expected the legal routes the parties were told of, among \(names) (人民调解法 Art. 26)")
            }
            next.end(.noAgreement, routes: routes, note: note, at: now)
            details["routes"] = routes.map(\.rawValue).joined(separator: ",")
            details["law"] = "人民调解法 Art. 26"
        case .withdraw(let reason):
            try requireOpen(dispute, for: step)
            note = try text(reason, field: "note", "who withdrew and why")
            next.end(.withdrawn, routes: [], note: note, at: now)
        case .followUp(let carriedOut, let visit):
            guard dispute.status == .agreed, let agreement = dispute.currentAgreement, agreement.effectiveAt != nil else {
                throw DomainError(
                    .notAllowedInState, "only an agreement in effect is followed up (人民调解法 Art. 31); the dispute is \(dispute.status.rawValue)")
            }
            note = try text(visit, field: "note", "what the visit found")
            next.followUps.append(
                Dispute.FollowUp(number: dispute.followUps.count + 1, at: now, byUserID: post.userID, carriedOut: carriedOut, note: note!))
            details["carriedOut"] = String(carriedOut)
            if !carriedOut {
                // Not carried out: the agreement stays on file as broken and mediation starts again.
                next.agreements[next.agreements.count - 1].breachedAt = now
                next.status = .mediating
                next.endedAt = nil
                next.reopenCount += 1
                details["reopened"] = "true"
            }
        case .applyForConfirmation(let court, let parties):
            guard dispute.status == .agreed, let agreement = dispute.currentAgreement, let effectiveAt = agreement.effectiveAt else {
                throw DomainError(.notAllowedInState, "only an agreement in effect is confirmed by a court (人民调解法 Art. 33)")
            }
            guard agreement.confirmationAppliedAt == nil else {
                throw DomainError(.notAllowedInState, "judicial confirmation was already applied for")
            }
            let deadline = effectiveAt.addingTimeInterval(Double(confirmationWindowDays) * 86_400)
            guard now <= deadline else {
                throw DomainError(
                    .notAllowedInState,
                    "judicial confirmation is applied for within \(confirmationWindowDays) days of the agreement taking effect (人民调解法 Art. 33)")
            }
            guard Set(parties) == Set(dispute.signingParties.map(\.number)) else {
                throw DomainError.invalid(
                    field: "parties", "the parties apply jointly: expected every signing party (\(dispute.signingParties.map(\.number))) (人民调解法 Art. 33)")
            }
            let courtName = try text(court, field: "court", "the court applied to")
            next.agreements[next.agreements.count - 1].confirmationAppliedAt = now
            next.agreements[next.agreements.count - 1].court = courtName
            details["court"] = courtName
            details["law"] = "人民调解法 Art. 33"
        case .recordCourtDecision(let decision, let remark):
            guard let agreement = dispute.currentAgreement, agreement.confirmationAppliedAt != nil else {
                throw DomainError(.notAllowedInState, "no application for judicial confirmation awaits a decision")
            }
            guard agreement.courtDecision == nil else {
                throw DomainError(.notAllowedInState, "the court's decision is already recorded")
            }
            note = remark.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            next.agreements[next.agreements.count - 1].courtDecision = decision
            next.agreements[next.agreements.count - 1].courtDecidedAt = now
            next.agreements[next.agreements.count - 1].courtNote = note
            details["decision"] = decision.rawValue
        }
        next.takeEffectWhenComplete(at: now)
        if next.status == .agreed, dispute.status != .agreed { details["effective"] = "true" }
        return MediationChange(dispute: next, step: step.name, note: note, details: details)
    }

    private static func requireOpen(_ dispute: Dispute, for step: MediationStep) throws(DomainError) {
        guard dispute.status.isOpen else {
            throw DomainError(.notAllowedInState, "the dispute is \(dispute.status.rawValue); \(step.name) is not allowed there")
        }
    }

    /// Mediation itself needs a body and no refusal: a refusal ends the dispute (Art. 17).
    private static func requireMediating(_ dispute: Dispute, for step: MediationStep) throws(DomainError) {
        if dispute.status == .refused {
            throw DomainError(.notAllowedInState, "a party refused mediation; it may not go on (人民调解法 Art. 17)")
        }
        try requireOpen(dispute, for: step)
        guard dispute.status == .mediating, dispute.bodyID != nil else {
            throw DomainError(.notAllowedInState, "assign a mediation body first; \(step.name) is not allowed before")
        }
    }

    private static func partyIndex(_ number: Int, in dispute: Dispute) throws(DomainError) -> Int {
        guard let index = dispute.parties.firstIndex(where: { $0.number == number }) else {
            throw DomainError.invalid(field: "party", "expected a party number of this dispute (1–\(dispute.parties.count)), got \(number)")
        }
        return index
    }

    private static func text(_ raw: String?, field: String, _ what: String, limit: Int = 5_000) throws(DomainError) -> String {
        let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard (1...limit).contains(text.count) else {
            throw DomainError.invalid(field: field, "expected \(what), 1–\(limit) characters")
        }
        return text
    }

    static func session(_ form: SessionForm, number: Int, by userID: Int64, at now: Date) throws(DomainError) -> Dispute.Session {
        guard let startsAt = form.startsAt else { throw DomainError.invalid(field: "startsAt", "expected when the session took place") }
        guard startsAt <= now else {
            throw DomainError.invalid(field: "startsAt", "a session is recorded once held; expected a time before now")
        }
        let place = form.place.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let videoLink = form.videoLink.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        guard place != nil || videoLink != nil else {
            throw DomainError.invalid(field: "place", "expected the place of the session or its video link")
        }
        if let videoLink, !(videoLink.hasPrefix("https://") || videoLink.hasPrefix("http://")) || videoLink.count > 500 {
            throw DomainError.invalid(field: "videoLink", "expected an http(s) link of at most 500 characters")
        }
        let participants = (form.participants ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !participants.isEmpty, participants.count <= 100, participants.allSatisfy({ $0.count <= 200 }) else {
            throw DomainError.invalid(field: "participants", "expected who took part: 1–100 names")
        }
        let record = try text(form.record, field: "record", "the session's record (调解记录)", limit: 20_000)
        return Dispute.Session(
            number: number, startsAt: startsAt, place: place, videoLink: videoLink, participants: participants, record: record,
            recordedByUserID: userID)
    }

    static func agreement(_ form: AgreementForm, number: Int, parties: [Dispute.Party], at now: Date) throws(DomainError)
        -> Dispute.Agreement
    {
        let facts = try text(form.facts, field: "facts", "the facts of the dispute as the parties agree them", limit: 20_000)
        let terms = try text(form.terms, field: "terms", "the terms agreed", limit: 20_000)
        var obligations: [Dispute.Obligation] = []
        for (index, obligation) in (form.obligations ?? []).enumerated() {
            let field = "obligations[\(index)]"
            guard let party = obligation.party, parties.contains(where: { $0.number == party }) else {
                throw DomainError.invalid(field: "\(field).party", "expected the number of the party who owes it")
            }
            let what = try text(obligation.text, field: "\(field).text", "what the party undertakes", limit: 2_000)
            guard let dueOn = obligation.dueOn, dueOn > now else {
                throw DomainError.invalid(field: "\(field).dueOn", "expected the date it falls due, after today")
            }
            obligations.append(Dispute.Obligation(number: index + 1, partyNumber: party, text: what, dueOn: dueOn))
        }
        return Dispute.Agreement(number: number, facts: facts, terms: terms, obligations: obligations, draftedAt: now)
    }
}

extension Dispute {
    mutating func end(_ status: DisputeStatus, routes: [LegalRoute], note: String?, at now: Date) {
        self.status = status
        legalRoutes = routes
        endNote = note
        endedAt = now
    }

    /// Signs or stamps the draft under way; an agreement in effect is not changed.
    mutating func amendDraft(for step: MediationStep, _ change: (inout Agreement) -> Void) throws(DomainError) {
        guard currentAgreement.map({ $0.effectiveAt == nil }) == true else {
            throw DomainError(.notAllowedInState, "no agreement is drafted for \(step.name); draft it first")
        }
        change(&agreements[agreements.count - 1])
    }

    /// A written agreement takes effect once every signing party and the mediator have signed
    /// and the body stamped it (Art. 29–30); the dispute is then agreed.
    mutating func takeEffectWhenComplete(at now: Date) {
        guard status == .mediating, var agreement = currentAgreement, agreement.effectiveAt == nil,
            agreement.mediatorSignedAt != nil, agreement.stampedAt != nil,
            signingParties.allSatisfy({ agreement.partySignatures[$0.number] != nil })
        else { return }
        agreement.effectiveAt = now
        agreements[agreements.count - 1] = agreement
        status = .agreed
        endedAt = now
    }

    /// When the next follow-up falls due: the first obligation of the agreement in effect due
    /// after the last visit. Nil when none is owed.
    public var followUpDue: Date? {
        guard status == .agreed, let agreement = currentAgreement, agreement.effectiveAt != nil else { return nil }
        let lastVisit = followUps.last?.at ?? .distantPast
        return agreement.obligations.map(\.dueOn).filter { $0 > lastVisit }.min() ?? (followUps.isEmpty ? agreement.effectiveAt : nil)
    }
}
