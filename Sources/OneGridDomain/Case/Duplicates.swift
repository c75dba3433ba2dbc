public import Foundation

/// Duplicates (DOMAIN.md §3): a case near an open one (same grid, same category, a few days
/// apart, similar text) is offered for merging. The store finds the near ones; this ranks them.
public enum Duplicates {
    /// How far apart two reports of one matter are looked for.
    public static let window: TimeInterval = 7 * 86_400
    /// The similarity from which a near case is offered: two titles that share about a third of
    /// their character pairs ("村口路灯不亮" and "村口的路灯坏了") are, unrelated ones are not.
    public static let threshold = 0.3

    /// How alike two texts are, from 0 to 1: the Dice coefficient of their character bigrams,
    /// which needs no word boundaries and so reads Chinese as well as anything else.
    public static func similarity(_ a: String, _ b: String) -> Double {
        let (left, right) = (bigrams(a), bigrams(b))
        let total = left.values.reduce(0, +) + right.values.reduce(0, +)
        guard total > 0 else { return 0 }
        let shared = left.reduce(0) { sum, pair in sum + min(pair.value, right[pair.key] ?? 0) }
        return Double(2 * shared) / Double(total)
    }

    /// The near cases alike enough to offer, most alike first.
    public static func rank(_ text: String, among near: [(id: Int64, text: String)]) -> [(id: Int64, similarity: Double)] {
        near.map { ($0.id, similarity(text, $0.text)) }
            .filter { $0.1 >= threshold }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 > $1.0 }
    }

    /// Letters and digits only, lower-cased: punctuation and spacing say nothing of the matter.
    private static func bigrams(_ text: String) -> [String: Int] {
        let characters = Array(text.lowercased().filter { $0.isLetter || $0.isNumber })
        guard characters.count > 1 else { return characters.isEmpty ? [:] : [String(characters): 1] }
        var counts: [String: Int] = [:]
        for index in characters.indices.dropLast() {
            counts[String(characters[index...index + 1]), default: 0] += 1
        }
        return counts
    }
}
