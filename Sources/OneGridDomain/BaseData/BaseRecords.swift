public import Foundation

/// Whether a resident's household registration (户籍) is here, elsewhere (流动人口) or nowhere yet
/// (未落户).
public enum Registration: String, Codable, Sendable, CaseIterable {
    case registered, floating, unregistered

    public var chineseName: String {
        switch self {
        case .registered: "户籍人口"
        case .floating: "流动人口"
        case .unregistered: "未落户人口"
        }
    }
}

/// A household (户): where its people live, in one grid and, in a building, one unit of it.
public struct Household: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var areas: AreaPath
    public var placeID: Int64?
    public var unit: String?
    public var address: String
    public var registration: Registration
    public var phone: String?
    public var registeredAt: Date
    /// When a visit falls due, from its people's kinds and its last visit (nil: none is due).
    public var visitDueAt: Date?
    public var lastVisitAt: Date?

    public init(
        id: Int64, areas: AreaPath, placeID: Int64? = nil, unit: String? = nil, address: String, registration: Registration,
        phone: String? = nil, registeredAt: Date, visitDueAt: Date? = nil, lastVisitAt: Date? = nil
    ) {
        self.id = id
        self.areas = areas
        self.placeID = placeID
        self.unit = unit
        self.address = address
        self.registration = registration
        self.phone = phone
        self.registeredAt = registeredAt
        self.visitDueAt = visitDueAt
        self.lastVisitAt = lastVisitAt
    }

    /// How every page names it: its address and, in a building, its unit (the house number).
    public var label: String { address + (unit.map { " " + $0 } ?? "") }
}

/// A person living in a grid, in one household, of one kind (ordinary, hardship, …).
public struct Resident: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var householdID: Int64
    public var areas: AreaPath
    public var name: String
    public var idNumber: String
    public var phone: String?
    /// 户主, 配偶, 子女 …: free text as the household register writes it.
    public var relation: String?
    public var kind: String
    public var registration: Registration

    public init(
        id: Int64, householdID: Int64, areas: AreaPath, name: String, idNumber: String, phone: String? = nil, relation: String? = nil,
        kind: String, registration: Registration
    ) {
        self.id = id
        self.householdID = householdID
        self.areas = areas
        self.name = name
        self.idNumber = idNumber
        self.phone = phone
        self.relation = relation
        self.kind = kind
        self.registration = registration
    }
}

/// A place or thing (地、物): a building, rental housing, a school, a market, a hazardous-goods
/// site …, by its kind. Households in a building name it and their unit.
public struct Place: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var areas: AreaPath
    public var kind: String
    public var name: String
    public var address: String
    /// How many units (flats, rooms to let) it has, where that applies.
    public var units: Int?
    public var contactName: String?
    public var phone: String?
    public var visitDueAt: Date?
    public var lastVisitAt: Date?

    public init(
        id: Int64, areas: AreaPath, kind: String, name: String, address: String, units: Int? = nil, contactName: String? = nil,
        phone: String? = nil, visitDueAt: Date? = nil, lastVisitAt: Date? = nil
    ) {
        self.id = id
        self.areas = areas
        self.kind = kind
        self.name = name
        self.address = address
        self.units = units
        self.contactName = contactName
        self.phone = phone
        self.visitDueAt = visitDueAt
        self.lastVisitAt = lastVisitAt
    }
}

/// An enterprise, social organisation or party organisation in a grid.
public struct Organisation: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var areas: AreaPath
    public var kind: String
    public var name: String
    /// 统一社会信用代码, where it has one.
    public var creditCode: String?
    public var placeID: Int64?
    public var contactName: String?
    public var phone: String?
    public var visitDueAt: Date?
    public var lastVisitAt: Date?

    public init(
        id: Int64, areas: AreaPath, kind: String, name: String, creditCode: String? = nil, placeID: Int64? = nil,
        contactName: String? = nil, phone: String? = nil, visitDueAt: Date? = nil, lastVisitAt: Date? = nil
    ) {
        self.id = id
        self.areas = areas
        self.kind = kind
        self.name = name
        self.creditCode = creditCode
        self.placeID = placeID
        self.contactName = contactName
        self.phone = phone
        self.visitDueAt = visitDueAt
        self.lastVisitAt = lastVisitAt
    }
}

/// A record a visit or a case concerns.
public struct SubjectRef: Codable, Sendable, Hashable {
    public var subject: BaseSubject
    public var id: Int64

    public init(_ subject: BaseSubject, _ id: Int64) {
        self.subject = subject
        self.id = id
    }
}

/// One entry of a record's history: who changed which fields, when, from what to what (personal
/// fields as their masks, so the history never discloses them).
public struct BaseChange: Codable, Sendable, Hashable {
    public var subject: SubjectRef
    public var userID: Int64
    public var postID: Int64
    public var at: Date
    /// `create`, `update` or `import`.
    public var action: String
    /// Field name → [old, new]; old is "" for a new record.
    public var fields: [String: [String]]

    public init(subject: SubjectRef, userID: Int64, postID: Int64, at: Date, action: String, fields: [String: [String]]) {
        self.subject = subject
        self.userID = userID
        self.postID = postID
        self.at = at
        self.action = action
        self.fields = fields
    }
}
