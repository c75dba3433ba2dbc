import Foundation

/// Choices of a select or a row of tabs.
struct AssessmentOption {
    var value: String
    var label: String
    var href: String = ""
    var selected: Bool
}

/// A level's table: ranked units with their rates, score, cards and grade.
struct AssessmentPage {
    struct Row {
        var rank: String
        var unit: String
        var sheetURL: String
        var place: String
        var rates: [String]
        var score: String
        var cardPoints: String
        var grade: String
        /// `grade-a` … `grade-e`, `grade-none`: the colour beside the letter.
        var gradeClass: String
        var stationed: String
    }

    var levels: [AssessmentOption]
    var periods: [AssessmentOption]
    var level: String
    var levelName: String
    var period: String
    var pageURL = SiteURL.assessment.path
    /// "已于 2026-12-01 09:00 关闭，结果不再变化", or nil while open.
    var closed: String?
    var canClose: Bool
    var closeURL = SiteURL.assessmentClose.path
    var settingsURL: String?
    var gridWorkURL: String
    var exportURL: String
    var indicators: [String]
    var showsStationed: Bool
    var rows: [Row]
    var message: String?
    var error: String?
}

/// One unit's score sheet: every indicator's counts, its cards, and the cases behind one indicator.
struct AssessmentSheetPage {
    struct Line {
        var name: String
        var numerator: Int
        var denominator: Int
        var rate: String
        var weight: String
        var lowerIsBetter: Bool
        var casesURL: String
        var current: Bool
    }

    struct Card {
        var colour: String
        var colourClass: String
        var points: String
        var reason: String
        var caseURL: String?
        var caseID: String
        var at: String
    }

    struct CaseLine {
        var id: Int64
        /// The case's number as every page shows it (20261104-00002893).
        var number: String
        var url: String
        var title: String
        var status: String
        var created: String
        var counted: Bool
        var countedLabel: String
    }

    var unit: String
    var place: String
    var levelName: String
    var period: String
    var closed: String?
    var backURL: String
    var lines: [Line]
    var rateScore: String
    var cardPoints: String
    var score: String
    var grade: String
    var gradeClass: String
    var cards: [Card]
    var givesCards: Bool
    var cardsURL = SiteURL.assessmentCards.path
    var level: String
    var unitID: Int64
    var periodKey: String
    var redSelected: Bool
    var indicator: String?
    var indicatorName: String?
    var cases: [CaseLine]
    /// "显示前 500 件" when the list was cut short.
    var casesCut: String?
    var exportURL: String
    var typed: [String: String]
    var errors: [String: String]
    var message: String?
}

/// The administrator's settings form; each field named as the domain names it
/// (`weights.town.closure`), so a refusal lands next to its field.
struct AssessmentSettingsPage {
    struct Field {
        var name: String
        var id: String
        var label: String
        var value: String
        var error: String?
    }

    struct Group {
        var heading: String
        var note: String?
        var error: String?
        var fields: [Field]
    }

    var groups: [Group]
    var pageURL = SiteURL.assessmentSettings.path
    var backURL = SiteURL.assessment.path
    var message: String?
    var error: String?
}

/// Grid workers' figures over a period, per village, grid and worker.
struct GridWorkPage {
    struct Row {
        var name: String
        var place: String
        var visits: Int
        var due: Int
        var coverage: String
        var reports: Int
        var validRate: String
        var verifiedOnTime: String
    }

    var area: String
    var areas: [AssessmentOption]
    var periods: [AssessmentOption]
    /// Per village, per grid, per worker.
    struct Section {
        var id: String
        var heading: String
        var nameHeading: String
        var placeHeading: String
        var rows: [Row]
    }

    var pageURL = SiteURL.gridWork.path
    var exportURL: String
    var sections: [Section]
}
