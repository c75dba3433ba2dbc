/// A case as its private follow link shows it (`/follow/{token}`): its number, kind, place and
/// state, what was done and when in plain words, what the citizen was told, and the rating and
/// look-again forms when they may be used. Built from `CitizenPortal.Followed` alone, which
/// carries nobody's name, phone or note.
struct CitizenFollowPage {
    struct Step {
        var text: String
        var at: String
        var current: Bool
    }

    struct Message {
        var text: String
        var at: String
    }

    struct Choice {
        var value: String
        var label: String
    }

    var number: String
    var category: String
    var place: String
    var status: String
    var reportedAt: String
    var steps: [Step]
    var messages: [Message]
    var hasMessages: Bool
    /// Just reported: the number and the link to keep.
    var isNew: Bool
    var thanks: String
    /// The whole address, as the citizen keeps it.
    var link: String
    var rating: String?
    var ratingText: String?
    var mayRate: Bool
    var ratings: [Choice]
    var rateURL: String
    var mayLookAgain: Bool
    var lookAgainURL: String
    var lookAgainAt: String?
    var lookAgainText: String?
    /// What the last form did, or why it was refused.
    var done: String?
    var refused: String?
}
