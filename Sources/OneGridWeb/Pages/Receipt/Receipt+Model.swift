import Foundation

/// The receipt (回执) the window hands the person: an A4 document with the city, the case number,
/// what was registered, the deadline, how to follow it, and the window's signature and stamp.
struct ReceiptPage {
    struct Line {
        var label: String
        var value: String
    }

    var city: String
    var number: String
    var date: String
    var lines: [Line]
    var description: String?
    /// The deadline, or what the window did instead (solved, rejected, guided).
    var outcomeLabel: String
    var outcome: String
    var follow: String
    var window: String
    var clerk: String
    var caseURL: String
    var intakeURL = SiteURL.intake.path
}
