import Foundation

/// A village's points page (积分制): the ranking, the rules, the forms to record and redeem, and
/// the ledger with its chain checked.
struct PointsPage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Standing {
        var rank: Int
        /// The household's number, which the forms take.
        var number: Int64
        var address: String
        var head: String
        var balance: Int
        var earned: Int
    }

    struct Rule {
        var id: Int64
        var name: String
        var points: String
        var positive: Bool
        var retired: Bool
        var retireURL: String?
    }

    struct Entry {
        var sequence: Int64
        var at: String
        var household: String
        var note: String
        var points: String
        var positive: Bool
        var by: String
    }

    var village: String
    /// Other villages the post may look at (posts above a village).
    var villages: [Option]
    var pageURL = SiteURL.points.path
    var ranking: [Standing]
    var rules: [Rule]
    var ruleOptions: [Option]
    var ledger: [Entry]
    /// "共 12 条，哈希链完整" or what was found.
    var chain: String
    var chainIntact: Bool
    var keepsRules: Bool
    var records: Bool
    var villageID: Int64
    var recordURL = SiteURL.pointsEntries.path
    var rulesURL = SiteURL.pointsRules.path
    var message: String?
    /// What was typed into the forms, kept when refused, and the refusals by field.
    var typed: [String: String]
    /// By form (`rule`, `record`, `redeem`), then field.
    var errors: [String: [String: String]]
}
