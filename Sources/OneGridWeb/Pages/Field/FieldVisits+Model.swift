/// Who a grid worker should visit this week, the overdue first, each with its colour in words.
struct FieldVisitsPage {
    struct Row {
        var href: String
        var label: String
        var kind: String
        var due: String
        /// red: overdue, yellow: due today, green: later this week.
        var state: String
        var last: String
    }

    var notice: String?
    var rows: [Row]
}

/// The form that logs one visit, and may turn its findings into a case.
struct FieldVisitForm {
    struct Choice {
        var value: String
        var label: String
    }

    var action: String
    var label: String
    var kind: String
    var categories: [Choice]
    var error: String?
}
