public import Foundation

/// What a clerk or dispatcher enters to open a dispute's file, as sent: every field is checked
/// and a wrong one named.
public struct DisputeForm: Codable, Sendable, Hashable {
    public var type: String?
    public var amountYuan: Int64?
    public var peopleInvolved: Int?
    public var summary: String?
    public var parties: [PartyForm]?

    public struct PartyForm: Codable, Sendable, Hashable {
        public var kind: String?
        public var role: String?
        public var name: String?
        public var phone: String?
        public var idNumber: String?

        public init(kind: String? = "person", role: String?, name: String?, phone: String? = nil, idNumber: String? = nil) {
            self.kind = kind
            self.role = role
            self.name = name
            self.phone = phone
            self.idNumber = idNumber
        }
    }

    public init(type: String?, amountYuan: Int64? = nil, peopleInvolved: Int? = nil, summary: String?, parties: [PartyForm]?) {
        self.type = type
        self.amountYuan = amountYuan
        self.peopleInvolved = peopleInvolved
        self.summary = summary
        self.parties = parties
    }
}

extension Dispute {
    /// The parties one file holds at most; more people than this are counted in `peopleInvolved`.
    public static let maximumParties = 50

    /// Opens the file of a dispute case from its form: parties checked one by one, the major
    /// rule applied so the dispute is sent to the centre from the start when it must be.
    public static func register(
        _ form: DisputeForm, caseID: Int64, categoryKind: CategoryKind, rule: MajorDisputeRule, at now: Date
    ) throws(DomainError) -> Dispute {
        guard categoryKind == .dispute else {
            throw DomainError(.notAllowedInState, "case \(caseID) is not a dispute (its category is \(categoryKind.rawValue)); only a dispute is mediated")
        }
        let type = try Self.parse(DisputeType.self, form.type, field: "type")
        if let amount = form.amountYuan, amount < 0 {
            throw DomainError.invalid(field: "amountYuan", "expected an amount of 0 yuan or more, got \(amount)")
        }
        let summary = form.summary?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard (1...5_000).contains(summary.count) else {
            throw DomainError.invalid(field: "summary", "expected what the dispute is about, 1–5,000 characters")
        }
        let forms = form.parties ?? []
        guard (2...maximumParties).contains(forms.count) else {
            throw DomainError.invalid(field: "parties", "expected 2–50 parties: a dispute has an applicant and a respondent at least")
        }
        var parties: [Party] = []
        for (index, party) in forms.enumerated() {
            parties.append(try Self.party(party, number: index + 1, field: "parties[\(index)]"))
        }
        guard parties.contains(where: { $0.role == .applicant }), parties.contains(where: { $0.role == .respondent }) else {
            throw DomainError.invalid(field: "parties", "expected at least one applicant and one respondent")
        }
        let people = form.peopleInvolved ?? parties.count
        guard (1...100_000).contains(people) else {
            throw DomainError.invalid(field: "peopleInvolved", "expected 1–100,000 people, got \(people)")
        }
        var dispute = Dispute(
            caseID: caseID, type: type, amountYuan: form.amountYuan, peopleInvolved: people, summary: summary,
            parties: parties, registeredAt: now)
        dispute.majorReason = rule.reason(for: dispute)
        return dispute
    }

    static func party(_ form: DisputeForm.PartyForm, number: Int, field: String) throws(DomainError) -> Party {
        let kind = try parse(PartyKind.self, form.kind ?? PartyKind.person.rawValue, field: "\(field).kind")
        let role = try parse(PartyRole.self, form.role, field: "\(field).role")
        let name = form.name?.trimmingCharacters(in: .whitespaces) ?? ""
        guard (1...200).contains(name.count) else {
            throw DomainError.invalid(field: "\(field).name", "expected the party's name, 1–200 characters")
        }
        let phone = form.phone.flatMap { $0.isEmpty ? nil : $0 }
        if let phone { try PersonalData.validatePhone(phone, field: "\(field).phone") }
        let idNumber = form.idNumber.flatMap { $0.isEmpty ? nil : $0.uppercased() }
        if let idNumber {
            // An organisation's number is its 18-character unified social credit code, whose
            // check differs from a resident ID's; only a person's is checked here.
            if kind == .person {
                try PersonalData.validateIDNumber(idNumber, field: "\(field).idNumber")
            } else if idNumber.count != 18 {
                throw DomainError.invalid(field: "\(field).idNumber", "expected an 18-character unified social credit code")
            }
        }
        return Party(number: number, kind: kind, role: role, name: name, phone: phone, idNumber: idNumber)
    }

    static func parse<T: RawRepresentable & CaseIterable>(_: T.Type, _ raw: String?, field: String) throws(DomainError) -> T
    where T.RawValue == String {
        guard let raw, let value = T(rawValue: raw) else {
            let names = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError.invalid(field: field, "expected one of \(names), got '\(raw ?? "nothing")'")
        }
        return value
    }
}
