/// The mediation bodies of one area, with the form that sets one up.
struct AdminMediationBodiesPage {
    struct Row {
        var href: String
        var name: String
        var kind: String
        var members: Int
        var retired: Bool
    }

    var action = SiteURL.adminMediation.path
    var thresholdsURL = SiteURL.adminMajorDisputes.path
    var filterAreas: [AdminOption]
    var areaChosen: Bool
    var rows: [Row]
    var count: Int
    var name: AdminField
    var kinds: [AdminOption]
    var kindError: String?
    var areas: [AdminOption]
    var areaError: String?
    var message: String?
}

/// One body: its members to add and remove, renaming and retiring it.
struct AdminMediationBodyPage {
    struct Member {
        var userID: Int64
        var username: String
        var displayName: String
    }

    var bodiesURL: String
    var action: String
    var name: String
    var kind: String
    var area: String
    var retired: Bool
    var retiredAt: String
    var members: [Member]
    var username: AdminField
    var memberError: String?
    var rename: AdminField
    var retireError: String?
    var message: String?
}

/// The thresholds that send a dispute to the centre's chief mediator office.
struct AdminMajorDisputesPage {
    var action = SiteURL.adminMajorDisputes.path
    var bodiesURL = SiteURL.adminMediation.path
    var amountYuan: AdminField
    var peopleInvolved: AdminField
    var types: [AdminOption]
    var typesError: String?
    var violenceRisk: Bool
    var message: String?
}
