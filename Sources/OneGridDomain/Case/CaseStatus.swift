/// Where a case stands in the flow of DOMAIN.md §3.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case reported, accepted, assigned, inProgress, handled, verified, rated, closed, archived
    /// Cancelled at intake as invalid or false (作废), with a reason.
    case rejected
    /// Belongs to a legal route (litigation, arbitration, …) and was guided there (诉访分离).
    case guided
    /// A duplicate that now follows its primary case.
    case merged

    /// Still owed work by someone: counts toward queues, clocks and overdue figures.
    public var isOpen: Bool {
        switch self {
        case .reported, .accepted, .assigned, .inProgress, .handled, .verified, .rated: true
        case .closed, .archived, .rejected, .guided, .merged: false
        }
    }

    public var chineseName: String {
        switch self {
        case .reported: "待受理"
        case .accepted: "已受理"
        case .assigned: "已派遣"
        case .inProgress: "处置中"
        case .handled: "待核查"
        case .verified: "待评价"
        case .rated: "已评价"
        case .closed: "已办结"
        case .archived: "已归档"
        case .rejected: "已作废"
        case .guided: "已导入法定途径"
        case .merged: "已合并"
        }
    }
}

/// The reporter's verdict on the result (评价).
public enum Rating: String, Codable, Sendable, CaseIterable {
    case satisfied, basicallySatisfied, dissatisfied
}

/// Where a matter that is not for petition handling is guided instead (法定途径).
public enum LegalRoute: String, Codable, Sendable, CaseIterable {
    case litigation, arbitration, administrativeReview, administrativeRuling, disciplineInspection
}
