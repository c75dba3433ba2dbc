public import Foundation

/// A body that mediates: a committee or office at one area, whose members are users holding the
/// mediator role. Only its members take the mediation steps of the disputes it is given.
public struct MediationBody: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    public var kind: MediationBodyKind
    public var areaID: Int64
    public var level: AdminLevel
    public var memberUserIDs: [Int64]
    /// When an administrator retired it: it keeps the disputes it has but takes no new one.
    public var retiredAt: Date?

    public init(
        id: Int64, name: String, kind: MediationBodyKind, areaID: Int64, level: AdminLevel, memberUserIDs: [Int64] = [],
        retiredAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.areaID = areaID
        self.level = level
        self.memberUserIDs = memberUserIDs
        self.retiredAt = retiredAt
    }

    public func hasMember(_ userID: Int64) -> Bool { memberUserIDs.contains(userID) }

    /// A village committee sits at a village and a town committee at a town; trade, administrative
    /// and court-annexed bodies and the centre's office sit where they are set up.
    public static func validate(name: String, kind: MediationBodyKind, level: AdminLevel) throws(DomainError) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
            throw DomainError.invalid(field: "name", "expected the body's name, 1–200 characters")
        }
        if let required = kind.requiredLevel, required != level {
            throw DomainError.invalid(
                field: "areaID", "a \(kind.rawValue) sits at a \(required.rawValue), not at a \(level.rawValue)")
        }
        guard level.runsCentre else {
            throw DomainError.invalid(field: "areaID", "a mediation body sits at a village or above, not in a grid")
        }
    }
}
