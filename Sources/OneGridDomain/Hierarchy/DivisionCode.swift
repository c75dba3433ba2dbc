/// A national statistical division code: 12 digits, 2 province, 2 city, 2 county, 3 town,
/// 3 village. A grid extends its village's code with 3 more digits, since the national scheme
/// stops at the village.
public struct DivisionCode: Codable, Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ value: String, level: AdminLevel) throws(DomainError) {
        let expected = level == .grid ? 15 : 12
        guard value.count == expected, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DomainError.invalid(
                field: "code", "a \(level.rawValue) code is \(expected) digits, got '\(value)'")
        }
        self.value = value
    }

    public var description: String { value }

    /// The level a well-formed code belongs to, read from where its digits stop being zero.
    public static func level(of code: String) -> AdminLevel? {
        guard code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if code.count == 15 { return .grid }
        guard code.count == 12 else { return nil }
        let digits = Array(code)
        func zero(_ range: Range<Int>) -> Bool { digits[range].allSatisfy { $0 == "0" } }
        if zero(4..<12) { return .city }
        if zero(6..<12) { return .county }
        if zero(9..<12) { return .town }
        return .village
    }
}
