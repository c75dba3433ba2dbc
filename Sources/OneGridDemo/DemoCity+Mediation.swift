import OneGridDomain
import OneGridStore

extension DemoCity {
    /// A people's mediation committee in every town with the town's mediator, and a chief
    /// mediator office at every county's centre with the mediators of its towns, so each
    /// mediator's desk has a body and major disputes have somewhere to go.
    static func writeMediationBodies(hierarchy: Hierarchy, people: People, into store: SQLMediationStore) async throws {
        for county in hierarchy.counties {
            let towns = hierarchy.towns.filter { $0.parentID == county.id }
            for town in towns {
                _ = try await store.createBody(
                    name: "\(town.name)人民调解委员会", kind: .townCommittee, areaID: town.id, level: .town,
                    memberUserIDs: people.mediators[town.id].map { [$0.post.userID] } ?? [])
            }
            _ = try await store.createBody(
                name: "\(county.name)综治中心首席调解室", kind: .centreChiefMediator, areaID: county.id, level: .county,
                memberUserIDs: towns.compactMap { people.mediators[$0.id]?.post.userID })
        }
    }
}
