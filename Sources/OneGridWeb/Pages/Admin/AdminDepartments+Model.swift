/// The fields of a department: name, kind of work, area.
struct AdminDepartmentForm {
    /// Keeps the fields' ids apart from the filter's.
    var prefix: String
    var name: AdminField
    var kinds: [AdminOption]
    var kindError: String?
    var areas: [AdminOption]
    var areaError: String?
}

/// The departments of an area and those below it, with the form that adds one.
struct AdminDepartmentsPage {
    struct Row {
        var href: String
        var name: String
        var kind: String
        var area: String
        var level: String
        var retired: Bool
    }

    var action = SiteURL.adminDepartments.path
    var filterAreas: [AdminOption]
    var rows: [Row]
    var count: Int
    var form: AdminDepartmentForm
    var message: String?
}

/// One department: its fields to edit, and retiring it.
struct AdminDepartmentPage {
    var departmentsURL = SiteURL.adminDepartments.path
    var action: String
    var name: String
    var area: String
    var retired: Bool
    var retiredAt: String
    var form: AdminDepartmentForm
    var retireError: String?
    var message: String?
}
