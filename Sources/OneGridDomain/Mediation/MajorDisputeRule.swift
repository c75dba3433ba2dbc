/// When a dispute is major and goes to the centre's chief mediator office rather than a village
/// or trade committee: a configured amount, number of people, types, or a risk of violence.
/// The numbers are defaults a city changes, never rules of law.
public struct MajorDisputeRule: Codable, Sendable, Hashable {
    public var amountYuan: Int64
    public var peopleInvolved: Int
    public var types: Set<DisputeType>
    public var violenceRisk: Bool

    /// Half a million yuan or a group of five (DOMAIN.md's collective threshold), medical
    /// disputes, and any dispute reported to the police.
    public static let `default` = MajorDisputeRule(amountYuan: 500_000, peopleInvolved: 5, types: [.medical], violenceRisk: true)

    public init(amountYuan: Int64, peopleInvolved: Int, types: Set<DisputeType>, violenceRisk: Bool) {
        self.amountYuan = amountYuan
        self.peopleInvolved = peopleInvolved
        self.types = types
        self.violenceRisk = violenceRisk
    }

    /// Why the dispute is major under this rule, or nil when it is not.
    public func reason(for dispute: Dispute) -> String? {
        if violenceRisk, dispute.violenceReportedAt != nil { return "risk of violence reported to the police" }
        if let amount = dispute.amountYuan, amount >= amountYuan { return "amount at stake \(amount) yuan ≥ \(amountYuan)" }
        if dispute.peopleInvolved >= peopleInvolved { return "\(dispute.peopleInvolved) people involved ≥ \(peopleInvolved)" }
        if types.contains(dispute.type) { return "\(dispute.type.rawValue) disputes go to the centre" }
        return nil
    }
}
