/// Masks personal data for posts that do not need it: a phone keeps its first 3 and last 4
/// digits (138****5678), an ID number its first 6 (region) and last 4.
public enum PersonalData {
    public static func maskPhone(_ phone: String) -> String {
        mask(phone, keepingFirst: 3, last: 4)
    }

    public static func maskIDNumber(_ number: String) -> String {
        mask(number, keepingFirst: 6, last: 4)
    }

    private static func mask(_ text: String, keepingFirst head: Int, last tail: Int) -> String {
        // ID numbers and phones are ASCII, a byte a character: masked over the bytes, without
        // breaking the text into characters (an import masks a million of them).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(text.utf8)
            guard bytes.count > head + tail else { return String(repeating: "*", count: bytes.count) }
            for index in head..<(bytes.count - tail) { bytes[index] = UInt8(ascii: "*") }
            return String(decoding: bytes, as: UTF8.self)
        }
        let characters = Array(text)
        guard characters.count > head + tail else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(head)) + String(repeating: "*", count: characters.count - head - tail)
            + String(characters.suffix(tail))
    }

    /// A mainland mobile number: 11 digits starting with 1. Landlines (with area code) are
    /// accepted too, as 7–12 digits with an optional hyphen.
    public static func validatePhone(_ phone: String, field: String) throws(DomainError) {
        let digits = phone.filter { $0 != "-" }
        guard (7...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DomainError.invalid(field: field, "expected a phone number of 7–12 digits, got '\(phone)'")
        }
    }

    /// A resident ID number: 17 digits and a check character (digit or X), per GB 11643.
    public static func validateIDNumber(_ number: String, field: String) throws(DomainError) {
        let characters = Array(number.uppercased())
        guard characters.count == 18, characters.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DomainError.invalid(field: field, "expected an 18-character resident ID number")
        }
        guard checkCharacter(of: String(characters.prefix(17))) == characters[17] else {
            throw DomainError.invalid(field: field, "the resident ID number's check character is wrong")
        }
    }

    /// The ID number made of 17 digits (region, birth date, sequence) and their check character.
    public static func idNumber(body: String) -> String {
        body + String(checkCharacter(of: body))
    }

    /// GB 11643's check character over the first 17 digits.
    private static func checkCharacter(of body: String) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let checks: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
        let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - UInt8(ascii: "0")) * $1.1 }
        return checks[sum % 11]
    }
}
