/// A village's or town's residents (人口信息): a grid's list or a search by name or ID number,
/// masked, a page at a time, with the register's import and export beside it.
struct ResidentsPage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row {
        var href: String
        var name: String
        var idNumber: String
        var phone: String
        var kind: String
        var registration: String
        var grid: String
    }

    var action: String
    var text: String
    var grids: [Option]
    var rows: [Row]
    var nextURL: String?
    var exportURL: String
    var importURL: String?
    var overdueURL: String?
}

/// One person's file: them (masked, revealed one field at a time with a purpose), their
/// household, the cases about them, the household's visits and the record's history.
struct ResidentPage {
    struct Fact {
        var label: String
        var value: String
        var field: String = ""
        var revealable: Bool = false
    }

    struct Member {
        var href: String
        var name: String
        var relation: String
        var kind: String
        var current: Bool
    }

    struct CaseRow {
        var href: String
        var number: String
        var title: String
        var status: String
        var reported: String
    }

    struct VisitRow {
        var at: String
        var whom: String
        var findings: String
        var caseHref: String?
        var caseID: Int64?
    }

    struct Change {
        var at: String
        var who: String
        var action: String
        var fields: String
    }

    var name: String
    var facts: [Fact]
    var revealURL: String
    var mayReveal: Bool
    var revealed: String?
    var household: [Fact]
    /// The household's risk colour (四情三色) with its reasons, for a post that reads the risk
    /// picture; nil when it is green.
    var risk: RiskRow?
    var members: [Member]
    var cases: [CaseRow]
    var visits: [VisitRow]
    var history: [Change]
    var backURL: String
}

/// The import of a household register, and what it did.
struct ResidentsImportPage {
    struct Problem {
        var line: Int
        var field: String
        var expected: String
    }

    var action: String
    var columns: String
    var kinds: String
    var done: String?
    var problems: [Problem]
    var backURL: String
}

/// Overdue visits and visits this month per grid and per grid worker of an area.
struct OverdueVisitsPage {
    struct Row {
        var grid: String
        var worker: String
        var overdue: Int
        var visits: Int
    }

    var area: String
    var children: [ResidentsPage.Option]
    var action: String
    var grids: [Row]
    var workers: [Row]
}
