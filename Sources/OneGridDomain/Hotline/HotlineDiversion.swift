public import Foundation

/// Why a 12345 ticket is not for the grid to handle: the diversions of Beijing's 接诉即办工作条例
/// Art. 11 that concern a governance platform. The hotline's agent classifies the ticket at first
/// contact (首接负责); OneGrid checks the classification, records it for the hotline's figures, and
/// answers with what the caller is to be told instead of opening a case. (The article's other
/// diversions — secrets or privacy, unlawful demands — stay with the hotline: they never reach a grid.)
public enum DiversionReason: String, Codable, Sendable, CaseIterable {
    /// An emergency: the caller is put through to its special line (Art. 11 (1)).
    case emergency
    /// Already before a legal route — litigation, arbitration, administrative review… (Art. 11 (2)).
    case legalRoute
    /// A repeat of an earlier ticket without a new reason: the caller is told its progress (Art. 11 (3)).
    case repeatWithoutNewReason
    /// Outside government duty: for the market or society to settle (Art. 11 (5)).
    case outsideGovernmentDuty
}

/// The special lines an emergency goes to; 12345 merged every other hotline (国办发〔2020〕53号).
public enum EmergencyLine: String, Codable, Sendable, CaseIterable {
    /// Police.
    case police = "110"
    /// Fire and rescue.
    case fire = "119"
    /// Ambulance.
    case ambulance = "120"
    /// Traffic accidents.
    case traffic = "122"
}

/// A ticket's diversion as the hotline sends it: the reason and the one fact that reason needs.
public struct HotlineDiversion: Codable, Sendable, Hashable {
    public var reason: DiversionReason
    /// For an emergency: the line the caller was put through to.
    public var line: EmergencyLine?
    /// For a matter before a legal route: which.
    public var legalRoute: LegalRoute?
    /// For a repeat: the hotline's ticket it repeats, which OneGrid must know.
    public var earlierTicket: String?
    /// What the agent noted, kept with the record.
    public var note: String?

    public init(
        reason: DiversionReason, line: EmergencyLine? = nil, legalRoute: LegalRoute? = nil, earlierTicket: String? = nil,
        note: String? = nil
    ) {
        self.reason = reason
        self.line = line
        self.legalRoute = legalRoute
        self.earlierTicket = earlierTicket
        self.note = note
    }

    /// Refuses a diversion that lacks the fact its reason needs, or carries one of another
    /// reason's, naming the field under `diversion`.
    public func validated() throws(DomainError) -> HotlineDiversion {
        func require(_ present: Bool, _ field: String, _ expected: String) throws(DomainError) {
            guard present else { throw DomainError.invalid(field: "diversion.\(field)", "a \(reason.rawValue) diversion needs \(field): \(expected)") }
        }
        func forbid(_ present: Bool, _ field: String) throws(DomainError) {
            guard !present else { throw DomainError.invalid(field: "diversion.\(field)", "\(field) belongs to another reason than \(reason.rawValue)") }
        }
        try require(reason != .emergency || line != nil, "line", EmergencyLine.allCases.map(\.rawValue).joined(separator: ", "))
        try require(reason != .legalRoute || legalRoute != nil, "legalRoute", LegalRoute.allCases.map(\.rawValue).joined(separator: ", "))
        try require(reason != .repeatWithoutNewReason || earlierTicket != nil, "earlierTicket", "the ticket number it repeats")
        try forbid(reason != .emergency && line != nil, "line")
        try forbid(reason != .legalRoute && legalRoute != nil, "legalRoute")
        try forbid(reason != .repeatWithoutNewReason && earlierTicket != nil, "earlierTicket")
        if let earlierTicket { try HotlineTicket.validate(earlierTicket, field: "diversion.earlierTicket") }
        if let note, note.count > 1_000 { throw DomainError.invalid(field: "diversion.note", "a note is at most 1,000 characters") }
        return self
    }
}

/// A hotline's own ticket number (工单编号), by which its cases are created once and found again.
public enum HotlineTicket {
    /// Visible ASCII, as hotline systems number their tickets (letters, digits, dashes), 1–64 long.
    public static func validate(_ ticket: String, field: String = "ticket") throws(DomainError) {
        guard (1...64).contains(ticket.count), ticket.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" }) else {
            throw DomainError.invalid(field: field, "a ticket number is 1–64 visible ASCII characters without '/', got '\(ticket.prefix(80))'")
        }
    }
}

/// A ticket diverted at intake, as recorded for the hotline's figures.
public struct DivertedTicket: Sendable, Hashable {
    public var ticket: String
    public var diversion: HotlineDiversion
    /// For a repeat: the case of the earlier ticket, whose progress the caller is told.
    public var earlierCaseID: Int64?
    public var postID: Int64
    public var receivedAt: Date

    public init(ticket: String, diversion: HotlineDiversion, earlierCaseID: Int64?, postID: Int64, receivedAt: Date) {
        self.ticket = ticket
        self.diversion = diversion
        self.earlierCaseID = earlierCaseID
        self.postID = postID
        self.receivedAt = receivedAt
    }
}
