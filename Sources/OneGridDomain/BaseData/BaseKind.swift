public import Foundation

/// What a base-data record is (人、地、物、组织): the record's table, not a policy.
public enum BaseSubject: String, Codable, Sendable, CaseIterable {
    case household, resident, place, organisation
}

/// How often a kind is visited: every `count` days, weeks or months, counted on the city's
/// calendar, so "monthly" after 31 January falls due on the last day of February.
public struct VisitCadence: Codable, Sendable, Hashable {
    public enum Unit: String, Codable, Sendable, CaseIterable {
        case day, week, month
    }

    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    public static func months(_ count: Int) -> VisitCadence { VisitCadence(count: count, unit: .month) }
    public static func weeks(_ count: Int) -> VisitCadence { VisitCadence(count: count, unit: .week) }

    /// When the next visit falls due after one made (or a record made) at `date`.
    public func next(after date: Date, in calendar: Calendar) -> Date {
        let component: Calendar.Component = switch unit {
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        }
        return calendar.date(byAdding: component, value: count, to: date)!
    }

    /// About how many days apart the visits are, to compare cadences.
    public var approximateDays: Int {
        switch unit {
        case .day: count
        case .week: count * 7
        case .month: count * 30
        }
    }

    public var parsed: String { "\(count) \(unit.rawValue)" }

    /// Reads "1 month", "2 weeks", "6 months": what an administrator types and the store keeps.
    public init(parsing text: String, field: String) throws(DomainError) {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let count = Int(parts[0]), (1...366).contains(count),
            let unit = Unit(rawValue: parts[1].hasSuffix("s") ? String(parts[1].dropLast()) : String(parts[1]))
        else {
            throw DomainError.invalid(field: field, "expected a cadence such as '1 month', '2 weeks' or '6 months', got '\(text)'")
        }
        self.init(count: count, unit: unit)
    }
}

/// A kind of resident, place or organisation, as the city configures it: its names, how often it
/// is visited (nil: not on a cadence of its own) and whether it is sensitive (社区矫正, 严重精神障碍,
/// 重点上访): a sensitive kind is seen only by the posts granted it, in lists, search and export alike.
public struct BaseKind: Codable, Sendable, Hashable, Identifiable {
    public var code: String
    public var subject: BaseSubject
    public var name: String
    public var englishName: String
    public var cadence: VisitCadence?
    public var sensitive: Bool
    /// The order kinds are listed in.
    public var position: Int

    public var id: String { code }

    public init(
        code: String, subject: BaseSubject, name: String, englishName: String, cadence: VisitCadence?, sensitive: Bool = false,
        position: Int
    ) {
        self.code = code
        self.subject = subject
        self.name = name
        self.englishName = englishName
        self.cadence = cadence
        self.sensitive = sensitive
        self.position = position
    }
}
