import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension MediationPages {
    /// The mediator's home: what falls due, what was held this week, and every dispute of their bodies.
    @Sendable func desk(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let desk = try await mediation.desk(for: context.principal)
        let now = site.services.clock.now
        func href(_ id: Int64) -> String { SiteURL.dispute(.value(id)).path }
        let model = MediationDeskPage(
            bodies: desk.bodies.map(\.name).joined(separator: "、"),
            disputes: desk.disputes.map { dispute in
                .init(
                    href: href(dispute.caseID), caseID: dispute.caseID, summary: dispute.summary,
                    type: t.text("mediation.type.\(dispute.type.rawValue)"), status: t.text("mediation.status.\(dispute.status.rawValue)"),
                    riskState: dispute.riskColour.rawValue, risk: t.text("mediation.risk.\(dispute.riskColour.rawValue)"),
                    parties: dispute.parties.map(\.name).joined(separator: "、"), registered: formats.dateTime(dispute.registeredAt),
                    followUpDue: dispute.followUpDue.map(formats.dateTime) ?? "")
            },
            sessions: desk.sessionsThisWeek.map { row in
                .init(
                    href: href(row.caseID), caseID: row.caseID, at: formats.dateTime(row.session.startsAt),
                    place: row.session.place ?? row.session.videoLink ?? "", participants: row.session.participants.joined(separator: "、"))
            },
            due: desk.followUpsDue.map { .init(href: href($0.caseID), caseID: $0.caseID, due: formats.dateTime($0.due), overdue: $0.due < now) })
        let layout = Layout(title: t.text("mediation.deskTitle"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("mediation-desk", model, layout: layout)
    }
}
