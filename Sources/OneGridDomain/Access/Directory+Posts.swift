extension Directory {
    /// Whether a post's area contains `areaID` (its own area or one below it): what it may browse.
    public func covers(_ post: Post, areaID: Int64) -> Bool {
        lineage(of: areaID).contains { $0.id == post.areaID }
    }

    /// The departments a post works with: those at its area or above it (where cases escalate
    /// to) and those below it, in id order.
    public func departments(workingWith post: Post) -> [Department] {
        let above = Set(lineage(of: post.areaID).map(\.id))
        return departments.values.filter { above.contains($0.areaID) || covers(post, areaID: $0.areaID) }.sorted { $0.id < $1.id }
    }
}
