public import Foundation

/// JSON written by hand for what is hashed and stored per event: keys sorted, no whitespace,
/// slashes unescaped, nil members left out. Byte for byte what `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]` (a test holds the two together), so hashes sealed
/// either way agree; at a fraction of its cost, which intake and the sweep pay once per case.
public enum CanonicalJSON {
    public enum Value {
        case string(String)
        case integer(Int64)
        case object([String: String])
        case strings([String])
    }

    /// An object of the members that are present.
    public static func object(_ members: [(key: String, value: Value?)]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        write(members.compactMap { member in member.value.map { (member.key, $0) } }, into: &bytes)
        return bytes
    }

    /// A string dictionary as a JSON object.
    public static func object(_ dictionary: [String: String]) -> String {
        var bytes: [UInt8] = []
        write(dictionary.map { ($0.key, Value.string($0.value)) }, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A dictionary of string lists as a JSON object: a base record's history entry, written a
    /// million at a time by an import.
    public static func object(_ dictionary: [String: [String]]) -> String {
        var bytes: [UInt8] = []
        write(dictionary.map { ($0.key, Value.strings($0.value)) }, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func write(_ members: [(String, Value)], into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, (key, value)) in members.sorted(by: { $0.0 < $1.0 }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            switch value {
            case .string(let text): appendString(text, to: &bytes)
            case .integer(let number): bytes.append(contentsOf: String(number).utf8)
            case .object(let dictionary): write(dictionary.map { ($0.key, Value.string($0.value)) }, into: &bytes)
            case .strings(let list):
                bytes.append(UInt8(ascii: "["))
                for (position, text) in list.enumerated() {
                    if position > 0 { bytes.append(UInt8(ascii: ",")) }
                    appendString(text, to: &bytes)
                }
                bytes.append(UInt8(ascii: "]"))
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A string as a JSON literal, escaped as `JSONEncoder` escapes it (slashes left alone).
    public static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for unit in text.utf8 {
            switch unit {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hexDigits[Int(unit >> 4)])
                bytes.append(hexDigits[Int(unit & 0x0f)])
            default: bytes.append(unit)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
