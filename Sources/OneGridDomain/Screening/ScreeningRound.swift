public import Foundation

/// One screening round (排查): a grid worker's daily walk of the grid, or a village's, town's or
/// city's round, with what was checked and each risk found. A risk becomes a dispute case through
/// the dispute registration, which the finding then points to.
public struct ScreeningRound: Codable, Sendable, Hashable {
    public var id: Int64
    public var areaID: Int64
    public var level: AdminLevel
    public var doneAt: Date
    public var userID: Int64
    public var postID: Int64
    /// What was checked: the households, places and matters the round covered.
    public var checked: String
    public var findings: [Finding]

    public init(
        id: Int64, areaID: Int64, level: AdminLevel, doneAt: Date, userID: Int64, postID: Int64, checked: String,
        findings: [Finding]
    ) {
        self.id = id
        self.areaID = areaID
        self.level = level
        self.doneAt = doneAt
        self.userID = userID
        self.postID = postID
        self.checked = checked
        self.findings = findings
    }

    /// A risk found on the round, numbered 1, 2, … within it.
    public struct Finding: Codable, Sendable, Hashable {
        public var number: Int
        public var text: String
        /// The dispute case opened from it, once it was.
        public var caseID: Int64?

        public init(number: Int, text: String, caseID: Int64? = nil) {
            self.number = number
            self.text = text
            self.caseID = caseID
        }
    }

    /// The risks found that are not yet a dispute.
    public var openFindings: [Finding] { findings.filter { $0.caseID == nil } }
}

/// What a grid worker or a centre sends for a round, as typed.
public struct ScreeningRoundForm: Codable, Sendable, Hashable {
    public var checked: String?
    /// One line per risk found; none when the round found nothing.
    public var findings: [String]?

    public init(checked: String?, findings: [String]? = nil) {
        self.checked = checked
        self.findings = findings
    }

    /// The round this form records for `post` in its own area, or the field that is wrong.
    public func round(by post: Post, level: AdminLevel, at now: Date) throws(DomainError) -> ScreeningRound {
        let checked = (checked ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2_000).contains(checked.count) else {
            throw DomainError.invalid(field: "checked", "expected what the round checked, 1–2,000 characters")
        }
        let lines = (findings ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard lines.count <= 50 else { throw DomainError.invalid(field: "findings", "expected at most 50 risks found on one round") }
        if let long = lines.firstIndex(where: { $0.count > 1_000 }) {
            throw DomainError.invalid(field: "findings[\(long)]", "expected a risk found in at most 1,000 characters")
        }
        return ScreeningRound(
            id: 0, areaID: post.areaID, level: level, doneAt: now, userID: post.userID, postID: post.id, checked: checked,
            findings: lines.enumerated().map { ScreeningRound.Finding(number: $0.offset + 1, text: $0.element) })
    }
}
