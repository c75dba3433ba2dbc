public import Foundation
public import OneGridDomain
public import OneGridStore

/// The risk picture (四情三色, DOMAIN.md §8): every area, every open dispute and petition and
/// every household they or police incidents concern judged by the stored rules — areas against their own history, matters by their signals — and
/// coloured with reasons, an owner and a follow-up; a new red warns its owner and the level above;
/// a colour comes down only after its follow-up is recorded done.
public struct RiskWatch: Sendable {
    let services: OneGridServices

    /// Who reads the picture of their area: as with cases, a post sees what lies in its area.
    public static let readers: Set<Role> = [.gridWorker, .dispatcher, .mediator, .leader]
    /// Who records a follow-up and brings a colour down: the owners (leaders for red, centres'
    /// dispatchers for yellow) and whoever covers them from above.
    public static let followers: Set<Role> = [.dispatcher, .leader]

    /// The rules in force: the administrator's, else the defaults.
    public func rules() async throws -> RiskRules {
        try await services.settings.value(.riskRules) ?? .defaults
    }

    /// An administrator stores new rules; a value out of range is refused by its field's name.
    public func setRules(_ rules: RiskRules, by principal: Principal) async throws -> RiskRules {
        guard principal.post.role == .administrator else {
            throw DomainError(.forbidden, "only an administrator sets the risk rules")
        }
        let valid = try rules.validated()
        try await services.settings.set(.riskRules, to: valid, at: services.clock.now)
        return valid
    }

    /// What one judgement round did.
    public struct Round: Sendable, Hashable {
        public var raised = 0
        public var lowered = 0
        public var awaitingFollowUp = 0
        public var warnings = 0
    }

    /// Judges every area and matter at `now` and records what changed, in one transaction: the
    /// server's watcher runs it every half minute, so a new red warns within a minute.
    @discardableResult
    public func judge(at now: Date) async throws -> Round {
        let rules = try await rules()
        let store = services.risks
        let directory = services.directory
        let offset = services.calendar.timeZone.secondsFromGMT(for: now)
        let current = RiskWeek(containing: now, offset: offset)
        let starts = try await store.recordStarts().mapValues { RiskWeek(containing: $0, offset: offset) }
        // This week so far and the last whole week: a rise shows as it happens, and does not
        // vanish on a Monday morning.
        let judged = [current, current - 1]
        let weeks = judged.reduce(into: Set<RiskWeek>()) { $0.formUnion(rules.baseline.weeksRead(for: $1)) }
        var lineages: [Int64: [Area]] = [:]
        func lineage(_ id: Int64) -> [Area] {
            if let known = lineages[id] { return known }
            let found = directory.lineage(of: id)
            lineages[id] = found
            return found
        }
        let table = try await situationCounts(weeks: weeks, offset: offset, lineage: lineage)
        let standings = Dictionary(uniqueKeysWithValues: try await store.standings().map { ($0.matter, $0) })
        var changes: [(RiskChange, path: [AdminLevel: Int64])] = []
        var colours: [Int64: (red: Int, yellow: Int)] = [:]
        var round = Round()
        func consider(_ matter: RiskMatter, areaID: Int64, reasons: [RiskReason]) -> RiskColour {
            let path = Dictionary(lineage(areaID).map { ($0.level, $0.id) }, uniquingKeysWith: { first, _ in first })
            let held = standings[matter]
            guard let change = RiskStanding.judge(held, matter: matter, areaID: areaID, path: path, reasons: reasons, rules: rules, at: now) else {
                return held?.colour ?? .green
            }
            if change == .awaitingFollowUp { round.awaitingFollowUp += 1 }
            changes.append((change, path))
            return change.standing?.colour ?? held?.colour ?? .green
        }

        let policeSince = now.addingTimeInterval(-TimeInterval(rules.policeWindowDays * 86_400))
        var matterColours: [RiskMatter: RiskColour] = [:]
        for matter in try await store.matterFacts(at: now, policeSince: policeSince, keyKinds: rules.keyPersonKinds) {
            let colour = consider(matter.matter, areaID: matter.gridID, reasons: rules.reasons(for: matter.facts))
            matterColours[matter.matter] = colour
            guard colour != .green else { continue }
            // A matter weighs on the areas that own its follow-ups (its village and town) and its
            // grid; counted all the way up, every county of a large city would always be red.
            for area in lineage(matter.gridID) where area.level >= .town {
                if colour == .red { colours[area.id, default: (0, 0)].red += 1 } else { colours[area.id, default: (0, 0)].yellow += 1 }
            }
        }
        // Households after the disputes and petitions, whose red of this round they weigh. They
        // do not count towards their areas: their red mostly repeats a dispute's already counted.
        for household in try await householdFacts(rules: rules, at: now, colours: matterColours) {
            _ = consider(RiskMatter(kind: .household, id: household.householdID), areaID: household.gridID, reasons: rules.householdReasons(for: household.facts))
        }
        for area in directory.areas.values where area.retiredAt == nil {
            let history = table[area.id] ?? [:]
            var situations: [RiskSituation: RiskBaseline.Judgement] = [:]
            for situation in RiskSituation.allCases {
                let weeks = history[situation] ?? [:]
                let since = starts[situation] ?? current
                let judgements = judged.map { rules.baseline.judge($0, since: since) { weeks[$0] ?? 0 } }
                situations[situation] = judgements.first(where: \.isAbove) ?? judgements[0]
            }
            let matters = colours[area.id] ?? (0, 0)
            _ = consider(
                RiskMatter(kind: .area, id: area.id), areaID: area.id,
                reasons: rules.areaReasons(situations: situations, redMatters: matters.red, yellowMatters: matters.yellow))
        }

        var saved: [RiskStanding] = []
        var history: [RiskColourChange] = []
        var warnings: [RiskWarning] = []
        var reds: [RiskStanding] = []
        for (change, _) in changes {
            guard let standing = change.standing else { continue }
            saved.append(standing)
            let from = standings[standing.matter]?.colour ?? .green
            switch change {
            case .raise:
                round.raised += 1
                if standing.colour == .red { reds.append(standing) }
            case .lower: round.lowered += 1
            case .refresh, .awaitingFollowUp: continue
            }
            history.append(
                RiskColourChange(
                    matter: standing.matter, sequence: standing.version, from: from, to: standing.colour, reasons: standing.reasons, owner: standing.owner,
                    followUpDueAt: standing.followUpDueAt, followUpNote: standings[standing.matter]?.followUpNote, byUserID: nil, at: now))
        }
        warnings = try await self.warnings(for: reds, at: now)
        round.warnings = warnings.count
        try await store.save(saved, changes: history, warnings: warnings)
        // Open risk pictures and command rooms redraw themselves: a new red shows within seconds
        // of its judgement, not at the next reload.
        if round.raised + round.lowered > 0 { services.changes.publish([.anywhere]) }
        return round
    }

    /// Each area's count of each situation in `weeks`: rows name their deepest area; every area
    /// above counts them too.
    func situationCounts(
        weeks: Set<RiskWeek>, offset: Int, lineage: (Int64) -> [Area]
    ) async throws -> [Int64: [RiskSituation: [RiskWeek: Int]]] {
        var table: [Int64: [RiskSituation: [RiskWeek: Int]]] = [:]
        for row in try await services.risks.weeklyCounts(within: Self.spans(of: weeks, offset: offset), offset: offset) {
            for area in lineage(row.areaID) { table[area.id, default: [:]][row.situation, default: [:]][row.week, default: 0] += row.count }
        }
        return table
    }

    /// The weeks as spans of time: consecutive weeks joined, so the store reads a few ranges.
    static func spans(of weeks: Set<RiskWeek>, offset: Int) -> [Range<Date>] {
        var spans: [Range<Date>] = []
        var start: RiskWeek?
        var last: RiskWeek?
        for week in weeks.sorted() {
            if let open = start, let previous = last, week != previous + 1 {
                spans.append(open.start(offset: offset)..<(previous + 1).start(offset: offset))
                start = week
            } else if start == nil {
                start = week
            }
            last = week
        }
        if let start, let last { spans.append(start.start(offset: offset)..<(last + 1).start(offset: offset)) }
        return spans
    }

    /// A warning to each post of a red's owner (at its area, else the nearest area above that has
    /// one) and to the leaders and dispatchers of the level above the owner's.
    func warnings(for reds: [RiskStanding], at now: Date) async throws -> [RiskWarning] {
        guard !reds.isEmpty else { return [] }
        let directory = services.directory
        var areaIDs: Set<Int64> = []
        for red in reds { for area in directory.lineage(of: red.owner?.areaID ?? red.areaID) { areaIDs.insert(area.id) } }
        let posts = Dictionary(grouping: try await services.risks.posts(roles: [.leader, .dispatcher], areaIDs: Array(areaIDs)), by: \.areaID)
        var warnings: [RiskWarning] = []
        for red in reds {
            let owner = red.owner ?? RiskOwner(role: .leader, areaID: red.areaID)
            let chain = directory.lineage(of: owner.areaID).reversed().map(\.id)
            var recipients: [Post] = []
            if let ownerIndex = chain.firstIndex(where: { posts[$0]?.contains { $0.role == owner.role } == true }) {
                recipients += posts[chain[ownerIndex]]?.filter { $0.role == owner.role } ?? []
                if ownerIndex + 1 < chain.count { recipients += posts[chain[ownerIndex + 1]] ?? [] }
            }
            for post in Set(recipients) {
                warnings.append(RiskWarning(postID: post.id, matter: red.matter, sequence: red.version, areaID: red.areaID, colour: red.colour, createdAt: now))
            }
        }
        return warnings
    }

    // MARK: Reading

    /// A matter's colour with what a page shows beside it.
    public struct Entry: Sendable {
        public var standing: RiskStanding
        /// The area it lies in, from the city down.
        public var lineage: [Area]

        public init(standing: RiskStanding, lineage: [Area]) {
            self.standing = standing
            self.lineage = lineage
        }
    }

    /// The standings within the post's area (its own, or `areaID` below it), areas and matters.
    public func picture(areaID: Int64?, for post: Post) async throws -> (area: Area, entries: [Entry]) {
        let directory = services.directory
        let area = try scope(areaID ?? post.areaID, for: post)
        let entries = try await services.risks.standings().compactMap { standing -> Entry? in
            let lineage = directory.lineage(of: standing.areaID)
            return lineage.contains { $0.id == area.id } ? Entry(standing: standing, lineage: lineage) : nil
        }
        return (area, entries)
    }

    /// The picture as the pages and the API show it: the area's own colour, its areas one level
    /// down (green where never coloured), and its red and yellow matters, red first, then the
    /// follow-up due first.
    public struct Overview: Sendable {
        public var area: Area
        public var own: Entry?
        public var children: [Entry]
        public var matters: [Entry]
    }

    public func overview(areaID: Int64?, for post: Post) async throws -> Overview {
        let directory = services.directory
        let (area, entries) = try await picture(areaID: areaID, for: post)
        let areas = Dictionary(entries.filter { $0.standing.matter.kind == .area }.map { ($0.standing.matter.id, $0) }, uniquingKeysWith: { a, _ in a })
        let children = directory.children(of: area.id).filter { $0.retiredAt == nil }.map { child in
            areas[child.id] ?? Entry(standing: .green(area: child.id), lineage: directory.lineage(of: child.id))
        }
        let matters = entries.filter { $0.standing.matter.kind != .area && $0.standing.colour != .green }.sorted {
            ($0.standing.colour, $1.standing.followUpDueAt ?? .distantFuture) > ($1.standing.colour, $0.standing.followUpDueAt ?? .distantFuture)
        }
        return Overview(area: area, own: areas[area.id], children: children, matters: matters)
    }

    /// One matter's standing and colour history, when the post's area holds it.
    public func matter(_ matter: RiskMatter, for post: Post) async throws -> (entry: Entry, history: [RiskColourChange]) {
        guard let standing = try await services.risks.standing(matter), services.directory.covers(post, areaID: standing.areaID),
            Self.readers.contains(post.role)
        else { throw DomainError.notFound("\(matter.kind.rawValue) \(matter.id) in the risk picture", field: "matter") }
        return (Entry(standing: standing, lineage: services.directory.lineage(of: standing.areaID)), try await services.risks.history(matter))
    }

    /// The owner, or a leader or dispatcher over the matter, records its follow-up done.
    public func recordFollowUp(_ matter: RiskMatter, note: String, expectedVersion: Int?, by principal: Principal) async throws -> RiskStanding {
        let (entry, _) = try await self.matter(matter, for: principal.post)
        try Self.checkFollower(principal.post)
        try Self.check(expectedVersion, entry.standing)
        let done = try entry.standing.followedUp(note: note, at: services.clock.now)
        try await services.risks.save([done], changes: [], warnings: [])
        return done
    }

    /// A person brings the colour down, once its follow-up is done and no further than the
    /// signals in force allow; recorded in the history with the follow-up it rests on.
    public func lower(_ matter: RiskMatter, to colour: RiskColour, expectedVersion: Int?, by principal: Principal) async throws -> RiskStanding {
        let (entry, _) = try await self.matter(matter, for: principal.post)
        try Self.checkFollower(principal.post)
        try Self.check(expectedVersion, entry.standing)
        let now = services.clock.now
        let rules = try await rules()
        let reasons = try await signals(of: entry.standing, rules: rules, at: now)
        let path = Dictionary(entry.lineage.map { ($0.level, $0.id) }, uniquingKeysWith: { first, _ in first })
        let lowered = try entry.standing.lowered(to: colour, reasons: reasons, path: path, rules: rules, at: now)
        let change = RiskColourChange(
            matter: matter, sequence: lowered.version, from: entry.standing.colour, to: lowered.colour, reasons: lowered.reasons, owner: lowered.owner,
            followUpDueAt: lowered.followUpDueAt, followUpNote: entry.standing.followUpNote, byUserID: principal.user.id, at: now)
        try await services.risks.save([lowered], changes: [change], warnings: [])
        services.changes.publish([.anywhere])
        return lowered
    }

    /// The households' facts at `now`, each with how many of the matters concerning it are red in
    /// `colours` (this round's), else as they stand.
    func householdFacts(rules: RiskRules, at now: Date, colours: [RiskMatter: RiskColour]? = nil) async throws -> [RiskHouseholdMatterFacts] {
        let since = now.addingTimeInterval(-TimeInterval(rules.householdWindowDays * 86_400))
        let households = try await services.risks.householdFacts(since: since, keyKinds: rules.keyPersonKinds)
        var held = colours ?? [:]
        if colours == nil { for standing in try await services.risks.standings() { held[standing.matter] = standing.colour } }
        return households.map { household in
            var counted = household
            counted.facts.redMatters = household.matters.count { held[$0] == .red }
            return counted
        }
    }

    /// The signals in force for a matter: a dispute's, petition's or household's from its facts
    /// now; an area's are the reasons of its last judgement.
    func signals(of standing: RiskStanding, rules: RiskRules, at now: Date) async throws -> [RiskReason] {
        guard standing.matter.kind != .area else { return standing.reasons }
        if standing.matter.kind == .household {
            let household = try await householdFacts(rules: rules, at: now).first { $0.householdID == standing.matter.id }
            return household.map { rules.householdReasons(for: $0.facts) } ?? []
        }
        let policeSince = now.addingTimeInterval(-TimeInterval(rules.policeWindowDays * 86_400))
        let facts = try await services.risks.matterFacts(at: now, policeSince: policeSince, keyKinds: rules.keyPersonKinds)
        return facts.first { $0.matter == standing.matter }.map { rules.reasons(for: $0.facts) } ?? []
    }

    /// What each matter is called: a dispute's or petition's case title, a household's address
    /// and house number as the base data names it; areas are named by the directory.
    public func titles(of matters: some Sequence<RiskMatter>) async throws -> [RiskMatter: String] {
        var titles: [RiskMatter: String] = [:]
        let unique = Set(matters)
        for matter in unique where matter.kind == .dispute || matter.kind == .petition {
            titles[matter] = try await services.cases.record(id: matter.id)?.title
        }
        for household in try await services.baseData.households(ids: unique.filter { $0.kind == .household }.map(\.id)) {
            titles[RiskMatter(kind: .household, id: household.id)] = household.label
        }
        return titles
    }

    /// A post's warnings, newest first, and how many are unread.
    public func warnings(for post: Post, limit: Int = 50) async throws -> [RiskWarning] {
        try await services.risks.warnings(postID: post.id, limit: limit)
    }

    func scope(_ areaID: Int64, for post: Post) throws -> Area {
        guard Self.readers.contains(post.role), let area = services.directory.areas[areaID], services.directory.covers(post, areaID: areaID) else {
            throw DomainError.notFound("area \(areaID)", field: "area")
        }
        return area
    }

    static func checkFollower(_ post: Post) throws {
        guard followers.contains(post.role) else {
            throw DomainError(.forbidden, "a follow-up is recorded by a leader or a centre's dispatcher over the matter")
        }
    }

    static func check(_ expected: Int?, _ standing: RiskStanding) throws {
        if let expected, expected != standing.version {
            throw DomainError(
                .versionConflict, "the colour was changed meanwhile: it is now version \(standing.version), \(standing.colour.rawValue); reload and try again",
                field: "version", currentVersion: standing.version)
        }
    }
}
