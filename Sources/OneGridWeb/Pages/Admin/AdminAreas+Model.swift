/// One area of the hierarchy with the areas below it, and the administrator's changes to it:
/// rename, retire, add an area below, upload grids.
struct AdminAreaPage {
    struct Link {
        var name: String
        var href: String
    }

    struct Row {
        var href: String
        var name: String
        var code: String
        var below: Int
        var retired: Bool
    }

    var crumbs: [Link]
    var action: String
    var uploadURL = SiteURL.adminGridUpload.path
    var areaID: Int64
    var name: String
    var code: String
    var level: String
    var retired: Bool
    var retiredAt: String
    /// The level of the rows, and of an area added here; nil under a grid.
    var childLevel: String?
    /// What the rows count below themselves (towns, villages, grids), nil for grids.
    var belowLevel: String?
    var rows: [Row]
    /// Areas are added here down to villages; grids come by upload.
    var canAddArea: Bool
    var rename: AdminField
    var newCode: AdminField
    var newName: AdminField
    var codeHint: String
    var retireError: String?
    var fileError: String?
    var message: String?
    var upload: AdminUploadReport?
}

/// What a grid upload accepted and refused, feature by feature.
struct AdminUploadReport {
    struct Accepted {
        var code: String
        var name: String
        var village: String
    }

    struct Refused {
        var feature: Int
        var code: String
        var reason: String
    }

    var accepted: [Accepted]
    var refused: [Refused]
}
