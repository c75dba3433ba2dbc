/// The deadline settings: the share of a limit after which a clock turns yellow, and the
/// working calendar deadlines are counted on, as the file the administrator keeps.
struct AdminDeadlinesPage {
    var action = SiteURL.adminDeadlines.path
    var yellowShare: AdminField
    var calendar: AdminField
    var holidays: Int
    var workdays: Int
    var message: String?
}
