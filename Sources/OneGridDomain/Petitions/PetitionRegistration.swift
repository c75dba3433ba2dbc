public import Foundation

/// What a clerk enters to register a petition on a petition case, before it is checked.
public struct PetitionRegistration: Codable, Sendable, Hashable {
    public var form: String
    public var petitionClass: String
    public var headcount: Int
    public var petitioners: [Petitioner]
    public var matter: String
    public var bodiesAddressed: [String]
    /// The level of the body the petitioner went to, for the cross-level flag.
    public var addressedLevel: String

    public init(
        form: String, petitionClass: String, headcount: Int, petitioners: [Petitioner], matter: String, bodiesAddressed: [String],
        addressedLevel: String
    ) {
        self.form = form
        self.petitionClass = petitionClass
        self.headcount = headcount
        self.petitioners = petitioners
        self.matter = matter
        self.bodiesAddressed = bodiesAddressed
        self.addressedLevel = addressedLevel
    }

    /// Most petitioners a record names; a larger crowd names representatives (Art. 18: five at most
    /// come in person for a collective visit, the rest are counted).
    public static let maxNamed = 200

    /// The petition this registration makes, or a refusal naming the field that is wrong.
    /// - Parameter responsibleLevel: the level whose bodies answer for the matter (the case's).
    public func petition(
        caseID: Int64, registeringUnit: PetitionUnit, responsibleLevel: AdminLevel, receivedAt: Date
    ) throws(DomainError) -> Petition {
        func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ value: String, field: String) throws(DomainError) -> T
        where T.RawValue == String {
            guard let parsed = T(rawValue: value) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw DomainError.invalid(field: field, "expected one of \(allowed), got '\(value)'")
            }
            return parsed
        }
        let form = try choice(PetitionForm.self, form, field: "form")
        let petitionClass = try choice(PetitionClass.self, petitionClass, field: "petitionClass")
        let addressed = try choice(AdminLevel.self, addressedLevel, field: "addressedLevel")
        let matter = matter.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !matter.isEmpty, matter.count <= PetitionProcedure.maxText else {
            throw DomainError.invalid(field: "matter", "the matter is 1 to \(PetitionProcedure.maxText) characters")
        }
        guard !petitioners.isEmpty, petitioners.count <= Self.maxNamed else {
            throw DomainError.invalid(field: "petitioners", "name 1 to \(Self.maxNamed) petitioners")
        }
        guard headcount >= petitioners.count, headcount <= 100_000 else {
            throw DomainError.invalid(field: "headcount", "headcount counts every petitioner: at least the \(petitioners.count) named")
        }
        for (index, person) in petitioners.enumerated() {
            let field = "petitioners[\(index)]"
            let name = person.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 100 else {
                throw DomainError.invalid(field: "\(field).name", "a petitioner's name is 1 to 100 characters")
            }
            if let phone = person.phone { try PersonalData.validatePhone(phone, field: "\(field).phone") }
            if let number = person.idNumber { try PersonalData.validateIDNumber(number, field: "\(field).idNumber") }
        }
        let bodies = bodiesAddressed.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard bodies.count <= 20, bodies.allSatisfy({ $0.count <= 200 }) else {
            throw DomainError.invalid(field: "bodiesAddressed", "at most 20 bodies, each at most 200 characters")
        }
        return Petition(
            caseID: caseID, form: form, petitionClass: petitionClass, headcount: headcount,
            petitioners: petitioners.map { Petitioner(name: $0.name.trimmingCharacters(in: .whitespacesAndNewlines), phone: $0.phone, idNumber: $0.idNumber) },
            matter: matter, bodiesAddressed: bodies,
            crossLevel: Petition.skipsLevel(addressed: addressed, responsible: responsibleLevel),
            registeringUnit: registeringUnit, receivedAt: receivedAt)
    }
}
