public import Foundation
public import OneGridDomain
public import OneGridStore

/// The weekly stability report per county (四情三色周报): compiled from the record of colours
/// and the four situations' counts when the week closes, issued once, and announced to the
/// county's leaders as a new red is to its owner.
extension RiskWatch {
    /// The city's offset from UTC at `now`: weeks are the city's, Monday to Sunday.
    func offset(at now: Date) -> Int { services.calendar.timeZone.secondsFromGMT(for: now) }

    /// The last whole week at `now`, in the city's time: the week a report is issued for.
    public func lastWeek(at now: Date) -> RiskWeek {
        RiskWeek(containing: now, offset: offset(at: now)) - 1
    }

    /// The week's first and last moment (exclusive), in the city's time.
    public func span(of week: RiskWeek, at now: Date) -> Range<Date> {
        let offset = offset(at: now)
        return week.start(offset: offset)..<(week + 1).start(offset: offset)
    }

    /// The reports of `counties` for `week` as the record stands at `now`. A week still open is
    /// compiled as far as it has gone; one that closed reads the colours as they stood at its end.
    public func compileReports(counties: [Int64], week: RiskWeek, at now: Date) async throws -> [RiskReport] {
        guard !counties.isEmpty else { return [] }
        let store = services.risks
        let directory = services.directory
        let rules = try await rules()
        let offset = offset(at: now)
        let span = span(of: week, at: now)
        let countyOf: [Int64: Int64] = Dictionary(
            uniqueKeysWithValues: directory.areas.keys.compactMap { id in
                directory.lineage(of: id).first { counties.contains($0.id) }.map { (id, $0.id) }
            })
        let atEnd = Dictionary(grouping: try await store.standings(before: span.upperBound).filter { countyOf[$0.areaID] != nil }) { countyOf[$0.areaID] ?? 0 }
        let changes = Dictionary(grouping: try await store.changes(within: span).filter { countyOf[$0.areaID] != nil }) { countyOf[$0.areaID] ?? 0 }
        let current = Dictionary(grouping: try await store.standings().filter { countyOf[$0.areaID] != nil }) { countyOf[$0.areaID] ?? 0 }
        let table = try await situationCounts(weeks: rules.baseline.weeksRead(for: week), offset: offset, lineage: directory.lineage(of:))
        let starts = try await store.recordStarts().mapValues { RiskWeek(containing: $0, offset: offset) }

        return counties.map { countyID in
            let standings = atEnd[countyID] ?? []
            let areas = Dictionary(standings.filter { $0.matter.kind == .area }.map { ($0.matter.id, $0) }, uniquingKeysWith: { first, _ in first })
            let changes = changes[countyID] ?? []
            // A follow-up done in the week: still on its standing, or carried by the change that
            // brought the colour down.
            var done = Set((current[countyID] ?? []).filter { $0.followUpDoneAt.map(span.contains) ?? false }.map(\.matter))
            done.formUnion(changes.filter { $0.change.followUpNote != nil && $0.change.to < $0.change.from }.map(\.change.matter))
            return RiskReport(
                countyID: countyID, week: week, issuedAt: now, county: areas[countyID] ?? .green(area: countyID),
                towns: directory.children(of: countyID).filter { $0.level == .town && $0.retiredAt == nil }.map { areas[$0.id] ?? .green(area: $0.id) },
                matters: standings.filter { $0.matter.kind != .area && $0.colour != .green }.sorted {
                    ($0.colour, $1.followUpDueAt ?? .distantFuture, $1.matter.id) > ($1.colour, $0.followUpDueAt ?? .distantFuture, $0.matter.id)
                },
                changes: changes,
                situations: RiskSituation.allCases.map { situation in
                    let weeks = table[countyID]?[situation] ?? [:]
                    return RiskReport.Situation(
                        situation: situation, judgement: rules.baseline.judge(week, since: starts[situation] ?? week) { weeks[$0] ?? 0 })
                },
                followUpsDone: done.count, followUpsOverdue: standings.count { $0.colour != .green && $0.isOverdue(at: span.upperBound) })
        }
    }

    /// Issues every county's report of the last whole week that is not out yet, each with a
    /// notice to the county's leaders (else the nearest leaders above): the server's watcher
    /// calls it every round, so a report is out within a minute of its week's close, once.
    @discardableResult
    public func issueReports(at now: Date) async throws -> Int {
        let week = lastWeek(at: now)
        let directory = services.directory
        let issued = try await services.risks.reportedCounties(week: week)
        let counties = directory.areas.values.filter { $0.level == .county && $0.retiredAt == nil && !issued.contains($0.id) }.sorted { $0.code < $1.code }
        guard !counties.isEmpty else { return 0 }
        let chains = Dictionary(uniqueKeysWithValues: counties.map { ($0.id, directory.lineage(of: $0.id).reversed().map(\.id)) })
        let leaders = Dictionary(
            grouping: try await services.risks.posts(roles: [.leader], areaIDs: Array(Set(chains.values.joined()))), by: \.areaID)
        var count = 0
        for report in try await compileReports(counties: counties.map(\.id), week: week, at: now) {
            let readers = chains[report.countyID]?.lazy.compactMap { leaders[$0] }.first ?? []
            if try await services.risks.issue(report, notices: readers.map { RiskWarning.notice(of: report, to: $0.id) }) { count += 1 }
        }
        return count
    }

    // MARK: Reading

    /// The counties whose reports the post reads: those its area covers.
    public func reportCounties(for post: Post) -> [Area] {
        guard Self.readers.contains(post.role) else { return [] }
        let directory = services.directory
        return directory.areas.values.filter { $0.level == .county && $0.retiredAt == nil && directory.covers(post, areaID: $0.id) }
            .sorted { $0.code < $1.code }
    }

    /// The county's issued reports, newest first, when the post covers it.
    public func reports(countyID: Int64, for post: Post) async throws -> (county: Area, issued: [(week: RiskWeek, colour: RiskColour, issuedAt: Date)]) {
        let county = try reportCounty(countyID, for: post)
        return (county, try await services.risks.reports(countyID: countyID))
    }

    /// The county's report of `week`: as issued; a closed week never issued (before reports
    /// were kept) compiled from the record; an open week is not reported on.
    public func report(countyID: Int64, week: RiskWeek, for post: Post) async throws -> (county: Area, report: RiskReport, issued: Bool) {
        let county = try reportCounty(countyID, for: post)
        if let report = try await services.risks.report(countyID: countyID, week: week) { return (county, report, true) }
        let now = services.clock.now
        guard week <= lastWeek(at: now) else {
            throw DomainError.invalid(field: "week", "a week that has closed: \(lastWeek(at: now).isoText) or earlier")
        }
        let compiled = try await compileReports(counties: [countyID], week: week, at: now)
        guard let report = compiled.first else { throw DomainError.notFound("county \(countyID)", field: "county") }
        return (county, report, false)
    }

    func reportCounty(_ countyID: Int64, for post: Post) throws -> Area {
        let area = try scope(countyID, for: post)
        guard area.level == .county else { throw DomainError.notFound("county \(countyID)", field: "county") }
        return area
    }
}
