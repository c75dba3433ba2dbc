import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension MediationPages {
    /// The agreement `n` (the latest by default) as the printed 人民调解协议书; personal data masked.
    @Sendable func agreement(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let id = try Self.caseID(context)
        let services = site.services
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let file = try await mediation.file(of: id, for: context.principal)
        let dispute = file.dispute
        let wanted = request.uri.queryParameters.get("n").flatMap(Int.init)
        guard let agreement = wanted.map({ n in dispute.agreements.first { $0.number == n } }) ?? dispute.agreements.last else {
            throw PageError.notFound
        }
        let names = Dictionary(uniqueKeysWithValues: dispute.parties.map { ($0.number, $0.name) })
        let mediatorName = try await services.people.users(ids: agreement.mediatorUserID.map { [$0] } ?? []).values.first?.displayName
        let number = CaseJSON.number(of: file.record, calendar: services.calendar)
        let signing = dispute.signingParties
        let model = MediationAgreementPage(
            city: services.directory.areas.values.first { $0.level == .city }?.name ?? t.text("app.name"),
            body: file.body?.name ?? "", number: t.text("mediation.agreementNumber", ["number": number, "n": "\(agreement.number)"]),
            parties: dispute.parties.map { party in
                .init(
                    role: t.text("mediation.partyRole.\(party.role.rawValue)"), name: party.name,
                    details: [t.text("mediation.partyKind.\(party.kind.rawValue)"), party.phone, party.idNumber].compactMap { $0 }.joined(separator: "　"))
            },
            facts: agreement.facts, terms: agreement.terms,
            obligations: agreement.obligations.map {
                t.text("mediation.obligationLine", ["who": names[$0.partyNumber] ?? "", "what": $0.text, "due": formats.dateTime($0.dueOn)])
            },
            copies: t.text("mediation.copies", ["n": "\(signing.count + 1)"]), effect: t.text("mediation.effect"),
            partySignatures: signing.map { party in
                .init(
                    who: t.text("mediation.partySignature", ["role": t.text("mediation.partyRole.\(party.role.rawValue)"), "name": party.name]),
                    signedAt: agreement.partySignatures[party.number].map(formats.dateTime))
            },
            mediator: .init(
                who: t.text("mediation.mediatorSignature", ["name": mediatorName ?? ""]), signedAt: agreement.mediatorSignedAt.map(formats.dateTime)),
            stampedAt: agreement.stampedAt.map(formats.dateTime),
            date: formats.dateTime(agreement.effectiveAt ?? agreement.draftedAt).prefix(10).description,
            state: Self.agreementState(agreement, t: t), disputeURL: SiteURL.dispute(.value(id)).path)
        let layout = Layout(
            title: t.text("mediation.agreementTitle", ["number": number]), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("mediation-agreement", model, layout: layout)
    }

    private static func agreementState(_ agreement: Dispute.Agreement, t: Translation) -> String {
        agreement.breachedAt != nil ? t.text("mediation.printBroken")
            : agreement.effectiveAt != nil ? t.text("mediation.printEffective") : t.text("mediation.printDraft")
    }
}
