public import Foundation

/// How a petition arrived (信访工作条例 Art. 17).
public enum PetitionForm: String, Codable, Sendable, CaseIterable {
    case letter, visit, online, phone, fax
}

/// What a petition asks for (Art. 29–31): each class has its own way of being handled.
public enum PetitionClass: String, Codable, Sendable, CaseIterable {
    /// 建议意见类 (Art. 29).
    case suggestion
    /// 检举控告类 (Art. 30).
    case accusation
    /// 申诉求决类 (Art. 31): the class that may belong to a legal route instead.
    case appeal
}

/// A person who signed or brought the petition. The phone and ID number are shown masked to
/// posts that may not reveal them, as a reporter's are (`PersonalData`).
public struct Petitioner: Codable, Sendable, Hashable {
    public var name: String
    public var phone: String?
    public var idNumber: String?

    public init(name: String, phone: String? = nil, idNumber: String? = nil) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber?.uppercased()
    }

    public var masked: Petitioner {
        Petitioner(name: name, phone: phone.map(PersonalData.maskPhone), idNumber: idNumber.map(PersonalData.maskIDNumber))
    }
}

/// The body that holds a petition at some step and answers for its limits (Art. 44): a
/// department, or the centre of an area when no department holds it.
public enum PetitionUnit: Sendable, Hashable, TextCodable {
    case department(Int64)
    case centre(areaID: Int64)

    /// As stored and sent: "department:12" or "centre:5".
    public var description: String {
        switch self {
        case .department(let id): "department:\(id)"
        case .centre(let areaID): "centre:\(areaID)"
        }
    }

    public init(parsing text: String, field: String = "unit") throws(DomainError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = Int64(parts[1]), id > 0 else {
            throw DomainError.invalid(field: field, "expected a unit like department:12 or centre:5, got '\(text)'")
        }
        switch parts[0] {
        case "department": self = .department(id)
        case "centre": self = .centre(areaID: id)
        default: throw DomainError.invalid(field: field, "expected a unit like department:12 or centre:5, got '\(text)'")
        }
    }

    /// The unit a post acts for: its department, else its area's centre.
    public init(post: Post) {
        self = post.departmentID.map(PetitionUnit.department) ?? .centre(areaID: post.areaID)
    }
}

/// Where a petition stands in its own procedure, beside its case's status.
public enum PetitionStage: String, Codable, Sendable, CaseIterable {
    /// Registered by the body that received it; to be routed or accepted (Art. 22).
    case registered
    /// Sent to the body with the remit; it must say whether it accepts, or object (Art. 23).
    case routed
    /// Accepted: the reply is due (Art. 34).
    case accepted
    /// Not accepted, the petitioner told why (Art. 23). Closed.
    case notAccepted
    /// The written reply (信访处理意见书) was given; a review may be asked for (Art. 35).
    case replied
    /// A review (复查) or re-review (复核) is under way (Art. 35–36).
    case underReview
    /// Guided to a legal route with a written reason (诉访分离, Art. 31). Closed.
    case guided

    public var isClosed: Bool { self == .notAccepted || self == .guided }
}

/// The petition record of a petition case (DOMAIN.md §5): how it came, what it asks, who brought
/// it, and where it stands against the limits of the 信访工作条例.
public struct Petition: Codable, Sendable, Hashable {
    /// Five or more people make a collective petition (集体访).
    public static let collectiveHeadcount = 5

    public var caseID: Int64
    public var form: PetitionForm
    public var petitionClass: PetitionClass
    /// How many people brought it; may exceed the petitioners named (a crowd names representatives).
    public var headcount: Int
    public var petitioners: [Petitioner]
    public var matter: String
    /// The bodies the petition was addressed to, as the petitioner wrote them.
    public var bodiesAddressed: [String]
    /// It went to a level above the one above the level responsible (越级).
    public var crossLevel: Bool
    public var registeringUnit: PetitionUnit
    /// The unit that must now accept, reply or answer a review; nil until routed or accepted.
    public var handlingUnit: PetitionUnit?
    public var stage: PetitionStage
    public var receivedAt: Date
    /// When the registering body's routing limit started: at receipt, again after an objection.
    public var routeStartedAt: Date
    public var routedAt: Date?
    public var acceptedAt: Date?
    public var replyExtension: Extension?
    public var repliedAt: Date?
    public var reviewCount: Int
    public var reviewRequestedAt: Date?
    public var legalRoute: LegalRoute?
    /// The earlier petition this one repeats, once a person confirmed it.
    public var repeatOf: Int64?
    /// Bumped by every step; a step decided on an older version loses.
    public var version: Int

    /// The one extension of the reply limit (Art. 34).
    public struct Extension: Codable, Sendable, Hashable {
        public var by: TimeLimit
        public var approvedBy: String
        public var reason: String
    }

    public init(
        caseID: Int64, form: PetitionForm, petitionClass: PetitionClass, headcount: Int, petitioners: [Petitioner],
        matter: String, bodiesAddressed: [String], crossLevel: Bool, registeringUnit: PetitionUnit, receivedAt: Date
    ) {
        self.caseID = caseID
        self.form = form
        self.petitionClass = petitionClass
        self.headcount = headcount
        self.petitioners = petitioners
        self.matter = matter
        self.bodiesAddressed = bodiesAddressed
        self.crossLevel = crossLevel
        self.registeringUnit = registeringUnit
        self.handlingUnit = nil
        self.stage = .registered
        self.receivedAt = receivedAt
        self.routeStartedAt = receivedAt
        self.reviewCount = 0
        self.version = 1
    }

    public var isCollective: Bool { headcount >= Self.collectiveHeadcount }

    /// The ID numbers of its petitioners, for finding their earlier petitions.
    public var idNumbers: Set<String> { Set(petitioners.compactMap(\.idNumber)) }

    /// With every petitioner's phone and ID number masked.
    public var masked: Petition {
        var copy = self
        copy.petitioners = petitioners.map(\.masked)
        return copy
    }

    /// A petition skipped a level (越级) when it went higher than the level directly above the one
    /// responsible for the matter.
    public static func skipsLevel(addressed: AdminLevel, responsible: AdminLevel) -> Bool {
        addressed < (responsible.above ?? responsible)
    }
}
