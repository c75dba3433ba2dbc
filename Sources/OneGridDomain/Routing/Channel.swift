/// Where a case came in (DOMAIN.md §1, 发现上报). Every channel enters the same flow.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case window
    case gridWorker
    case citizen
    case hotline
    case onlinePetition
    case videoAlert
    case publicOpinion

    public var chineseName: String {
        switch self {
        case .window: "窗口受理"
        case .gridWorker: "网格员上报"
        case .citizen: "群众自报"
        case .hotline: "12345热线"
        case .onlinePetition: "网上信访"
        case .videoAlert: "雪亮工程"
        case .publicOpinion: "舆情"
        }
    }
}
