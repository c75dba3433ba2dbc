import Foundation

/// The languages the pages are written in: Chinese first, English for visitors and reviewers.
enum Language: String, CaseIterable, Sendable {
    case zhCN = "zh-CN"
    case en

    init?(code: String) {
        switch code.lowercased() {
        case "zh-cn", "zh", "zh-hans": self = .zhCN
        case "en", "en-us", "en-gb": self = .en
        default: return nil
        }
    }

    var code: String { rawValue }
    /// The other language, which the switch in the top bar offers.
    var other: Language { self == .zhCN ? .en : .zhCN }
}

/// The strings of one language, read from `Resources/i18n/<code>.json`. Templates reach them as
/// `{{t.section.key}}`; Swift reaches them with `text(_:_:)`, filling `{name}` placeholders.
/// A key missing from a translation falls back to Chinese, the language every key is written in.
struct Translation: @unchecked Sendable {
    // Read once at start and never changed: safe to share, though `Any` is not `Sendable`.
    let tree: [String: Any]
    private let flat: [String: String]
    private let fallback: [String: String]

    init(tree: [String: Any], fallback: Translation?) {
        self.tree = fallback.map { Self.merge(tree, over: $0.tree) } ?? tree
        var flat: [String: String] = [:]
        Self.flatten(self.tree, prefix: "", into: &flat)
        self.flat = flat
        self.fallback = fallback?.flat ?? [:]
    }

    static func load(_ language: Language, fallback: Translation?) throws -> Translation {
        guard let url = Bundle.module.url(forResource: language.code, withExtension: "json", subdirectory: "i18n") else {
            throw TranslationError.missing(language.code)
        }
        guard let tree = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw TranslationError.notAnObject(language.code)
        }
        return Translation(tree: tree, fallback: fallback)
    }

    /// Every key, dotted: the tests compare the languages' key sets.
    var keys: Set<String> { Set(flat.keys) }

    /// The string for a dotted key with `{name}` placeholders filled; the key itself when no
    /// language has it, so a missing string shows where it is missing instead of nothing.
    func text(_ key: String, _ values: [String: String] = [:]) -> String {
        let text = flat[key] ?? fallback[key] ?? key
        return values.isEmpty ? text : Self.fill(text, values)
    }

    /// Each `{name}` of `values` replaced by its value in one pass; other braces stay. Foundation's
    /// `replacingOccurrences` bridged the string once per placeholder: every queue row's clock
    /// has two, and it was a twentieth of the page's time. A value is not searched again, so
    /// text a user wrote that looks like a placeholder stays as written.
    static func fill(_ text: String, _ values: [String: String]) -> String {
        var filled = ""
        var rest = Substring(text)
        while let open = rest.utf8.firstIndex(of: UInt8(ascii: "{")) {
            filled += rest[..<open]
            let name = rest[rest.utf8.index(after: open)...]
            if let close = name.utf8.firstIndex(of: UInt8(ascii: "}")), let value = values[String(name[..<close])] {
                filled += value
                rest = name[name.utf8.index(after: close)...]
            } else {
                filled += "{"
                rest = name
            }
        }
        return filled + rest
    }

    private static func flatten(_ tree: [String: Any], prefix: String, into flat: inout [String: String]) {
        for (key, value) in tree {
            if let string = value as? String {
                flat[prefix + key] = string
            } else if let subtree = value as? [String: Any] {
                flatten(subtree, prefix: prefix + key + ".", into: &flat)
            }
        }
    }

    private static func merge(_ tree: [String: Any], over base: [String: Any]) -> [String: Any] {
        var merged = base
        for (key, value) in tree {
            if let subtree = value as? [String: Any], let baseSubtree = base[key] as? [String: Any] {
                merged[key] = merge(subtree, over: baseSubtree)
            } else {
                merged[key] = value
            }
        }
        return merged
    }
}

enum TranslationError: Error, CustomStringConvertible {
    case missing(String)
    case notAnObject(String)

    var description: String {
        switch self {
        case .missing(let code): "the translation i18n/\(code).json is not in the bundle"
        case .notAnObject(let code): "i18n/\(code).json must hold one JSON object"
        }
    }
}
