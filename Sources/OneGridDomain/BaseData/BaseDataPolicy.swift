import Foundation

/// Who reads and changes base data. Reading follows the place, through the cases' own scope: a
/// post reads the records of the area it covers, a department's post the records of its
/// department's area (a department sees a town's people, not only the cases sent to it).
/// Sensitive kinds are seen only by the posts granted them.
public enum BaseDataPolicy {
    /// The roles that may show a phone or ID number unmasked, each time recorded with its purpose:
    /// those who must call or identify the person, the grid worker who visits them among them.
    public static let revealers: Set<Role> = Set(Role.allCases.filter(\.mayRevealPersonalData)).union([.gridWorker])
    /// The roles that record and change base data, within their area.
    public static let editors: Set<Role> = [.gridWorker, .dispatcher, .windowClerk, .administrator]
    /// The roles that log visits.
    public static let visitors: Set<Role> = [.gridWorker]

    /// The area whose records a post reads; `.nothing` for a citizen.
    public static func scope(of post: Post) -> CaseScope {
        switch post.role {
        case .citizen: .nothing
        case .departmentHandler: .area(level: post.areaLevel, id: post.areaID)
        default: CaseScope(post: post)
        }
    }

    public static func canSee(_ areas: AreaPath, as post: Post) -> Bool {
        guard case .area(let level, let id) = scope(of: post) else { return false }
        return areas[level] == id
    }

    /// The kind codes this post may not see: every sensitive kind it was not granted.
    public static func hiddenKinds(_ kinds: [BaseKind], granted: Set<String>) -> Set<String> {
        Set(kinds.filter { $0.sensitive && !granted.contains($0.code) }.map(\.code))
    }

    /// Refuses a change to a record outside the post's area or by a role that does not keep base data.
    public static func checkEdit(_ areas: AreaPath, as post: Post) throws(DomainError) {
        guard editors.contains(post.role) else {
            let names = editors.map(\.rawValue).sorted().joined(separator: ", ")
            throw DomainError(.forbidden, "a \(post.role.rawValue) may not change base data; allowed for: \(names)")
        }
        guard canSee(areas, as: post) else {
            throw DomainError(.forbidden, "the record lies outside the area of this \(post.role.rawValue) post")
        }
    }

    /// A reveal's purpose, as PIPL asks it be recorded: said in a few words.
    public static func validatePurpose(_ purpose: String?) throws(DomainError) -> String {
        let text = (purpose ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(text.count) else {
            throw DomainError.invalid(field: "purpose", "expected the purpose of seeing it, 2–200 characters")
        }
        return text
    }
}
