public import Foundation
public import OneGridDomain
public import OneGridStore

/// A village's points scheme (积分制, seeds 001 and 003): its centre writes the rules, its centre
/// and grid workers record points per household with who and why, the centre redeems them, and
/// everyone above the village reads the ranking and the ledger. Every entry is on the village's
/// hash-chained ledger.
public struct VillagePoints: Sendable {
    let services: OneGridServices

    var store: any PointsStore { services.pointsLedgers }

    /// A household as the ranking and the ledger name it: its address and the first of its people.
    public struct HouseholdLabel: Sendable, Hashable {
        public var id: Int64
        public var address: String
        public var head: String
    }

    public struct Standing: Sendable {
        public var household: HouseholdLabel
        public var balance: Int
        public var earned: Int
    }

    public struct Board: Sendable {
        public var village: Area
        public var rules: [PointsRule]
        public var ranking: [Standing]
        public var ledger: [(entry: PointsEntry, household: HouseholdLabel, recordedBy: String)]
        public var keepsRules: Bool
        public var records: Bool
    }

    /// The village a post's points page opens on: its own, or its grid's.
    public func homeVillage(of post: Post) -> Int64? {
        let area = services.directory.areas[post.areaID]
        return area?.level == .village ? area?.id : area?.level == .grid ? area?.parentID : nil
    }

    func village(_ id: Int64, readBy post: Post) throws -> Area {
        let directory = services.directory
        guard let village = directory.areas[id], village.level == .village, PointsPolicy.canRead(id, as: post, directory: directory) else {
            throw DomainError.notFound("village \(id)", field: "village")
        }
        return village
    }

    public func board(_ villageID: Int64, for principal: Principal, limit: Int = 50) async throws -> Board {
        let post = principal.post
        let village = try village(villageID, readBy: post)
        let ranking = try await store.ranking(villageID: villageID, limit: limit)
        let ledger = try await store.ledger(villageID: villageID, householdID: nil, limit: limit)
        let labels = try await labels(Set(ranking.map(\.householdID) + ledger.map(\.householdID)), for: post)
        let users = try await services.people.users(ids: Array(Set(ledger.map(\.userID))))
        return Board(
            village: village, rules: try await store.rules(villageID: villageID),
            ranking: ranking.compactMap { row in labels[row.householdID].map { Standing(household: $0, balance: row.balance, earned: row.earned) } },
            ledger: ledger.compactMap { entry in
                labels[entry.householdID].map { (entry, $0, users[entry.userID]?.displayName ?? "") }
            },
            keepsRules: PointsPolicy.canKeepRules(of: villageID, as: post),
            records: PointsPolicy.canRecord(in: villageID, as: post, directory: services.directory))
    }

    /// The households named by their address and first person, in two reads whatever their number.
    func labels(_ ids: Set<Int64>, for post: Post) async throws -> [Int64: HouseholdLabel] {
        let households = try await services.baseData.households(ids: Array(ids))
        // A household has one to a few people: a ranking's hundred fit in one page.
        let people = try await services.gridBaseData.residents(householdIDs: Array(ids), limit: 1_000, for: post)
        var heads: [Int64: String] = [:]
        for person in people where heads[person.householdID] == nil { heads[person.householdID] = person.name }
        return Dictionary(uniqueKeysWithValues: households.map { ($0.id, HouseholdLabel(id: $0.id, address: $0.address, head: heads[$0.id] ?? "")) })
    }

    public func defineRule(_ villageID: Int64, name: String, points: Int, by principal: Principal) async throws -> PointsRule {
        guard PointsPolicy.canKeepRules(of: villageID, as: principal.post) else {
            throw DomainError(.forbidden, "only the village's centre writes its points rules")
        }
        return try await store.add(try PointsRule.draft(name: name, points: points, villageID: villageID), at: services.clock.now)
    }

    public func retireRule(_ ruleID: Int64, by principal: Principal) async throws -> PointsRule {
        guard let rule = try await store.rule(id: ruleID), PointsPolicy.canRead(rule.villageID, as: principal.post, directory: services.directory)
        else { throw DomainError.notFound("points rule \(ruleID)", field: "ruleID") }
        guard PointsPolicy.canKeepRules(of: rule.villageID, as: principal.post) else {
            throw DomainError(.forbidden, "only the village's centre retires its points rules")
        }
        return try await store.retire(ruleID: ruleID, at: services.clock.now)
    }

    /// The household a post may record points for: in the village, and seen by the post.
    func household(_ id: Int64, recordedBy post: Post) async throws -> Household {
        guard let household = try await services.baseData.household(id: id), BaseDataPolicy.canSee(household.areas, as: post)
            || PointsPolicy.canRecord(in: household.areas.village, as: post, directory: services.directory)
        else { throw DomainError.notFound("household \(id)", field: "householdID") }
        guard PointsPolicy.canRecord(in: household.areas.village, as: post, directory: services.directory) else {
            throw DomainError(.forbidden, "points are recorded by the household's village centre and its grid workers")
        }
        return household
    }

    /// Points under one of the village's rules, with who recorded them and why.
    public func record(householdID: Int64, ruleID: Int64, note: String?, by principal: Principal) async throws -> PointsEntry {
        let household = try await household(householdID, recordedBy: principal.post)
        guard let rule = try await store.rule(id: ruleID) else { throw DomainError.invalid(field: "ruleID", "no points rule \(ruleID)") }
        return try await store.append(
            try PointsEntry.under(
                rule, householdID: householdID, householdVillageID: household.areas.village, note: note, by: principal.post,
                at: services.clock.now))
    }

    /// Points spent at the village's points shop; only its centre redeems.
    public func redeem(householdID: Int64, points: Int, item: String, by principal: Principal) async throws -> PointsEntry {
        let household = try await household(householdID, recordedBy: principal.post)
        guard PointsPolicy.canKeepRules(of: household.areas.village, as: principal.post) else {
            throw DomainError(.forbidden, "points are redeemed by the village's centre")
        }
        let entry = try PointsEntry.redemption(
            of: points, for: item, householdID: householdID, villageID: household.areas.village,
            balance: try await store.balance(householdID: householdID), by: principal.post, at: services.clock.now)
        return try await store.append(entry)
    }

    /// The households whose people match a name or ID number, in the village, as the post sees them.
    public func findHouseholds(_ text: String, in villageID: Int64, for principal: Principal) async throws -> [HouseholdLabel] {
        _ = try village(villageID, readBy: principal.post)
        let residents = try await services.gridBaseData.residents(text: text, limit: 20, for: principal.post).filter { $0.areas.village == villageID }
        var found: [HouseholdLabel] = []
        for resident in residents where !found.contains(where: { $0.id == resident.householdID }) {
            guard let household = try await services.baseData.household(id: resident.householdID) else { continue }
            found.append(HouseholdLabel(id: household.id, address: household.address, head: resident.name))
        }
        return found
    }

    /// Recomputes the village's ledger chain.
    public func verify(_ villageID: Int64, for principal: Principal) async throws -> (entries: Int, findings: [String]) {
        _ = try village(villageID, readBy: principal.post)
        return try await store.verify(villageID: villageID)
    }
}
