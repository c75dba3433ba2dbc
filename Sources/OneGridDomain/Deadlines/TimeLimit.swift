/// A value written as a short string in configuration, the API and the database, and read back
/// with a refusal that says what was expected.
public protocol TextCodable: Codable, CustomStringConvertible {
    init(parsing text: String, field: String) throws(DomainError)
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text, field: decoder.codingPath.last?.stringValue ?? "value") } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A time limit in one of the four ways deadlines are counted (DOMAIN.md §4). Written as a short
/// string in configuration and the API: "4h" clock hours, "8wh" working hours, "5wd" working
/// days, "30d" natural days.
public struct TimeLimit: Sendable, Hashable, TextCodable {
    public enum Unit: String, Sendable, CaseIterable {
        case hours = "h"
        case workingHours = "wh"
        case workingDays = "wd"
        case days = "d"
    }

    public var amount: Int
    public var unit: Unit

    public init(_ amount: Int, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    public init(parsing text: String, field: String = "limit") throws(DomainError) {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let suffix = String(text.dropFirst(digits.count))
        guard let amount = Int(digits), amount > 0, amount <= 10_000, let unit = Unit(rawValue: suffix) else {
            throw DomainError.invalid(
                field: field, "expected a time limit like 4h, 8wh, 5wd or 30d, got '\(text)'")
        }
        self.init(amount, unit)
    }

    public var description: String { "\(amount)\(unit.rawValue)" }

    /// Roughly how many calendar days the limit spans (5 working days ≈ 7 days), to compare
    /// limits written in different units.
    public var approximateDays: Double {
        switch unit {
        case .hours: Double(amount) / 24
        case .workingHours: Double(amount) / 8 * 1.4
        case .workingDays: Double(amount) * 1.4
        case .days: Double(amount)
        }
    }

    /// The longest extension a case may get (DOMAIN.md §4): 30 days for a petition (信访工作条例
    /// Art. 34), 10 working days otherwise.
    public static func maximumExtension(for kind: CategoryKind) -> TimeLimit {
        kind == .petition ? TimeLimit(30, .days) : TimeLimit(10, .workingDays)
    }

    /// How long a petitioner has to ask for a review after the reply, and the reviewing level to
    /// answer it (信访工作条例 Art. 35–36).
    public static let petitionReview = TimeLimit(30, .days)
    /// Reviews a petition may have: 复查, then 复核; the same facts are not accepted again.
    public static let petitionReviews = 2
}
