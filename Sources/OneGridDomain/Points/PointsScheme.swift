public import Foundation

/// A civic act a village rewards, or a lapse it deducts for (积分细则): "参加志愿服务 +5",
/// "门前乱堆乱放 −5". A village writes its own rules; a retired rule stays for the entries made by it.
public struct PointsRule: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var villageID: Int64
    public var name: String
    public var points: Int
    public var retiredAt: Date?

    public init(id: Int64, villageID: Int64, name: String, points: Int, retiredAt: Date? = nil) {
        self.id = id
        self.villageID = villageID
        self.name = name
        self.points = points
        self.retiredAt = retiredAt
    }

    public static let nameLimit = 60
    /// One act is worth at most this many points either way: a points scheme rewards habits, and
    /// a rule worth hundreds would let one entry decide the ranking.
    public static let pointsLimit = 100

    /// A rule as a village's centre writes it, refused naming the field when it is not one.
    public static func draft(name: String, points: Int, villageID: Int64) throws(DomainError) -> PointsRule {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= nameLimit else { throw .invalid(field: "name", "a name of 1–\(nameLimit) characters") }
        guard points != 0, abs(points) <= pointsLimit else {
            throw .invalid(field: "points", "points from −\(pointsLimit) to \(pointsLimit), not 0")
        }
        return PointsRule(id: 0, villageID: villageID, name: name, points: points)
    }
}

/// What a ledger entry records.
public enum PointsEntryKind: String, Codable, Sendable, CaseIterable {
    /// Points earned under a rule.
    case award
    /// Points taken under a rule of negative points.
    case deduction
    /// Points spent on something from the village's points shop (积分超市).
    case redemption
}

/// One entry of a village's points ledger: append-only, each entry carrying the hash of the one
/// before, as a case's timeline does, so an entry changed or removed afterwards shows.
public struct PointsEntry: Codable, Sendable, Hashable {
    public var villageID: Int64
    /// 1 for the village's first entry; given when the entry is written.
    public var sequence: Int64
    public var householdID: Int64
    public var kind: PointsEntryKind
    public var ruleID: Int64?
    /// Signed: positive earned, negative deducted or spent.
    public var points: Int
    /// The rule's name, or what was redeemed, and the note of who recorded it.
    public var note: String
    public var userID: Int64
    public var postID: Int64
    public var atMillis: Int64
    public var previousHash: String

    public init(
        villageID: Int64, sequence: Int64 = 0, householdID: Int64, kind: PointsEntryKind, ruleID: Int64?, points: Int, note: String,
        userID: Int64, postID: Int64, atMillis: Int64, previousHash: String = TimelineEvent.genesisHash
    ) {
        self.villageID = villageID
        self.sequence = sequence
        self.householdID = householdID
        self.kind = kind
        self.ruleID = ruleID
        self.points = points
        self.note = note
        self.userID = userID
        self.postID = postID
        self.atMillis = atMillis
        self.previousHash = previousHash
    }

    /// The canonical JSON of every field, the previous entry's hash included; its SHA-256 is
    /// the entry's hash (computed by the store, which holds the hashing library).
    public var canonical: [UInt8] {
        CanonicalJSON.object([
            ("villageID", .integer(villageID)), ("sequence", .integer(sequence)), ("householdID", .integer(householdID)),
            ("kind", .string(kind.rawValue)), ("ruleID", ruleID.map { .integer($0) }), ("points", .integer(Int64(points))),
            ("note", .string(note)), ("userID", .integer(userID)), ("postID", .integer(postID)), ("atMillis", .integer(atMillis)),
            ("previousHash", .string(previousHash)),
        ])
    }

    public static let noteLimit = 200

    /// An award or deduction under a rule of the household's village.
    public static func under(
        _ rule: PointsRule, householdID: Int64, householdVillageID: Int64, note: String?, by post: Post, at now: Date
    ) throws(DomainError) -> PointsEntry {
        guard rule.villageID == householdVillageID else {
            throw .invalid(field: "ruleID", "rule \(rule.id) is another village's; a household earns under its own village's rules")
        }
        guard rule.retiredAt == nil else { throw .invalid(field: "ruleID", "rule \(rule.id) is retired") }
        let note = try Self.note(note)
        return PointsEntry(
            villageID: rule.villageID, householdID: householdID, kind: rule.points > 0 ? .award : .deduction, ruleID: rule.id,
            points: rule.points, note: note.isEmpty ? rule.name : "\(rule.name)：\(note)", userID: post.userID, postID: post.id,
            atMillis: now.millisecondsSince1970)
    }

    /// Points spent on `item`, never more than the household holds.
    public static func redemption(
        of points: Int, for item: String, householdID: Int64, villageID: Int64, balance: Int, by post: Post, at now: Date
    ) throws(DomainError) -> PointsEntry {
        let item = try Self.note(item)
        guard !item.isEmpty else { throw .invalid(field: "item", "what the points are spent on") }
        guard points > 0 else { throw .invalid(field: "points", "a number of points above 0") }
        guard points <= balance else {
            throw .invalid(field: "points", "the household holds \(balance) points; it cannot spend \(points)")
        }
        return PointsEntry(
            villageID: villageID, householdID: householdID, kind: .redemption, ruleID: nil, points: -points, note: item,
            userID: post.userID, postID: post.id, atMillis: now.millisecondsSince1970)
    }

    static func note(_ text: String?) throws(DomainError) -> String {
        let text = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= noteLimit else { throw .invalid(field: "note", "a note of at most \(noteLimit) characters") }
        return text
    }
}

/// Who runs a village's points scheme: its centre writes the rules and redeems; its grid
/// workers also record what they saw; posts above the village read the ranking and the ledger.
public enum PointsPolicy {
    public static func canKeepRules(of villageID: Int64, as post: Post) -> Bool {
        post.role == .dispatcher && post.areaLevel == .village && post.areaID == villageID
    }

    public static func canRecord(in villageID: Int64, as post: Post, directory: Directory) -> Bool {
        canKeepRules(of: villageID, as: post)
            || (post.role == .gridWorker && directory.areas[post.areaID]?.parentID == villageID)
    }

    public static func canRead(_ villageID: Int64, as post: Post, directory: Directory) -> Bool {
        guard post.role != .citizen, post.role != .departmentHandler else { return false }
        return directory.lineage(of: villageID).contains { $0.id == post.areaID } || canRecord(in: villageID, as: post, directory: directory)
    }
}
