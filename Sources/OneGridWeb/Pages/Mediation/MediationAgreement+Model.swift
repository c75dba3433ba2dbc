/// The people's mediation agreement (人民调解协议书) as the form prints it on A4: the body, the
/// parties, the facts, the terms and obligations, and the blocks for each party's signature, the
/// mediator's signature and the committee's stamp (人民调解法 Art. 28–29).
struct MediationAgreementPage {
    struct Party {
        var role: String
        var name: String
        var details: String
    }

    struct Signature {
        var who: String
        var signedAt: String?
    }

    var city: String
    var body: String
    var number: String
    var parties: [Party]
    var facts: String
    var terms: String
    var obligations: [String]
    var copies: String
    var effect: String
    var partySignatures: [Signature]
    var mediator: Signature
    var stampedAt: String?
    var date: String
    var state: String
    var disputeURL: String
}
