public import OneGridDomain
import OneGridStore

/// What the administrator's home counts: the hierarchy and directory held in memory, the posts
/// by role and the registered webhooks.
public struct AdministrationOverview: Sendable {
    let services: OneGridServices

    public struct Counts: Sendable, Equatable {
        public var areasByLevel: [AdminLevel: Int]
        public var departments: Int
        public var categories: Int
        public var usersByRole: [Role: Int]
        public var webhooks: Int
    }

    public func counts() async throws -> Counts {
        let directory = services.directory
        return Counts(
            areasByLevel: Dictionary(grouping: directory.areas.values, by: \.level).mapValues(\.count),
            departments: directory.departments.count, categories: directory.categories.count,
            usersByRole: try await services.people.userCountsByRole(), webhooks: try await services.webhooks.list().count)
    }
}
