import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The risk picture's JSON API (四情三色, DOMAIN.md §8): every answer is `RiskWatch`'s, scoped to
/// the caller's post as the pages are; the controller parses and shapes.
struct RiskController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.riskPicture, use: picture)
        api.on(.riskMatter, use: matter)
        api.on(.riskReport, use: report)
    }

    struct OwnerJSON: Codable, Sendable {
        var role: Role
        var area: AreaJSON
    }

    /// A colour as it stands (or stood, in a report): what, where, why, who follows it up by when.
    struct StandingJSON: Codable, Sendable {
        var kind: RiskMatterKind
        var id: Int64
        var title: String?
        var area: AreaJSON
        var colour: RiskColour
        var reasons: [RiskReason]
        /// Absent for an area never coloured.
        var since: Date?
        var owner: OwnerJSON?
        var followUpDueAt: Date?
        var followUpDoneAt: Date?
        var followUpNote: String?
        var overdue: Bool
        var version: Int
    }

    struct ChangeJSON: Codable, Sendable {
        var kind: RiskMatterKind
        var id: Int64
        var area: AreaJSON?
        var sequence: Int
        var from: RiskColour
        var to: RiskColour
        var reasons: [RiskReason]
        var owner: OwnerJSON?
        var followUpDueAt: Date?
        var followUpNote: String?
        var byUserID: Int64?
        var at: Date
    }

    /// Shapes standings and changes, reading each matter's title once.
    struct Shaper {
        let directory: Directory
        let titles: [RiskMatter: String]

        init(services: OneGridServices, matters: [RiskMatter]) async throws {
            directory = services.directory
            titles = try await services.riskWatch.titles(of: matters)
        }

        func area(_ id: Int64) -> AreaJSON? { directory.areas[id].map(AreaJSON.init) }

        func owner(_ owner: RiskOwner?) -> OwnerJSON? {
            owner.flatMap { owner in area(owner.areaID).map { OwnerJSON(role: owner.role, area: $0) } }
        }

        func standing(_ standing: RiskStanding, at now: Date) -> StandingJSON? {
            guard let area = area(standing.areaID) else { return nil }
            return StandingJSON(
                kind: standing.matter.kind, id: standing.matter.id, title: titles[standing.matter], area: area, colour: standing.colour,
                reasons: standing.reasons, since: standing.version == 0 ? nil : standing.since, owner: owner(standing.owner),
                followUpDueAt: standing.followUpDueAt, followUpDoneAt: standing.followUpDoneAt, followUpNote: standing.followUpNote,
                overdue: standing.isOverdue(at: now), version: standing.version)
        }

        func change(_ change: RiskColourChange, areaID: Int64?) -> ChangeJSON {
            ChangeJSON(
                kind: change.matter.kind, id: change.matter.id, area: areaID.flatMap(area), sequence: change.sequence, from: change.from, to: change.to,
                reasons: change.reasons, owner: owner(change.owner), followUpDueAt: change.followUpDueAt, followUpNote: change.followUpNote,
                byUserID: change.byUserID, at: change.at)
        }
    }

    struct PictureJSON: ResponseEncodable {
        var area: AreaJSON
        var colour: StandingJSON?
        var areas: [StandingJSON]
        var matters: [StandingJSON]
    }

    /// An area's colour, its areas' one level down and its red and yellow matters.
    @Sendable func picture(_ request: Request, context: SignedInContext) async throws -> PictureJSON {
        let areaID = try request.uri.queryParameters.get("area").map { text in
            guard let id = Int64(text), id > 0 else { throw DomainError.invalid(field: "area", "an area's id, a whole number above 0, not '\(text)'") }
            return id
        }
        let overview = try await services.riskWatch.overview(areaID: areaID, for: context.principal.post)
        let shaper = try await Shaper(services: services, matters: overview.matters.map(\.standing.matter))
        let now = services.clock.now
        return PictureJSON(
            area: AreaJSON(overview.area), colour: overview.own.flatMap { shaper.standing($0.standing, at: now) },
            areas: overview.children.compactMap { shaper.standing($0.standing, at: now) },
            matters: overview.matters.compactMap { shaper.standing($0.standing, at: now) })
    }

    struct MatterJSON: ResponseEncodable {
        var standing: StandingJSON
        var history: [ChangeJSON]
    }

    /// A matter's colour with every change of it, oldest first; `kind` names what the id is of.
    @Sendable func matter(_ request: Request, context: SignedInContext) async throws -> MatterJSON {
        let id = try context.pathID("matter")
        let text = request.uri.queryParameters.get("kind") ?? ""
        guard let kind = RiskMatterKind(rawValue: text) else {
            throw DomainError.invalid(field: "kind", "one of \(RiskMatterKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        let (entry, history) = try await services.riskWatch.matter(RiskMatter(kind: kind, id: id), for: context.principal.post)
        let shaper = try await Shaper(services: services, matters: [entry.standing.matter])
        guard let standing = shaper.standing(entry.standing, at: services.clock.now) else {
            throw DomainError.notFound("\(kind.rawValue) \(id) in the risk picture", field: "matter")
        }
        return MatterJSON(standing: standing, history: history.map { shaper.change($0, areaID: nil) })
    }

    struct SituationJSON: Codable, Sendable {
        var situation: RiskSituation
        var count: Int
        var seasonal: Double
        var trend: Double
        var expected: Double
        var threshold: Double
        var years: Int
        var above: Bool
    }

    struct ReportJSON: ResponseEncodable {
        var county: AreaJSON
        var week: String
        var from: Date
        var to: Date
        /// False for a week that closed before reports were kept, compiled when asked.
        var issued: Bool
        var issuedAt: Date
        var colour: StandingJSON
        var towns: [StandingJSON]
        var matters: [StandingJSON]
        var changes: [ChangeJSON]
        var situations: [SituationJSON]
        var followUpsDone: Int
        var followUpsOverdue: Int
    }

    /// A county's weekly report, `week` as ISO 8601 names it (default: the last whole week).
    @Sendable func report(_ request: Request, context: SignedInContext) async throws -> ReportJSON {
        let countyID = try context.pathID("county")
        let watch = services.riskWatch
        let week = try request.uri.queryParameters.get("week").map { text in
            guard let week = RiskWeek(iso: text) else { throw DomainError.invalid(field: "week", "an ISO 8601 week such as 2026-W48, not '\(text)'") }
            return week
        } ?? watch.lastWeek(at: services.clock.now)
        let (county, report, issued) = try await watch.report(countyID: countyID, week: week, for: context.principal.post)
        let shaper = try await Shaper(services: services, matters: report.matters.map(\.matter) + report.changes.map(\.change.matter))
        let span = watch.span(of: week, at: services.clock.now)
        // Judged as at the week's end, as the report was.
        let end = span.upperBound
        guard let colour = shaper.standing(report.county, at: end) else { throw DomainError.notFound("county \(countyID)", field: "county") }
        return ReportJSON(
            county: AreaJSON(county), week: week.isoText, from: span.lowerBound, to: end, issued: issued, issuedAt: report.issuedAt, colour: colour,
            towns: report.towns.compactMap { shaper.standing($0, at: end) }, matters: report.matters.compactMap { shaper.standing($0, at: end) },
            changes: report.changes.map { shaper.change($0.change, areaID: $0.areaID) },
            situations: report.situations.map { entry in
                let judgement = entry.judgement
                return SituationJSON(
                    situation: entry.situation, count: judgement.count, seasonal: judgement.seasonal, trend: judgement.trend, expected: judgement.expected,
                    threshold: judgement.threshold, years: judgement.years, above: judgement.isAbove)
            },
            followUpsDone: report.followUpsDone, followUpsOverdue: report.followUpsOverdue)
    }
}
