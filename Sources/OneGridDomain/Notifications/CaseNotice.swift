/// The steps people are told of: urges, supervisions, new assignments, escalations, reviews;
/// and, for a reporter whose case was merged, the merge and its primary's closing. Each is the
/// step's action, by name; the inbox and the webhooks list them. A citizen's own case accepted,
/// handled or closed reaches their inbox through the citizens' notifier (`CitizenNoticeKind`).
public enum NoticeKind: String, Codable, Sendable, CaseIterable {
    case urge
    case supervise
    case dispatch
    case dualDispatch
    case jointDispatch
    case escalate
    case requestReview
    case merge
    case close
    /// A citizen's case accepted and handled: their notifier's, never a staff notice's.
    case accept
    case feedBack

    /// The kind of notice a step sets off for staff and webhooks, nil when nobody is told of it.
    public init?(_ action: CaseAction) {
        guard let kind = Self(rawValue: action.rawValue), !Self.citizensOnly.contains(kind) else { return nil }
        self = kind
    }

    /// The kinds only a citizen's inbox shows: no staff notice or webhook is set off by them.
    public static let citizensOnly: Set<NoticeKind> = [.accept, .feedBack]

    /// The kind a citizen's inbox shows a citizen notice as.
    public init(_ citizen: CitizenNoticeKind) {
        switch citizen {
        case .accepted: self = .accept
        case .handled: self = .feedBack
        case .closed: self = .close
        }
    }

    public var action: CaseAction {
        switch self {
        case .urge: .urge
        case .supervise: .supervise
        case .dispatch: .dispatch
        case .dualDispatch: .dualDispatch
        case .jointDispatch: .jointDispatch
        case .escalate: .escalate
        case .requestReview: .requestReview
        case .merge: .merge
        case .close: .close
        case .accept: .accept
        case .feedBack: .feedBack
        }
    }
}

/// What one step of a case tells whom: the notice's kind, its recipients and its words.
public struct CaseNotice: Sendable, Hashable {
    /// A group of people told; the store finds who they are now.
    public enum Recipients: Sendable, Hashable {
        /// The people of a department.
        case department(Int64)
        /// The dispatchers of the centre of an area.
        case centre(areaID: Int64)
        /// The grid worker watching a dual-dispatched case.
        case watcher(userID: Int64)
        /// A citizen who reported the case.
        case reporter(userID: Int64)
        /// The citizens who reported the cases merged into this one, each told on their own case.
        case reportersMergedInto(caseID: Int64)
    }

    public var kind: NoticeKind
    public var caseID: Int64
    public var recipients: [Recipients]
    public var message: String

    /// The notice `event` sets off on the case as it left it; nil when nobody is told of it.
    public init?(_ event: TimelineEvent, file: CaseFile) {
        guard let kind = NoticeKind(event.action) else { return nil }
        self.kind = kind
        self.caseID = file.id
        self.recipients = Self.recipients(of: kind, file: file)
        self.message = Self.message(kind, file: file, note: event.note)
    }

    /// Who a step concerns: the assignee's people (or the holding centre's dispatchers when no
    /// department holds it), the watcher of a dual dispatch, the centre a case escalated to, the
    /// reporter of a merged case (at the merge, and when its primary closes).
    static func recipients(of kind: NoticeKind, file: CaseFile) -> [Recipients] {
        let holder: [Recipients] = file.departmentID.map { [.department($0)] } ?? [.centre(areaID: file.handlingAreaID)]
        switch kind {
        case .dispatch, .jointDispatch:
            return holder + file.assists.map { .department($0.departmentID) }
        case .dualDispatch:
            return holder + (file.watcherUserID.map { [.watcher(userID: $0)] } ?? [])
        case .urge, .supervise:
            return holder
        case .escalate, .requestReview:
            return [.centre(areaID: file.handlingAreaID)]
        case .merge:
            return file.reporterUserID.map { [.reporter(userID: $0)] } ?? []
        case .close:
            return [.reportersMergedInto(caseID: file.id)]
        case .accept, .feedBack:
            return []
        }
    }

    static func message(_ kind: NoticeKind, file: CaseFile, note: String?) -> String {
        let what =
            switch kind {
            case .urge: "催办：案件即将到期，请尽快办理"
            case .supervise: "督办：案件已超期，上级督办"
            case .escalate: "上报：案件已上报至本级中心"
            case .requestReview: "复查：信访人申请复查，请在30日内答复"
            case .merge: "合并：您反映的问题与案件 \(file.primaryCaseID.map(String.init) ?? "") 为同一事项，将随该案件一并办理"
            case .close: "办结：与您反映的问题合并办理的案件 \(file.id) 已办结"
            case .dispatch, .dualDispatch, .jointDispatch: "派遣：新案件待签收"
            case .accept: "受理：您反映的问题已受理"
            case .feedBack: "办理：您反映的问题已处理"
            }
        return "\(what)（案件 \(file.id)）" + (note.map { "：\($0)" } ?? "")
    }
}
