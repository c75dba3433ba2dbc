import Foundation

/// A dispute case's mediation file (调解卷宗): the parties (masked, with a recorded reveal), the
/// sessions, the agreements and follow-ups, and one form per step this post may take now; or,
/// before the file is opened, the registration form for the centre that holds the case.
struct DisputePage {
    struct Fact {
        var label: String
        var value: String
    }

    struct Choice {
        var value: String
        var label: String
        var checked = false
    }

    struct Personal {
        var label: String
        var value: String
        var field: String
        var revealable: Bool
    }

    struct Party {
        var number: Int
        var name: String
        var role: String
        var kind: String
        var consent: String
        var personal: [Personal]
    }

    struct Session {
        var number: Int
        var at: String
        var place: String
        var participants: String
        var record: String
    }

    struct Agreement {
        var number: Int
        var state: String
        var facts: String
        var terms: String
        var obligations: [String]
        var signatures: [String]
        var court: String?
        var printURL: String
    }

    struct FollowUp {
        var at: String
        var result: String
        var carriedOut: Bool
        var note: String
    }

    /// One step's form, asking only for what the step needs.
    struct Form {
        var step: String
        var label: String
        var id: String
        var primary = false
        var note = false
        var noteRequired = false
        var party: [Choice] = []
        var bodies: [Choice] = []
        var session = false
        var agreement: [Int] = []
        var routes: [Choice] = []
        var carriedOut = false
        var court = false
        var parties: [Choice] = []
        var decisions: [Choice] = []
        /// addParty: the new party's role and kind to choose from.
        var newParty: NewParty?
        var refusal: String?
    }

    struct NewParty {
        var roles: [Choice]
        var kinds: [Choice]
    }

    /// The registration form: the dispute's type, amount, people and up to `partyRows` parties.
    struct Registration {
        var actionURL: String
        var types: [Choice]
        var roles: [Choice]
        var kinds: [Choice]
        var partyRows: [Int]
        var refusal: String?
    }

    struct Notice {
        var kind: String
        var text: String
    }

    var caseID: Int64
    var number: String
    var title: String
    var caseURL: String
    var notice: Notice?
    var registration: Registration?
    // The file, once registered.
    var status = ""
    var risk = ""
    var riskState = ""
    var version = 0
    var stepURL = ""
    var revealURL = ""
    var facts: [Fact] = []
    var summary = ""
    var parties: [Party] = []
    var sessions: [Session] = []
    var agreements: [Agreement] = []
    var followUps: [FollowUp] = []
    var forms: [Form] = []
    var mayReveal = false
}
