public import Foundation

/// A step of the petition procedure, with what it needs.
public enum PetitionStep: Sendable, Hashable {
    /// Send it to the body with the remit (转送/交办, Art. 22).
    case route(to: PetitionUnit)
    /// The body it reached says it is not its remit, with reasons (Art. 23).
    case object(reason: String)
    /// Tell the petitioner it is accepted: the acceptance notice (受理告知书, Art. 23).
    case accept(notice: String)
    /// Tell the petitioner it is not accepted, and why (Art. 23).
    case notAccept(reason: String)
    /// Extend the reply limit once, approved by the unit head, the reason told to the petitioner (Art. 34).
    case extend(by: TimeLimit, approvedBy: String, reason: String)
    /// The written reply (信访处理意见书, Art. 34), or the reviewer's answer (Art. 35–36).
    case reply(text: String)
    /// The petitioner asks for a review (复查, Art. 35), then a re-review (复核, Art. 36).
    case requestReview(reason: String, reviewingUnit: PetitionUnit)
    /// A matter for a legal route is guided there with a written reason (诉访分离, Art. 31).
    case guide(route: LegalRoute, reason: String)

    /// Its name in the step log and the API.
    public var name: String {
        switch self {
        case .route: "route"
        case .object: "object"
        case .accept: "accept"
        case .notAccept: "notAccept"
        case .extend: "extend"
        case .reply: "reply"
        case .requestReview: "requestReview"
        case .guide: "guide"
        }
    }

    /// The text the step puts on record: the notice, reason or reply.
    public var text: String? {
        switch self {
        case .route: nil
        case .object(let text), .accept(let text), .notAccept(let text), .reply(let text), .extend(_, _, let text),
            .requestReview(let text, _), .guide(_, let text):
            text
        }
    }
}

/// What a step made of a petition: the next record, the misses it recorded, and the details its
/// log entry keeps.
public struct PetitionTransition: Sendable, Hashable {
    public var step: PetitionStep
    public var from: PetitionStage
    public var petition: Petition
    public var misses: [PetitionMiss]
    public var details: [String: String]
}

/// The rules of the 信访工作条例 on one petition: whether a step may be taken now, by whom, and
/// what it changes. Pure: the limits and calendar in force come in. Every refusal names its article.
public enum PetitionProcedure {
    /// The longest text a notice, reason or reply may have.
    public static let maxText = 20_000

    public static func decide(
        _ step: PetitionStep, on petition: Petition, by unit: PetitionUnit, limits: PetitionLimits, calendar: WorkCalendar,
        now: Date
    ) throws(DomainError) -> PetitionTransition {
        if let text = step.text {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else {
                throw DomainError.invalid(field: textField(step), "\(step.name) needs \(textField(step)): the petitioner is told it in writing")
            }
            guard trimmed.count <= maxText else {
                throw DomainError.invalid(field: textField(step), "\(textField(step)) is at most \(maxText) characters")
            }
        }
        let clocks = petition.clocks(limits: limits, calendar: calendar)
        func clock(_ limit: PetitionLimit) -> PetitionClock? { clocks.first { $0.limit == limit } }
        /// A limit this step closes, recorded as missed against its holder when the step comes late.
        func closes(_ limit: PetitionLimit) -> [PetitionMiss] {
            guard let clock = clock(limit), clock.dueAt <= now else { return [] }
            return [PetitionMiss(caseID: petition.caseID, limit: limit, unit: clock.unit, dueAt: clock.dueAt, recordedAt: now)]
        }
        func refuse(_ message: String) -> DomainError {
            DomainError(.notAllowedInState, "petition \(petition.caseID) is \(petition.stage.rawValue): \(message)")
        }
        func mustHold(_ holder: PetitionUnit?, _ article: String) throws(DomainError) {
            guard holder == unit else {
                throw DomainError(.forbidden, "only the unit holding petition \(petition.caseID) (\(holder?.description ?? "none")) may \(step.name) it (\(article))")
            }
        }

        var next = petition
        next.version += 1
        var misses: [PetitionMiss] = []
        var details: [String: String] = [:]
        switch step {
        case .route(let target):
            guard petition.stage == .registered else {
                throw refuse("only a registered petition is routed (信访工作条例 Art. 22)")
            }
            try mustHold(petition.registeringUnit, PetitionLimit.route.article)
            guard target != petition.registeringUnit else {
                throw DomainError.invalid(field: "to", "a petition is routed to another body; the registering body accepts it itself (信访工作条例 Art. 23)")
            }
            misses = closes(.route)
            next.stage = .routed
            next.handlingUnit = target
            next.routedAt = now
            details["to"] = target.description
        case .object:
            guard petition.stage == .routed, let routedAt = petition.routedAt else {
                throw refuse("only a routed petition may be objected to (信访工作条例 Art. 23)")
            }
            try mustHold(petition.handlingUnit, PetitionLimit.objection.article)
            let due = calendar.due(from: routedAt, limit: limits.objection)
            guard now < due else {
                throw refuse("an objection that the matter is not its remit is made within \(limits.objection) of routing, by \(due.formatted(.iso8601)) (信访工作条例 Art. 23)")
            }
            // Back to the registering body, which routes it afresh under a new routing limit.
            details["from"] = petition.handlingUnit?.description
            next.stage = .registered
            next.handlingUnit = nil
            next.routedAt = nil
            next.routeStartedAt = now
        case .accept, .notAccept:
            guard petition.stage == .registered || petition.stage == .routed else {
                throw refuse("whether a petition is accepted is told once, before it is handled (信访工作条例 Art. 23)")
            }
            // A petition addressed to the registering body itself is accepted there (Art. 23).
            let holder = petition.stage == .registered ? petition.registeringUnit : petition.handlingUnit
            try mustHold(holder, PetitionLimit.notice.article)
            misses = closes(.notice)
            next.handlingUnit = holder
            if case .accept = step {
                next.stage = .accepted
                next.acceptedAt = now
                details["replyDueAt"] = calendar.due(from: now, limit: limits.reply).formatted(.iso8601)
            } else {
                next.stage = .notAccepted
            }
        case .extend(let by, let approvedBy, let reason):
            guard petition.stage == .accepted else {
                throw refuse("only the reply of an accepted petition is extended (信访工作条例 Art. 34)")
            }
            try mustHold(petition.handlingUnit, PetitionLimit.reply.article)
            guard petition.replyExtension == nil else {
                throw refuse("the reply limit may be extended only once (信访工作条例 Art. 34)")
            }
            guard by.approximateDays <= limits.maximumExtension.approximateDays else {
                throw DomainError.invalid(field: "extendBy", "an extension is at most \(limits.maximumExtension) (信访工作条例 Art. 34)")
            }
            let approver = approvedBy.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !approver.isEmpty, approver.count <= 100 else {
                throw DomainError.invalid(field: "approvedBy", "an extension needs the name of the unit head who approved it (信访工作条例 Art. 34)")
            }
            if let reply = clock(.reply), reply.dueAt <= now {
                throw refuse("the reply was due \(reply.dueAt.formatted(.iso8601)); a limit already missed is not extended (信访工作条例 Art. 34)")
            }
            next.replyExtension = .init(by: by, approvedBy: approver, reason: reason)
            details["extendBy"] = by.description
            details["approvedBy"] = approver
        case .reply:
            guard petition.stage == .accepted || petition.stage == .underReview else {
                throw refuse("a written reply follows acceptance or a review request (信访工作条例 Art. 34–36)")
            }
            try mustHold(petition.handlingUnit, PetitionLimit.reply.article)
            misses = closes(petition.stage == .accepted ? .reply : .reviewReply)
            next.stage = .replied
            next.repliedAt = now
        case .requestReview(_, let reviewer):
            guard petition.stage == .replied, let repliedAt = petition.repliedAt else {
                throw refuse("a review (复查) is asked for after the written reply (信访工作条例 Art. 35)")
            }
            guard petition.reviewCount < TimeLimit.petitionReviews else {
                throw refuse("it has had its review and re-review (复核); the same facts and reasons are not accepted again (信访工作条例 Art. 36)")
            }
            let window = calendar.due(from: repliedAt, limit: limits.review)
            guard now < window else {
                throw refuse("a review is asked for within \(limits.review) of the reply, by \(window.formatted(.iso8601)) (信访工作条例 Art. \(petition.reviewCount == 0 ? 35 : 36))")
            }
            next.stage = .underReview
            next.reviewCount += 1
            next.reviewRequestedAt = now
            next.handlingUnit = reviewer
            details["review"] = next.reviewCount == 1 ? "复查" : "复核"
            details["reviewingUnit"] = reviewer.description
        case .guide(let route, _):
            guard [.registered, .routed, .accepted].contains(petition.stage) else {
                throw refuse("a matter is guided to a legal route before it is answered (信访工作条例 Art. 31)")
            }
            let holder = petition.stage == .registered ? petition.registeringUnit : petition.handlingUnit
            try mustHold(holder, "信访工作条例 Art. 31")
            next.stage = .guided
            next.legalRoute = route
            details["route"] = route.rawValue
        }
        return PetitionTransition(step: step, from: petition.stage, petition: next, misses: misses, details: details)
    }

    /// The steps a unit may try on a petition now, by name: what a page offers as forms. Limits
    /// are left to `decide`, so a late objection is refused with its article rather than hidden.
    public static func offeredSteps(on petition: Petition, to unit: PetitionUnit) -> [String] {
        let holder = petition.stage == .registered ? petition.registeringUnit : petition.handlingUnit
        switch petition.stage {
        case .registered where holder == unit: return ["route", "accept", "notAccept", "guide"]
        case .routed where holder == unit: return ["object", "accept", "notAccept", "guide"]
        case .accepted where holder == unit: return petition.replyExtension == nil ? ["reply", "extend", "guide"] : ["reply", "guide"]
        case .underReview where holder == unit: return ["reply"]
        // The petitioner's request for a review is registered by whichever body receives it.
        case .replied where petition.reviewCount < TimeLimit.petitionReviews: return ["requestReview"]
        default: return []
        }
    }

    /// The input field that carries a step's text.
    static func textField(_ step: PetitionStep) -> String {
        switch step {
        case .accept: "notice"
        case .reply: "text"
        default: "reason"
        }
    }
}
