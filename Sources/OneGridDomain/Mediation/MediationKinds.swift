/// What a dispute is about (纠纷类型), as the mediation statistics of the justice bureaus count them.
public enum DisputeType: String, Codable, Sendable, CaseIterable {
    case neighbour, familyAndMarriage, landAndHousing, labourAndWages, contractAndDebt, propertyManagement, medical,
        traffic, consumer, other

    public var chineseName: String {
        switch self {
        case .neighbour: "邻里纠纷"
        case .familyAndMarriage: "婚姻家庭纠纷"
        case .landAndHousing: "土地房屋纠纷"
        case .labourAndWages: "劳动争议及欠薪纠纷"
        case .contractAndDebt: "合同债务纠纷"
        case .propertyManagement: "物业纠纷"
        case .medical: "医疗纠纷"
        case .traffic: "交通事故纠纷"
        case .consumer: "消费纠纷"
        case .other: "其他纠纷"
        }
    }
}

/// A party's side in the dispute.
public enum PartyRole: String, Codable, Sendable, CaseIterable {
    case applicant, respondent, thirdParty

    public var chineseName: String {
        switch self {
        case .applicant: "申请人"
        case .respondent: "被申请人"
        case .thirdParty: "第三人"
        }
    }
}

public enum PartyKind: String, Codable, Sendable, CaseIterable {
    case person, organisation
}

/// Whether a party agreed to be mediated: mediation may go on until one refuses outright
/// (人民调解法 Art. 17 forbids mediating only over an explicit refusal).
public enum PartyConsent: String, Codable, Sendable, CaseIterable {
    case pending, consented, refused
}

/// The bodies that mediate (多元化解): people's mediation committees of villages and towns,
/// trade committees, administrative and court-annexed mediation, and the centre's chief
/// mediator office, which takes the major disputes.
public enum MediationBodyKind: String, Codable, Sendable, CaseIterable {
    case villageCommittee, townCommittee, labourCommittee, medicalCommittee, trafficCommittee, propertyCommittee,
        administrative, courtAnnexed, centreChiefMediator

    public var chineseName: String {
        switch self {
        case .villageCommittee: "村（社区）人民调解委员会"
        case .townCommittee: "乡镇（街道）人民调解委员会"
        case .labourCommittee: "劳动争议人民调解委员会"
        case .medicalCommittee: "医疗纠纷人民调解委员会"
        case .trafficCommittee: "交通事故人民调解委员会"
        case .propertyCommittee: "物业纠纷人民调解委员会"
        case .administrative: "行政调解"
        case .courtAnnexed: "诉前调解（法院委派）"
        case .centreChiefMediator: "综治中心首席调解室"
        }
    }

    /// The level a committee of this kind sits at, when the kind fixes one.
    public var requiredLevel: AdminLevel? {
        switch self {
        case .villageCommittee: .village
        case .townCommittee: .town
        default: nil
        }
    }
}

/// How a dispute ended, and what a failed one tells the parties.
public enum DisputeStatus: String, Codable, Sendable, CaseIterable {
    /// Registered; no body mediates it yet.
    case registered
    case mediating
    /// A party refused mediation (Art. 17): ended, the parties told their legal routes.
    case refused
    /// An agreement took effect (Art. 29–30).
    case agreed
    /// Mediation failed and was ended (Art. 26).
    case noAgreement
    case withdrawn

    public var isOpen: Bool { self == .registered || self == .mediating }
}

/// The court's answer to an application for judicial confirmation (Art. 33).
public enum CourtDecision: String, Codable, Sendable, CaseIterable {
    case confirmed, rejected
}
