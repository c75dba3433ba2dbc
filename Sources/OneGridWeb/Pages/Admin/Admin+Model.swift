import OneGridDomain

/// The administrator's home: what the city holds, counted, each count leading to its page.
struct AdminHomePage {
    struct Count {
        var label: String
        var value: Int
        var href: String?
    }

    var hierarchy: [Count]
    var directory: [Count]
    var users: [Count]
    var usersURL = SiteURL.adminUsers.path
    var areasURL = SiteURL.adminAreas.path
    var departmentsURL = SiteURL.adminDepartments.path
    var categoriesURL = SiteURL.adminCategories.path
    var deadlinesURL = SiteURL.adminDeadlines.path
    var webhooksURL = SiteURL.adminWebhooks.path
    var mediationURL = SiteURL.adminMediation.path
    var riskURL = SiteURL.adminRisk.path
}

/// An option of a select, chosen or not.
struct AdminOption {
    var value: String
    var label: String
    var selected: Bool
}

/// A form field's value as posted, and what is wrong with it in plain words.
struct AdminField {
    var value = ""
    var error: String?
}

/// The fields of a new post: role, area and, for a department handler, the department.
struct AdminPostForm {
    /// Keeps the ids of two such forms on one page apart.
    var prefix: String
    var roles: [AdminOption]
    var areas: [AdminOption]
    var departments: [AdminOption]
    var roleError: String?
    var areaError: String?
    var departmentError: String?
}

/// Accounts, filtered, with the form that creates one.
struct AdminUsersPage {
    struct Row {
        var href: String
        var username: String
        var displayName: String
        var posts: [String]
        var disabled: Bool
        var lastSignIn: String
    }

    var action = SiteURL.adminUsers.path
    var text: String
    var roles: [AdminOption]
    var areas: [AdminOption]
    var rows: [Row]
    var count: Int
    var username: AdminField
    var displayName: AdminField
    var phone: AdminField
    var password: AdminField
    var post: AdminPostForm
}

/// One account: its posts, its state and the changes an administrator makes to it.
struct AdminUserPage {
    struct PostRow {
        var id: Int64
        var name: String
        var removable: Bool
    }

    var action: String
    var usersURL = SiteURL.adminUsers.path
    var username: String
    var displayName: String
    var phone: String
    var disabled: Bool
    var disabledAt: String
    var lastSignIn: String
    var posts: [PostRow]
    var post: AdminPostForm
    /// The administrator's own account: it cannot be disabled from here.
    var own: Bool
    var message: String?
    var password: String?
    var error: String?
    var passwordError: String?
}
