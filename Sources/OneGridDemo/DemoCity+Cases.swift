import Foundation
import OneGridDomain
import OneGridStore

extension DemoCity {
    /// Cases per transaction: large enough that commits cost little, small enough that memory
    /// stays flat at any total.
    static let batchSize = 2_000

    /// Generates and writes `total` cases in batches, generating the next while the one before
    /// is written.
    static func writeCases(
        _ total: Int, into store: SQLCaseStore, factory: CaseFactory, progress: @Sendable (Int, Int) -> Void
    ) async throws {
        var factory = factory
        try await store.importHistory(total: total, batch: batchSize, progress: progress) { range in
            try range.map { try factory.make(index: $0) }
        }
    }

    struct GenerationError: Error, CustomStringConvertible {
        var description: String
    }

    /// Makes the demo's historical cases one at a time, in the order of their ids and creation
    /// times. Every step is decided by `CaseWorkflow` as a live action would be, acted by a demo
    /// user whose post allows it, so each row is exactly what its timeline says.
    struct CaseFactory {
        private let cast: Cast
        private let catalogue: Catalogue
        private var rng: SeededGenerator
        private var arrivals: Arrivals
        private let now: Int64
        private let calendar = WorkCalendar()
        /// Grids weighted by households: a community grid of 300 reports twice what a village's 150 does.
        private let gridChoice: WeightedChoice
        private var dueByDay: [DueKey: Int64] = [:]
        /// The case made just before, which a duplicate may be merged into while it is still open.
        private var previous: Previous?
        private var recentCases = 0
        /// The villages' months whose dispute case is kept from the archive for the demo's
        /// mediation history (`writeDisputeHistory`): an archived record takes no mediation step.
        private var keptForMediation: Set<VillageMonth> = []

        private struct VillageMonth: Hashable {
            var village: Int64
            var month: Int
        }

        private struct DueKey: Hashable {
            var limit: TimeLimit
            var day: Int64
        }

        private struct Previous {
            var id: Int64
            var root: Int
            var leaf: Int
            var grid: Int
            /// When it stopped being open; `Int64.max` while it still is.
            var openUntil: Int64
        }

        static let minute: Int64 = 60_000
        static let hour: Int64 = 3_600_000
        static let day: Int64 = 86_400_000
        /// The city's offset from UTC (China keeps no daylight saving time).
        static let utcOffset: Int64 = 8 * hour
        private enum Outcome {
            case handled(rated: Bool)
            case merged(into: Int64)
            case rejected, guided, solvedOnSpot
        }

        private static let openStates: [CaseStatus] = [
            .reported, .accepted, .assigned, .inProgress, .handled, .verified, .rated,
        ]

        init(hierarchy: Hierarchy, catalogue: Catalogue, people: People, seed: UInt64, now: Date, total: Int) {
            cast = Cast(hierarchy: hierarchy, people: people)
            self.catalogue = catalogue
            rng = SeededGenerator(seed: seed)
            self.now = now.millisecondsSince1970
            arrivals = Arrivals(now: self.now, total: total)
            gridChoice = WeightedChoice(hierarchy.grids.map { $0.urban ? 2 : 1 })
        }

        mutating func make(index: Int) throws -> HistoricalCase {
            let id = Int64(index + 1)
            let created = arrivals.time(ofCase: index)
            // About one report in a hundred repeats a problem already reported and still open.
            var duplicateOf: Previous?
            if rng.chance(0.012), let previous, previous.openUntil > created + 2 * Self.hour { duplicateOf = previous }
            let picked = duplicateOf.map { (root: $0.root, leaf: $0.leaf) } ?? catalogue.pick(using: &rng)
            let gridIndex = duplicateOf?.grid ?? gridChoice.pick(using: &rng)
            let root = catalogue.roots[picked.root]
            let leaf = root.leaves[picked.leaf]
            let category = catalogue.leafCategories[picked.root][picked.leaf]
            let grid = cast.hierarchy.grids[gridIndex]
            let channel = Self.channel(for: root.kind, using: &rng)
            let place = place(in: grid)
            let (reporter, reportedBy) = try reporter(for: channel, in: grid, first: gridIndex == 0)

            let routing = CaseRouting.route(areas: grid.path, category: category) { [cast] kind, areaID in
                cast.department(kind, in: areaID)
            }
            let file = CaseFile(
                id: id, status: .reported, version: 1, categoryID: category.id, areas: grid.path,
                handlingLevel: routing.handlingLevel, handlingAreaID: routing.handlingAreaID,
                suggestedDepartmentID: routing.suggestedDepartmentID, reporterUserID: reporter.userID)
            let due = due(from: created, limit: leaf.handling)
            var story = Story(
                file: file, at: created, by: reportedBy, horizon: now, stopAt: stall(createdAt: created), channel: channel)
            // The outcome is drawn before the plot takes over the generator.
            let outcome: Outcome
            if story.stopAt != nil {
                // A case held up on purpose must pass through every open state on its way.
                outcome = .handled(rated: true)
            } else if let duplicateOf {
                outcome = .merged(into: duplicateOf.id)
            } else if rng.chance(0.012) {
                outcome = .rejected
            } else if rng.chance(leaf.guideRate) {
                outcome = .guided
            } else if channel == .gridWorker || channel == .window, AdminLevel.town <= file.handlingLevel,
                rng.chance(leaf.spotRate)
            {
                outcome = .solvedOnSpot
            } else {
                outcome = .handled(rated: rng.chance(0.85))
            }
            let mediationMonth = root.kind == .dispute ? mediationMonth(of: created, in: grid.village) : nil
            var plot = Plot(
                cast: cast, rng: rng, leaf: leaf, handedDown: root.handedDown, urgent: root.kind == .safetyHazard, grid: grid,
                channel: channel,
                place: place, created: created, due: due, archives: mediationMonth == nil)
            switch outcome {
            case .handled(let rated): try plot.handle(&story, rated: rated)
            case .merged(let primaryID): try plot.merge(&story, into: primaryID)
            case .rejected: try plot.reject(&story)
            case .guided: try plot.guide(&story)
            case .solvedOnSpot: try plot.solveOnSpot(&story)
            }
            rng = plot.rng
            if let mediationMonth, story.file.status == .closed { keptForMediation.insert(mediationMonth) }
            previous = Previous(
                id: id, root: picked.root, leaf: picked.leaf, grid: gridIndex, openUntil: story.leftOpenAt ?? .max)
            let title = rng.pick(leaf.titles)(place)
            let description = DemoTexts.report(of: leaf.code, channel: channel, place: place, using: &rng)
            return HistoricalCase(
                // Open cases carry their running clock, so the sweeper takes them up as they come due.
                file: DeadlinePlanner(calendar: calendar).restore(
                    story.file, category: category, reportedAt: Date(millisecondsSince1970: created)), platform: root.platform, channel: channel, title: title, description: description,
                address: grid.town.name + place.spot,
                location: Self.locates(channel) ? point(in: grid) : nil, reporter: reporter,
                dueAt: Date(millisecondsSince1970: due),
                events: story.events)
        }

        /// The village's month when a dispute case reported at `created` is the one the demo keeps
        /// for its mediation history: a village's first closed one every
        /// `DisputeHistoryShape.everyMonths` months, the villages staggered so that every month of
        /// both years has its mediations, and none of the last 30 days, whose mediation would
        /// still be under way at `now`.
        private func mediationMonth(of created: Int64, in village: Area) -> VillageMonth? {
            guard now - created > 30 * Self.day else { return nil }
            let month = FigureMonth(Date(millisecondsSince1970: created), in: FigureMonth.cityTimeZone)
            let key = VillageMonth(village: village.id, month: month.key)
            // The town's and village's numbers of the division code (ids step by a village's grids).
            let stagger = Int(village.code.suffix(6)) ?? 0
            guard (month.year * 12 + month.month + stagger) % DisputeHistoryShape.everyMonths == 0, !keptForMediation.contains(key)
            else { return nil }
            return key
        }

        /// Most recent cases are still under way, and the horizon cuts them wherever they are;
        /// besides, every twentieth case of the last 30 days and a few of the four months before are
        /// held in an open state, in turn, so that every state shows up in any demo of a thousand
        /// cases and the overdue figures have something to count. None older: a centre supervises
        /// and escalates a case long before it is a year overdue, and the wall's worst-overdue list
        /// showing cases two years late told a leader nothing true.
        private mutating func stall(createdAt: Int64) -> CaseStatus? {
            let age = now - createdAt
            if age < 30 * Self.day {
                recentCases += 1
                return recentCases % 20 == 0 ? Self.openStates[(recentCases / 20) % Self.openStates.count] : nil
            }
            return age < 150 * Self.day && rng.chance(0.003) ? rng.pick(Self.openStates) : nil
        }

        /// Channel shares by kind: grid workers find most general problems, petitions come as
        /// online petitions and visits, hazards also through the video network.
        private static func channel(for kind: CategoryKind, using rng: inout SeededGenerator) -> Channel {
            let (channels, choice) = channelTables[kind]!
            return channels[choice.pick(using: &rng)]
        }

        private static let channelTables: [CategoryKind: ([Channel], WeightedChoice)] = {
            func table(_ entries: [(Channel, Double)]) -> ([Channel], WeightedChoice) {
                (entries.map(\.0), WeightedChoice(entries.map(\.1)))
            }
            return [
                .general: table([
                    (.gridWorker, 52), (.hotline, 20), (.citizen, 10), (.window, 8), (.videoAlert, 4),
                    (.onlinePetition, 4), (.publicOpinion, 2),
                ]),
                .dispute: table([(.gridWorker, 50), (.window, 25), (.hotline, 12), (.citizen, 8), (.onlinePetition, 5)]
                ),
                .petition: table([(.onlinePetition, 45), (.window, 40), (.hotline, 15)]),
                .safetyHazard: table([
                    (.gridWorker, 55), (.videoAlert, 15), (.hotline, 15), (.citizen, 10), (.publicOpinion, 5),
                ]),
            ]
        }()

        /// Who the case names as reporter, and the demo user who entered it (nil for an
        /// anonymous web report).
        private mutating func reporter(
            for channel: Channel, in grid: Hierarchy.Grid, first: Bool
        ) throws -> (Reporter, Actor?) {
            switch channel {
            case .gridWorker:
                let worker = try cast.gridWorker(of: grid)
                return (Reporter(name: worker.name, phone: worker.phone), worker)
            case .citizen:
                // citizen1 lives in the first grid and reports through the app half the time there.
                if first, rng.chance(0.5) {
                    let citizen = cast.people.citizen
                    return (Reporter(name: citizen.name, phone: citizen.phone, userID: citizen.post.userID), citizen)
                }
                return (Reporter(name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng)), nil)
            case .hotline, .window, .onlinePetition:
                let name = DemoTexts.personName(using: &rng)
                let phone = DemoTexts.phone(using: &rng)
                // Petitions are filed under a real name; walk-ins usually show their ID card.
                let withID = channel == .onlinePetition || rng.chance(channel == .window ? 0.8 : 0.3)
                let idNumber =
                    withID ? DemoTexts.idNumber(region: String(grid.county.code.prefix(6)), using: &rng) : nil
                let enteredBy: Actor
                switch channel {
                case .hotline: enteredBy = cast.people.hotline
                case .window: enteredBy = try cast.windowClerk(of: grid)
                default: enteredBy = try cast.dispatcher(of: grid.county.id)
                }
                return (Reporter(name: name, phone: phone, idNumber: idNumber), enteredBy)
            case .videoAlert:
                return (Reporter(), try cast.dispatcher(of: grid.town.id))
            case .publicOpinion:
                return (Reporter(), try cast.dispatcher(of: grid.path.city))
            }
        }

        private static func locates(_ channel: Channel) -> Bool {
            switch channel {
            case .gridWorker, .citizen, .videoAlert, .window: true
            case .hotline, .onlinePetition, .publicOpinion: false
            }
        }

        private mutating func place(in grid: Hierarchy.Grid) -> Place {
            let village = grid.village.name
            let spot: String
            if grid.urban {
                spot = village + (rng.chance(0.5) ? "\(rng.int(1...30))号楼" : rng.pick(DemoTexts.urbanSpots))
            } else {
                spot = village + (rng.chance(0.5) ? "\(rng.int(1...12))组" : rng.pick(DemoTexts.ruralSpots))
            }
            let party = rng.pick(DemoTexts.surnames)
            var otherParty = rng.pick(DemoTexts.surnames)
            if otherParty == party { otherParty = party == "李" ? "王" : "李" }
            return Place(
                village: village, resident: grid.urban ? "居民" : "村民", spot: spot, road: rng.pick(DemoTexts.roads),
                shop: rng.pick(DemoTexts.shops),
                party: party + "某", otherParty: otherParty + "某", count: rng.int(2...6), days: rng.int(2...10))
        }

        private mutating func point(in grid: Hierarchy.Grid) -> GeoPoint { grid.point(using: &rng) }

        /// `WorkCalendar.due`, remembered per day for working-day limits: they end at the close of
        /// a day whatever the hour they start, and walking the calendar for each case would cost
        /// more than everything else a case needs.
        private mutating func due(from start: Int64, limit: TimeLimit) -> Int64 {
            guard limit.unit == .workingDays else {
                return calendar.due(from: Date(millisecondsSince1970: start), limit: limit).millisecondsSince1970
            }
            let key = DueKey(limit: limit, day: (start + Self.utcOffset) / Self.day)
            if let due = dueByDay[key] { return due }
            let due = calendar.due(from: Date(millisecondsSince1970: start), limit: limit).millisecondsSince1970
            dueByDay[key] = due
            return due
        }
    }

    /// Who and what the plots draw on: the departments, and the demo users who act for them.
    struct Cast {
        let hierarchy: Hierarchy
        let people: People

        func department(_ kind: String, in areaID: Int64) -> Department? {
            hierarchy.department(kind: kind, areaID: areaID)
        }

        func handler(of departmentID: Int64) throws -> Actor {
            try Self.required(people.handlers[departmentID], "handler of department \(departmentID)")
        }

        func dispatcher(of areaID: Int64) throws -> Actor {
            try Self.required(people.dispatchers[areaID], "dispatcher of area \(areaID)")
        }

        func gridWorker(of grid: Hierarchy.Grid) throws -> Actor {
            try Self.required(people.gridWorkers[grid.area.id], "grid worker of \(grid.area.code)")
        }

        func windowClerk(of grid: Hierarchy.Grid) throws -> Actor {
            try Self.required(people.windowClerks[grid.town.id], "window clerk of \(grid.town.code)")
        }

        private static func required(_ actor: Actor?, _ what: String) throws -> Actor {
            guard let actor else { throw GenerationError(description: "the demo city has no \(what)") }
            return actor
        }
    }

    /// The steps one case goes through, chosen with the factory's generator and taken on a
    /// `Story`. Times move forward from the report; office work waits for office hours.
    fileprivate struct Plot {
        let cast: Cast
        var rng: SeededGenerator
        let leaf: Leaf
        let handedDown: (rate: Double, kind: String)?
        /// Hazards are answered around the clock.
        let urgent: Bool
        let grid: Hierarchy.Grid
        let channel: Channel
        let place: Place
        let created: Int64
        let due: Int64
        /// False for a dispute case kept closed for the demo's mediation history, which archives it
        /// after its mediation.
        let archives: Bool

        private typealias F = CaseFactory

        /// The window takes what it may hold (its town's and below); everything else the centre
        /// that holds the case takes.
        private func intake(_ file: CaseFile) throws -> Actor {
            if channel == .window, AdminLevel.town <= file.handlingLevel {
                return try cast.windowClerk(of: grid)
            }
            return try cast.dispatcher(of: file.handlingAreaID)
        }

        mutating func merge(_ story: inout Story, into primaryID: Int64) throws {
            let file = story.file
            let primary = CaseFile(
                id: primaryID, status: .accepted, version: 2, categoryID: file.categoryID, areas: file.areas,
                handlingLevel: file.handlingLevel, handlingAreaID: file.handlingAreaID)
            try story.take(
                .merge, by: try cast.dispatcher(of: file.handlingAreaID), after: office(story, rng.minutes(10...60)),
                input: CaseActionInput(note: "与案件\(primaryID)反映同一问题，合并办理。", primaryCaseID: primaryID),
                primary: primary)
        }

        mutating func reject(_ story: inout Story) throws {
            let clerk = try intake(story.file)
            if rng.chance(0.3) { try story.take(.accept, by: clerk, after: office(story, rng.minutes(5...120))) }
            try story.take(
                .reject, by: clerk, after: office(story, rng.minutes(30...600)),
                input: CaseActionInput(note: rng.pick(DemoTexts.rejectNotes)))
        }

        mutating func guide(_ story: inout Story) throws {
            try story.take(.accept, by: try intake(story.file), after: office(story, rng.minutes(5...240)))
            let route = rng.pick(leaf.routes)
            try story.take(
                .guide, by: try cast.dispatcher(of: story.file.handlingAreaID),
                after: office(story, rng.minutes(120...2_880)),
                input: CaseActionInput(note: DemoTexts.guideNote(route), legalRoute: route))
        }

        mutating func solveOnSpot(_ story: inout Story) throws {
            let solver = channel == .window ? try cast.windowClerk(of: grid) : try cast.gridWorker(of: grid)
            try story.take(
                .solveOnSpot, by: solver, after: rng.minutes(5...40),
                input: CaseActionInput(note: rng.pick(leaf.results)(place)))
            try finish(&story, rated: rng.chance(0.85))
        }

        /// The full flow: accept, dispatch, sign, feed back, verify, then rating and closing.
        /// Along the way, now and then: a wrong dispatch returned, dual or joint dispatch, an
        /// escalation, a failed verification and rework.
        mutating func handle(_ story: inout Story, rated: Bool) throws {
            try story.take(.accept, by: try intake(story.file), after: office(story, rng.minutes(5...120)))
            var kind = leaf.departmentKind
            // Most everyday matters go down to the village they happen in (属地处置).
            if story.file.handlingLevel < .village, let handedDown, rng.chance(handedDown.rate) {
                try story.take(
                    .dispatch, by: try cast.dispatcher(of: story.file.handlingAreaID), after: office(story, rng.minutes(5...60)),
                    input: CaseActionInput(areaID: story.file.areas.village))
                // Unless the demo's horizon cut the story short before the hand-down.
                if story.file.handlingLevel == .village { kind = handedDown.kind }
            }
            guard var lead = cast.department(kind, in: story.file.handlingAreaID) else {
                throw GenerationError(description: "no \(kind) department in area \(story.file.handlingAreaID)")
            }
            let dispatcher = try cast.dispatcher(of: story.file.handlingAreaID)

            // A dispatch to the wrong department, sent back as not theirs (退回).
            let others = cast.hierarchy.departments(in: story.file.handlingAreaID).filter { $0.kind != kind }
            if story.file.handlingLevel != .village, !others.isEmpty, rng.chance(0.025) {
                let wrong = rng.pick(others)
                let wrongHandler = try cast.handler(of: wrong.id)
                try story.take(
                    .dispatch, by: dispatcher, after: office(story, rng.minutes(5...60)),
                    input: CaseActionInput(departmentID: wrong.id), department: wrong)
                if rng.chance(0.5) { try story.take(.start, by: wrongHandler, after: signingDelay(story)) }
                try story.take(
                    .return, by: wrongHandler, after: office(story, rng.minutes(60...1_200)),
                    input: CaseActionInput(note: rng.pick(DemoTexts.returnNotes)))
            }

            let assisting = leaf.assistKinds.compactMap { cast.department($0, in: story.file.handlingAreaID) }
            if !assisting.isEmpty, rng.chance(0.06) {
                let chosen = Array(assisting.prefix(rng.int(1...assisting.count)))
                try story.take(
                    .jointDispatch, by: dispatcher, after: office(story, rng.minutes(5...60)),
                    input: CaseActionInput(departmentID: lead.id, assistingDepartmentIDs: chosen.map(\.id)),
                    department: lead, assisting: chosen)
            } else if story.file.handlingLevel != .village, rng.chance(0.4) {
                let watcher = try cast.gridWorker(of: grid)
                try story.take(
                    .dualDispatch, by: dispatcher, after: office(story, rng.minutes(5...60)),
                    input: CaseActionInput(departmentID: lead.id, watcherUserID: watcher.post.userID),
                    department: lead, watcher: watcher.post)
            } else {
                try story.take(
                    .dispatch, by: dispatcher, after: office(story, rng.minutes(5...60)),
                    input: CaseActionInput(departmentID: lead.id), department: lead)
            }
            try story.take(.start, by: try cast.handler(of: lead.id), after: signingDelay(story))

            // Beyond this level's means: up one level, to the same kind of department there.
            if let above = story.file.handlingLevel.above,
                let upper = cast.department(kind, in: story.file.areas[above]),
                rng.chance(0.03)
            {
                try story.take(
                    .escalate, by: try cast.handler(of: lead.id), after: office(story, rng.minutes(240...4_320)),
                    input: CaseActionInput(note: rng.pick(DemoTexts.escalateNotes)))
                lead = upper
                try story.take(
                    .dispatch, by: try cast.dispatcher(of: upper.areaID), after: office(story, rng.minutes(30...240)),
                    input: CaseActionInput(departmentID: upper.id), department: upper)
                try story.take(.start, by: try cast.handler(of: upper.id), after: signingDelay(story))
            }

            for assist in story.file.assists {
                try story.take(
                    .reportAssist, by: try cast.handler(of: assist.departmentID),
                    after: office(story, rng.minutes(60...2_880)))
            }
            let result = rng.pick(leaf.results)(place)
            let handler = try cast.handler(of: lead.id)
            try story.take(
                .feedBack, by: handler, after: office(story, handlingDelay(story)), input: CaseActionInput(note: result)
            )

            // Someone other than the handler checks on the ground: the grid worker, or for a
            // county's case (petitions, bureaus) the county's centre.
            let verifier =
                story.file.handlingLevel <= .county
                ? try cast.dispatcher(of: story.file.handlingAreaID)
                : try cast.gridWorker(of: grid)
            if rng.chance(0.04) {
                try story.take(
                    .verifyFail, by: verifier, after: office(story, rng.minutes(120...1_440)),
                    input: CaseActionInput(note: rng.pick(DemoTexts.verifyFailNotes)))
                try story.take(
                    .feedBack, by: handler, after: office(story, rng.minutes(1_440...4_320)),
                    input: CaseActionInput(note: "已按核查意见返工：" + result))
            }
            try story.take(.verifyPass, by: verifier, after: office(story, rng.minutes(60...1_440)))
            try finish(&story, rated: rated)
        }

        /// Rating (or the wait for one that never comes), closing, and archiving some days later.
        private mutating func finish(_ story: inout Story, rated: Bool) throws {
            let closer = try cast.dispatcher(of: story.file.handlingAreaID)
            if rated {
                let roll = rng.unit()
                let rating: Rating = roll < 0.88 ? .satisfied : roll < 0.97 ? .basicallySatisfied : .dissatisfied
                try story.take(
                    .rate, by: try rater(story.file), after: office(story, rng.minutes(120...2_880)),
                    input: CaseActionInput(rating: rating))
                try story.take(.close, by: closer, after: office(story, rng.minutes(10...480)))
            } else {
                try story.take(.close, by: closer, after: office(story, rng.minutes(4_320...7_200)))
            }
            // The delay is drawn either way, so the cases after this one stay as they were.
            let archiveDelay = office(story, rng.minutes(10_080...28_800))
            if archives { try story.take(.archive, by: closer, after: archiveDelay) }
        }

        /// Whoever calls the reporter back: the citizen rates in the app, the hotline and the
        /// window call their own callers, the village centre everyone else (回访).
        private func rater(_ file: CaseFile) throws -> Actor {
            if file.reporterUserID == cast.people.citizen.post.userID { return cast.people.citizen }
            switch channel {
            case .hotline: return cast.people.hotline
            case .window: return try cast.windowClerk(of: grid)
            default: return try cast.dispatcher(of: file.areas.village)
            }
        }

        /// Signing for an assignment: minutes for a hazard, hours in office time otherwise.
        private mutating func signingDelay(_ story: Story) -> Int64 {
            urgent ? rng.minutes(5...60) : office(story, rng.minutes(10...240))
        }

        /// Most cases are handled well inside their limit; about one in fourteen runs over.
        private mutating func handlingDelay(_ story: Story) -> Int64 {
            let share = rng.chance(0.07) ? 1.05 + 0.8 * rng.unit() : 0.05 + 0.75 * pow(rng.unit(), 1.5)
            let target = created + Int64(Double(due - created) * share)
            return max(target - story.clock, rng.minutes(20...90))
        }

        /// A delay that lands in office hours (08:30–18:00 local), pushing a step that would fall
        /// at night to the next morning. Hazards keep their delay.
        private mutating func office(_ story: Story, _ delay: Int64) -> Int64 {
            guard !urgent else { return delay }
            let at = story.clock + delay
            let local = (at + F.utcOffset) % F.day
            let opening = 8 * F.hour + 30 * F.minute
            let jitter = rng.minutes(0...150)
            if local < opening { return delay + opening - local + jitter }
            if local >= 18 * F.hour { return delay + F.day - local + opening + jitter }
            return delay
        }
    }

    /// A case's timeline as it is being told: each step decided by the workflow and recorded,
    /// until the story reaches `now` or the state it is meant to stop in. Steps asked for after
    /// that are skipped, so a plot is written straight through.
    fileprivate struct Story {
        private(set) var file: CaseFile
        private(set) var events: [TimelineEvent]
        private(set) var clock: Int64
        /// When the case left the open states (closed, rejected, guided, merged).
        private(set) var leftOpenAt: Int64?
        let horizon: Int64
        let stopAt: CaseStatus?
        private var ended: Bool

        init(
            file: CaseFile, at time: Int64, by actor: Actor?, horizon: Int64, stopAt: CaseStatus?, channel: Channel
        ) {
            self.file = file
            clock = time
            self.horizon = horizon
            self.stopAt = stopAt
            ended = stopAt == .reported
            // Chained by the import, which seals every timeline as the store recomputes it.
            events = [.report(caseID: file.id, by: actor?.post, atMillis: time, channel: channel, categoryID: file.categoryID, previousHash: "")]
        }

        mutating func take(
            _ action: CaseAction, by actor: Actor, after delay: Int64, input: CaseActionInput = CaseActionInput(),
            department: Department? = nil, assisting: [Department] = [], watcher: Post? = nil, primary: CaseFile? = nil
        ) throws {
            let time = clock + max(delay, CaseFactory.minute)
            guard !ended, time < horizon else {
                ended = true
                return
            }
            let context = CaseActionContext(
                now: Date(millisecondsSince1970: time), department: department, assistingDepartments: assisting,
                watcher: watcher, primary: primary)
            let transition = try CaseWorkflow.decide(action, on: file, input: input, by: actor.post, context: context)
            events.append(
                TimelineEvent(transition, caseID: file.id, sequence: events.count + 1, by: actor.post, atMillis: time, previousHash: ""))
            file = transition.file
            clock = time
            if leftOpenAt == nil, !file.status.isOpen { leftOpenAt = time }
            if file.status == stopAt { ended = true }
        }
    }

    /// When the cases arrive: spread over the two years before `now`, so every figure has its
    /// year-before to compare with, by a rate that follows office hours, dips at weekends, peaks
    /// in the summer storm season and grows about a tenth a year (more residents report as the
    /// grid becomes known). Case i lands at the point where the cumulative rate reaches
    /// (i + ½) / total, so times rise with ids.
    struct Arrivals {
        private let start: Int64
        /// Running sum of the rate over each hour from `start`; the last hour ends at `now`.
        private let cumulative: [Double]
        private let total: Int
        private var hour = 0

        static let days: Int64 = 730

        private static let hourly: [Double] = [
            0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.5, 1.2, 2.5, 3, 3, 2.6, 1.6, 1.6, 2.6, 2.8, 2.8, 2.4, 1.5, 1.2, 1.0, 0.7,
            0.4, 0.25,
        ]

        init(now: Int64, total: Int) {
            let hour = CaseFactory.hour
            start = (now - Self.days * CaseFactory.day) / hour * hour
            self.total = total
            var sum = 0.0
            var cumulative: [Double] = []
            var begin = start
            while begin < now {
                let local = begin + CaseFactory.utcOffset
                let day = local / CaseFactory.day
                // 1970-01-01 was a Thursday: days 2 and 3 of each week are Saturday and Sunday.
                let weekend = day % 7 == 2 || day % 7 == 3
                let season =
                    1 + 0.2
                    * cos(2 * Double.pi * (Double(day).truncatingRemainder(dividingBy: 365.2425) - 200) / 365.2425)
                let length = Double(min(hour, now - begin)) / Double(hour)
                let growth = 1 + 0.25 * Double(begin - start) / Double(now - start)
                sum += Self.hourly[Int(local % CaseFactory.day / hour)] * (weekend ? 0.7 : 1) * season * growth * length
                cumulative.append(sum)
                begin += hour
            }
            self.cumulative = cumulative
        }

        /// Called with increasing indexes; each call walks on from where the last one stopped.
        mutating func time(ofCase index: Int) -> Int64 {
            let target = (Double(index) + 0.5) / Double(total) * cumulative[cumulative.count - 1]
            while hour < cumulative.count - 1, cumulative[hour] <= target { hour += 1 }
            let before = hour == 0 ? 0 : cumulative[hour - 1]
            let fraction = (target - before) / (cumulative[hour] - before)
            return start + Int64(hour) * CaseFactory.hour + Int64(fraction * Double(CaseFactory.hour))
        }
    }
}
