/// Repeat petitions (重复信访): the same people on the same matter. Candidates are offered when a
/// petition is registered; a link exists only once a person confirms it, and never across matters.
public enum PetitionRepeats {
    /// An earlier petition as the search for repeats sees it.
    public struct Earlier: Sendable, Hashable {
        public var caseID: Int64
        public var idNumbers: Set<String>
        public var matter: String

        public init(caseID: Int64, idNumbers: Set<String>, matter: String) {
            self.caseID = caseID
            self.idNumbers = idNumbers
            self.matter = matter
        }
    }

    public struct Candidate: Sendable, Hashable, Codable {
        public var caseID: Int64
        public var similarity: Double
        /// The ID numbers the two petitions share.
        public var sharedPetitioners: Int
    }

    /// Earlier petitions by at least one of the same people whose matter reads alike, most alike first.
    public static func candidates(for petition: Petition, among earlier: [Earlier]) -> [Candidate] {
        earlier.compactMap { other in
            guard other.caseID != petition.caseID else { return nil }
            let shared = petition.idNumbers.intersection(other.idNumbers).count
            let similarity = Duplicates.similarity(petition.matter, other.matter)
            guard shared > 0, similarity >= Duplicates.threshold else { return nil }
            return Candidate(caseID: other.caseID, similarity: similarity, sharedPetitioners: shared)
        }
        .sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.caseID > $1.caseID }
    }

    /// The link a person confirmed, or a refusal: a repeat is the same people on the same matter.
    public static func link(_ petition: Petition, to earlier: Earlier) throws(DomainError) -> Petition {
        guard earlier.caseID != petition.caseID else {
            throw DomainError.invalid(field: "earlierCaseID", "a petition does not repeat itself")
        }
        guard petition.repeatOf == nil else {
            throw DomainError(.notAllowedInState, "petition \(petition.caseID) is already linked to petition \(petition.repeatOf!) as its repeat")
        }
        guard !petition.idNumbers.intersection(earlier.idNumbers).isEmpty else {
            throw DomainError.invalid(
                field: "earlierCaseID",
                "petition \(earlier.caseID) was brought by other people; a repeat petition is the same people on the same matter (信访工作条例 Art. 36)")
        }
        guard Duplicates.similarity(petition.matter, earlier.matter) >= Duplicates.threshold else {
            throw DomainError.invalid(
                field: "earlierCaseID",
                "petition \(earlier.caseID) concerns a different matter; only the same facts and reasons make a repeat (信访工作条例 Art. 36)")
        }
        var linked = petition
        linked.repeatOf = earlier.caseID
        linked.version += 1
        return linked
    }
}
