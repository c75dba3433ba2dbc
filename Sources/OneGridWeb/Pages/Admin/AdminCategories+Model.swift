/// The categories with where their cases start, who handles them and their limits.
struct AdminCategoriesPage {
    struct Row {
        var href: String
        var code: String
        var name: String
        /// A category below another is indented under it.
        var child: Bool
        var platform: String
        var level: String
        var department: String
        var acceptance: String
        var signing: String
        var handling: String
        var escalates: Bool
        var keywords: Int
    }

    var rows: [Row]
    var classifierURL = SiteURL.adminClassifier.path
    var message: String?
    /// The codes the citizens' public list and map leave out, one a line.
    var hiddenCodes: String
    var publicURL = SiteURL.adminPublicCategories.path
}

/// One category: its level, department and limits, its keywords, and retraining the proposal.
struct AdminCategoryPage {
    var categoriesURL = SiteURL.adminCategories.path
    var classifierURL = SiteURL.adminClassifier.path
    var action: String
    var categoryID: Int64
    var code: String
    var name: String
    var platform: String
    var levels: [AdminOption]
    var departments: [AdminOption]
    var levelError: String?
    var departmentError: String?
    var acceptance: AdminField
    var signing: AdminField
    var handling: AdminField
    var escalates: Bool
    var keywords: AdminField
    var message: String?
}
