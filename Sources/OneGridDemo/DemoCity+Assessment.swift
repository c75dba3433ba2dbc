import Foundation
import OneGridDomain
import OneGridStore

extension DemoCity {
    /// Why a demo leader gave a card.
    static let cardReasons = [
        "督办件逾期未办结", "群众重复投诉仍未解决", "核查发现处置不实", "签收超时被通报", "漏报辖区安全隐患", "回访群众不满意且未整改",
    ]

    /// The assessment as a city that has run it for a while: the city leader's cards over this
    /// month and the last, on about half the towns, villages, departments, grid workers and
    /// dispatchers (most none, some one, a few several: the tables show every grade), and last
    /// month closed as a city closes each month early in the next, counted from the cases already written.
    static func writeAssessment(hierarchy: Hierarchy, people: People, into database: OneGridDatabase, seed: UInt64, now: Date) async throws {
        guard let leader = people.users.first(where: { $0.username == "leader" }) else { return }
        let store = SQLAssessmentStore(database: database)
        let settings = try await store.settings()
        var rng = SeededGenerator(seed: seed ^ 0x4B41_4F48_4545)
        let current = AssessmentPeriod.current(at: now)
        let last = AssessmentPeriod(month: current.first.adding(months: -1))
        let units: [(AssessmentUnitKind, [Int64])] = [
            (.town, hierarchy.towns.map(\.id)), (.village, hierarchy.villages.map(\.id)), (.department, hierarchy.departments.map(\.id)),
            (.gridWorker, people.posts.filter { $0.role == .gridWorker }.map(\.userID)),
            (.dispatcher, people.posts.filter { $0.role == .dispatcher }.map(\.userID)),
        ]
        for period in [last, current] {
            // Given inside the period, before its end (or before now for this month).
            let (start, end) = period.interval
            let latest = min(end, now).timeIntervalSince(start)
            for (kind, ids) in units {
                for id in ids {
                    let roll = rng.unit()
                    let cards: [CardColour] =
                        roll < 0.55 ? [] : roll < 0.75 ? [.yellow] : roll < 0.87 ? [.red] : roll < 0.95 ? [.red, .yellow, .red] : [.red, .red, .red, .yellow, .yellow]
                    for colour in cards {
                        _ = try await store.add(
                            AssessmentCard(
                                id: 0, period: period.key, kind: kind, unitID: id, colour: colour, points: settings.cardPoints[colour] ?? 0,
                                reason: rng.pick(cardReasons), caseID: nil, byUserID: leader.id,
                                at: start.addingTimeInterval(latest * (0.2 + 0.7 * rng.unit()))))
                    }
                }
            }
        }
        _ = try await store.close(last, settings: settings, by: leader.id, at: now)
    }
}
