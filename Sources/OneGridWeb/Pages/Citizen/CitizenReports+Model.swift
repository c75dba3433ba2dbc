/// The city's reports for everyone (`/reports`), as FixMyStreet shows a town's: a map of the
/// areas with the reports as points, and the list, newest first — kind, place, state, day; no
/// person, no text, and none of the categories kept from the public.
struct CitizenReportsPage {
    struct Row {
        var category: String
        var place: String
        var status: String
        var done: Bool
        var date: String
    }

    struct Crumb {
        var name: String
        var href: String
    }

    var area: String
    var heading: String
    var crumbs: [Crumb]
    var hasCrumbs: Bool
    var map: String
    var rows: [Row]
    var hasRows: Bool
    var count: String
    var reportURL = SiteURL.citizenReport.path
}
