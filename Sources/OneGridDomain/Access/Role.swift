/// The roles of DOMAIN.md §2. A user holds one or more posts; each post is a role over an area.
public enum Role: String, Codable, Sendable, CaseIterable {
    case citizen, gridWorker, windowClerk, hotlineAgent, dispatcher, departmentHandler, mediator, leader,
        administrator

    public var chineseName: String {
        switch self {
        case .citizen: "群众"
        case .gridWorker: "网格员"
        case .windowClerk: "窗口受理员"
        case .hotlineAgent: "12345热线坐席"
        case .dispatcher: "调度员"
        case .departmentHandler: "部门处置人员"
        case .mediator: "调解员"
        case .leader: "领导"
        case .administrator: "系统管理员"
        }
    }

    /// Posts that may see a reporter's phone and ID number unmasked: those who must call back or
    /// identify the person. Everyone else sees 138****5678.
    public var mayRevealPersonalData: Bool {
        switch self {
        case .windowClerk, .hotlineAgent, .dispatcher, .mediator: true
        default: false
        }
    }
}

/// A role held over one area (and, for a handler, one department): what a user acts as.
public struct Post: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var userID: Int64
    public var role: Role
    public var areaID: Int64
    public var areaLevel: AdminLevel
    public var departmentID: Int64?

    public init(id: Int64, userID: Int64, role: Role, areaID: Int64, areaLevel: AdminLevel, departmentID: Int64?) {
        self.id = id
        self.userID = userID
        self.role = role
        self.areaID = areaID
        self.areaLevel = areaLevel
        self.departmentID = departmentID
    }
}
