/// The four platforms a case is filed under (seed 003): governance, market supervision,
/// comprehensive law enforcement and convenience services; and `other` for what none of them
/// takes (disputes for mediation, petitions, safety hazards), which seed 003 counts apart.
public enum Platform: String, Codable, Sendable, CaseIterable {
    case governance, marketSupervision, lawEnforcement, convenienceServices, other

    public var chineseName: String {
        switch self {
        case .governance: "综治工作"
        case .marketSupervision: "市场监管"
        case .lawEnforcement: "综合执法"
        case .convenienceServices: "便民服务"
        case .other: "其他"
        }
    }
}

/// What procedure a category follows beyond the common flow.
public enum CategoryKind: String, Codable, Sendable, CaseIterable {
    case general, dispute, petition, safetyHazard
}

/// A node of the category tree. Each leaf names where its cases start (the lowest level allowed
/// to handle them), which kind of department handles them, and its time limits.
public struct Category: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var code: String
    public var name: String
    public var parentID: Int64?
    public var platform: Platform
    public var kind: CategoryKind
    /// The lowest level whose centre may handle the case; routing starts it there.
    public var handlingLevel: AdminLevel
    /// Department kind that handles it, e.g. "market-supervision"; nil when the centre itself does.
    public var departmentKind: String?
    public var acceptanceLimit: TimeLimit
    public var signingLimit: TimeLimit
    public var handlingLimit: TimeLimit
    /// Whether a case past its handling deadline goes one level up by itself.
    public var escalatesWhenOverdue: Bool
    /// Words an administrator keeps for proposing this category from a report's text.
    public var keywords: [String]

    public init(
        id: Int64, code: String, name: String, parentID: Int64?, platform: Platform,
        kind: CategoryKind, handlingLevel: AdminLevel, departmentKind: String?,
        acceptanceLimit: TimeLimit, signingLimit: TimeLimit, handlingLimit: TimeLimit,
        escalatesWhenOverdue: Bool, keywords: [String] = []
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.parentID = parentID
        self.platform = platform
        self.kind = kind
        self.handlingLevel = handlingLevel
        self.departmentKind = departmentKind
        self.acceptanceLimit = acceptanceLimit
        self.signingLimit = signingLimit
        self.handlingLimit = handlingLimit
        self.escalatesWhenOverdue = escalatesWhenOverdue
        self.keywords = keywords
    }
}
