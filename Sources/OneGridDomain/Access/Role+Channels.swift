extension Role {
    /// The channels this role reports through, its default first: a grid worker reports what the
    /// grid finds, a clerk what reaches the window, the hotline what its systems pass on, and a
    /// dispatcher may register anything on another's behalf. Handlers, mediators, leaders and
    /// administrators work on cases others report.
    public var reportingChannels: [Channel] {
        switch self {
        case .citizen: [.citizen]
        case .gridWorker: [.gridWorker]
        case .windowClerk: [.window]
        case .hotlineAgent: [.hotline, .onlinePetition, .videoAlert, .publicOpinion]
        case .dispatcher: [.window, .hotline, .onlinePetition, .videoAlert, .publicOpinion, .gridWorker, .citizen]
        case .departmentHandler, .mediator, .leader, .administrator: []
        }
    }

    /// The roles that report cases at all.
    public static var reporters: Set<Role> { Set(allCases.filter { !$0.reportingChannels.isEmpty }) }
}
