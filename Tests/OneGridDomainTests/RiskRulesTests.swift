import Foundation
import OneGridDomain
import Testing

/// The risk picture's pure rules: the baseline method on fixtures whose answers are worked out
/// by hand, each colour rule with its reason, and a colour that may not come down before its
/// follow-up is done.
@Suite struct RiskRulesTests {
    /// Monday 23 November 2026 (ISO week 2026-W48), Beijing time.
    static let week = RiskWeek(containing: Date(timeIntervalSince1970: 1_795_363_200), offset: 8 * 3600)
    static let origin = RiskWeek(index: 0)

    @Test func weeksAreNumberedFromMondayInTheCitysZoneAndMatchIsoWeeks() {
        #expect(Self.week.iso == (2026, 48))
        // Sunday 23:30 in Beijing is still the week before; Monday 00:00 opens the next.
        let monday = Self.week.start(offset: 8 * 3600)
        #expect(RiskWeek(containing: monday.addingTimeInterval(-1800), offset: 8 * 3600) == Self.week - 1)
        #expect(RiskWeek(containing: monday, offset: 8 * 3600) == Self.week)
        #expect(monday == Date(timeIntervalSince1970: 1_795_363_200))
        // The same ISO week in earlier years, and week 53 of 2026 falling back to 52 in 2025.
        #expect(Self.week.sameWeek(yearsBefore: 1).iso == (2025, 48))
        #expect(Self.week.sameWeek(yearsBefore: 3).iso == (2023, 48))
        let week53 = RiskWeek(containing: Date(timeIntervalSince1970: 1_798_588_800), offset: 0)
        #expect(week53.iso == (2026, 53))
        #expect(week53.sameWeek(yearsBefore: 1).iso == (2025, 52))
    }

    @Test func aWeekIsNamedAsIsoWritesItAndOnlyRealWeeksAreRead() {
        #expect(Self.week.isoText == "2026-W48")
        #expect(RiskWeek(iso: "2026-W48") == Self.week)
        #expect(RiskWeek(iso: "2026-W01")?.isoText == "2026-W01")
        // 2026 has a week 53 (it starts on a Thursday), 2025 has none.
        #expect(RiskWeek(iso: "2026-W53")?.isoText == "2026-W53")
        // An early year keeps its four digits, so the name reads back as the same week.
        #expect(RiskWeek(iso: "0472-W51")?.isoText == "0472-W51")
        for text in ["2025-W53", "2026-W00", "2026-W54", "2026-48", "2026-W4", "W48", ""] { #expect(RiskWeek(iso: text) == nil, "\(text)") }
    }

    /// Three earlier years whose week 48 (±1) held 4, 5, 6 a week in turn: seasonal 5. The eight
    /// weeks before held on average 5 + 7 × 2 = 19 in earlier years (the first of them is in the
    /// season's window) and 10 + 7 × 4 = 38 now: trend 2. Expected 10, threshold 10 + 2·√10 = 16.32.
    static func counts(now: Int) -> (RiskWeek) -> Int {
        var table: [RiskWeek: Int] = [:]
        for (years, level) in [(1, 4), (2, 5), (3, 6)] {
            let same = week.sameWeek(yearsBefore: years)
            for offset in -1...1 { table[same + offset] = level }
            for offset in 2...9 { table[same - offset] = 2 }
        }
        for offset in 1...8 { table[week - offset] = offset == 1 ? 10 : 4 }
        table[week] = now
        return { table[$0] ?? 0 }
    }

    @Test func theBaselineIsTheSeasonOfEarlierYearsScaledByTheRecentTrend() {
        let baseline = RiskBaseline()
        let judged = baseline.judge(Self.week, since: Self.origin, counts: Self.counts(now: 17))
        #expect(judged.years == 3)
        #expect(judged.seasonal == 5)
        #expect(judged.trend == 2)
        #expect(judged.expected == 10)
        #expect(abs(judged.threshold - (10 + 2 * 10.0.squareRoot())) < 1e-9)
        #expect(judged.isAbove)
        #expect(!baseline.judge(Self.week, since: Self.origin, counts: Self.counts(now: 16)).isAbove, "16 is within 16.32")
        // Every week the judgement read is one `weeksRead` names, so the store counts no other.
        var read: Set<RiskWeek> = []
        _ = baseline.judge(Self.week, since: Self.origin) { read.insert($0); return Self.counts(now: 17)($0) }
        #expect(read.isSubset(of: baseline.weeksRead(for: Self.week)))
    }

    @Test func aTrendIsBoundedAndAYoungRecordUsesItsRecentWeeks() {
        // Trend 2 is held to a ceiling of 1.5.
        var baseline = RiskBaseline(trendCeiling: 1.5)
        #expect(baseline.judge(Self.week, since: Self.origin, counts: Self.counts(now: 0)).trend == 1.5)
        // A record started ten weeks ago has no earlier year: expected is the eight weeks' mean,
        // 38 / 8 = 4.75.
        baseline = RiskBaseline()
        let young = baseline.judge(Self.week, since: Self.week - 10, counts: Self.counts(now: 10))
        #expect(young.years == 0 && young.expected == 4.75 && abs(young.threshold - (4.75 + 2 * 4.75.squareRoot())) < 1e-9)
        #expect(young.isAbove)
        #expect(!baseline.judge(Self.week, since: Self.week - 10, counts: Self.counts(now: 9)).isAbove, "9 is within 9.11")
        // A quiet new grid: expected is at least the minimum, so one event is no rise.
        let quiet = baseline.judge(Self.week, since: Self.week, counts: { $0 == Self.week ? 1 : 0 })
        #expect(quiet.expected == 1 && quiet.threshold == 3 && !quiet.isAbove)
    }

    @Test func eachRedRuleGivesRedWithItsReason() {
        let rules = RiskRules.defaults
        let cases: [(RiskRule, (inout RiskFacts) -> Void)] = [
            (.repeatedPoliceCalls, { $0.policeCalls = 2 }),
            (.violenceThreat, { $0.violenceReported = true }),
            (.collectiveGroup, { $0.headcount = 5 }),
            (.skippedLevel, { $0.skippedLevel = true }),
            (.underReview, { $0.underReview = true }),
            (.opinionHot, { $0.hottestOpinion = 1_000 }),
            (.keyPerson, { $0.keyPerson = true }),
            (.majorDispute, { $0.major = true }),
            (.repeatMatter, { $0.isRepeat = true }),
            (.failedMediation, { $0.failedMediation = true }),
            (.deadlineNearlyUsed, { $0.deadlineShareUsed = 0.8 }),
        ]
        for (rule, set) in cases {
            var facts = RiskFacts()
            set(&facts)
            let reasons = rules.reasons(for: facts)
            #expect(reasons.map(\.rule) == [rule], "\(rule)")
            #expect(RiskReason.colour(of: reasons) == rule.colour, "\(rule)")
        }
        var below = RiskFacts()
        below.policeCalls = 1
        below.headcount = 4
        below.hottestOpinion = 999
        below.deadlineShareUsed = 0.79
        #expect(rules.reasons(for: below).isEmpty && RiskReason.colour(of: []) == .green)
        #expect(RiskRule.repeatMatter.colour == .yellow && RiskRule.collectiveGroup.colour == .red)
    }

    @Test func anAreaIsJudgedBySituationsAboveBaselineAndTheMattersItHolds() {
        let rules = RiskRules.defaults
        let above = RiskBaseline.Judgement(count: 17, seasonal: 5, trend: 2, expected: 10, threshold: 16.3, years: 3)
        let within = RiskBaseline.Judgement(count: 12, seasonal: 5, trend: 2, expected: 10, threshold: 16.3, years: 3)
        let one = rules.areaReasons(situations: [.police: above, .social: within], redMatters: 0, yellowMatters: 2)
        #expect(one.map(\.rule) == [.situationAboveBaseline] && one[0].situation == .police && one[0].expected == 10)
        #expect(RiskReason.colour(of: one) == .yellow)
        let two = rules.areaReasons(situations: [.police: above, .opinion: above], redMatters: 0, yellowMatters: 0)
        #expect(RiskReason.colour(of: two) == .red && two.last?.rule == .situationsRising)
        #expect(RiskReason.colour(of: rules.areaReasons(situations: [:], redMatters: 3, yellowMatters: 0)) == .red)
        #expect(rules.areaReasons(situations: [:], redMatters: 1, yellowMatters: 0).map(\.rule) == [.mattersWatched])
        #expect(rules.areaReasons(situations: [:], redMatters: 0, yellowMatters: 2).isEmpty)
    }

    @Test func rulesOutOfRangeNameTheirField() throws {
        var rules = RiskRules()
        rules.collectiveHeadcount = 1
        #expect(throws: DomainError.invalid(field: "collectiveHeadcount", "expected a whole number of people from 2 to 1,000")) {
            try rules.validated()
        }
        rules = RiskRules()
        rules.baseline.k = -1
        #expect((try? rules.validated()) == nil)
        do {
            _ = try rules.validated()
        } catch {
            #expect(error.field == "k")
        }
        #expect(try RiskRules().validated() == RiskRules.defaults)
    }

    @Test func aRedComesDownOnlyAfterItsFollowUpIsDone() throws {
        let rules = RiskRules.defaults
        let now = Date(timeIntervalSince1970: 1_795_363_200)
        let matter = RiskMatter(kind: .dispute, id: 42)
        let path: [AdminLevel: Int64] = [.city: 1, .county: 2, .town: 3, .village: 4, .grid: 5]
        var facts = RiskFacts()
        facts.violenceReported = true
        let red = rules.reasons(for: facts)
        guard case .raise(let raised)? = RiskStanding.judge(nil, matter: matter, areaID: 5, path: path, reasons: red, rules: rules, at: now) else {
            Issue.record("a new red raises")
            return
        }
        #expect(raised.colour == .red && raised.owner == RiskOwner(role: .leader, areaID: 3))
        #expect(raised.followUpDueAt == now.addingTimeInterval(3 * 86_400))
        #expect(raised.followUpClock(at: now.addingTimeInterval(2.5 * 86_400), yellowShare: 0.8) == .yellow)
        #expect(raised.isOverdue(at: now.addingTimeInterval(3 * 86_400)))

        // The signals gone, the follow-up not done: it stays red, and a person may not lower it.
        let later = now.addingTimeInterval(86_400)
        #expect(RiskStanding.judge(raised, matter: matter, areaID: 5, path: path, reasons: [], rules: rules, at: later) == .awaitingFollowUp)
        #expect(throws: DomainError.self) { try raised.lowered(to: .green, reasons: [], path: path, rules: rules, at: later) }
        do {
            _ = try raised.lowered(to: .green, reasons: [], path: path, rules: rules, at: later)
        } catch {
            #expect(error.code == .notAllowedInState && error.field == "followUp")
        }
        #expect(throws: DomainError.self) { try raised.followedUp(note: " ", at: later) }

        // Done: the judgement lowers it, with a yellow owner and follow-up when yellow remains.
        let done = try raised.followedUp(note: "联合走访双方，已签订协议", at: later)
        #expect(done.followUpDoneAt == later && done.version == raised.version + 1)
        #expect(throws: DomainError.self) { try done.followedUp(note: "again", at: later) }
        var yellow = RiskFacts()
        yellow.failedMediation = true
        let lowered = RiskStanding.judge(done, matter: matter, areaID: 5, path: path, reasons: rules.reasons(for: yellow), rules: rules, at: later)
        #expect(lowered?.standing?.colour == .yellow)
        #expect(lowered?.standing?.owner == RiskOwner(role: .dispatcher, areaID: 4))
        #expect(lowered?.standing?.followUpDueAt == later.addingTimeInterval(7 * 86_400) && lowered?.standing?.followUpDoneAt == nil)
        // A person lowers it by hand, never below what the signals still give.
        #expect(try done.lowered(to: .green, reasons: [], path: path, rules: rules, at: later).colour == .green)
        #expect(throws: DomainError.self) { try done.lowered(to: .green, reasons: red, path: path, rules: rules, at: later) }
    }

    @Test func eachHouseholdRuleGivesItsColourWithItsReason() throws {
        let rules = RiskRules.defaults
        var facts = RiskHouseholdFacts()
        #expect(rules.householdReasons(for: facts).isEmpty)
        // A key person alone is no reason; with a red matter concerning the household, red.
        facts.keyResident = true
        #expect(rules.householdReasons(for: facts).isEmpty)
        facts.redMatters = 2
        #expect(rules.householdReasons(for: facts) == [RiskReason(rule: .keyHouseholdInRedMatter, count: 2)])
        var incidents = RiskHouseholdFacts()
        incidents.incidents = 1
        #expect(rules.householdReasons(for: incidents).isEmpty)
        incidents.incidents = 2
        #expect(rules.householdReasons(for: incidents) == [RiskReason(rule: .repeatedHouseholdIncidents, count: 2)])
        var repeated = RiskHouseholdFacts()
        repeated.repeatDisputes = 1
        #expect(rules.householdReasons(for: repeated) == [RiskReason(rule: .repeatMatter, situation: .social, count: 1)])
        #expect(RiskReason.colour(of: rules.householdReasons(for: repeated)) == .yellow)
        var open = RiskHouseholdFacts()
        open.keyPersonOpenCase = true
        #expect(rules.householdReasons(for: open) == [RiskReason(rule: .keyPersonOpenCase)])
        #expect(RiskReason.colour(of: rules.householdReasons(for: open)) == .yellow)
        // The threshold is the stored rules', named by its field when out of range.
        var strict = rules
        strict.householdIncidentsForRed = 3
        #expect(strict.householdReasons(for: incidents).isEmpty)
        strict.householdIncidentsForRed = 0
        #expect(throws: DomainError.invalid(field: "householdIncidentsForRed", "expected a whole number from 1 to 100")) { try strict.validated() }
        strict = rules
        strict.householdWindowDays = 400
        #expect(throws: DomainError.invalid(field: "householdWindowDays", "expected a whole number of days from 1 to 365")) { try strict.validated() }
    }

    @Test func rulesStoredBeforeTheHouseholdThresholdsReadWithTheirDefaults() throws {
        var stored = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(RiskRules.defaults)) as? [String: Any])
        stored["householdIncidentsForRed"] = nil
        stored["householdWindowDays"] = nil
        stored["policeCallsForRed"] = 4
        let rules = try JSONDecoder().decode(RiskRules.self, from: JSONSerialization.data(withJSONObject: stored))
        #expect(rules.policeCallsForRed == 4 && rules.householdIncidentsForRed == 2 && rules.householdWindowDays == 30)
    }
}
