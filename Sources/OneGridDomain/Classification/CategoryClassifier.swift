import Foundation

/// Proposes a category for a case from its Chinese text: a multinomial naive Bayes model over
/// character n-grams (one to three characters), trained on the city's own past cases, plus the
/// keywords an administrator keeps per category.
///
/// Why this model: Chinese needs no word segmentation when read as character n-grams, naive Bayes
/// trains in one counting pass (100,000 cases in a couple of seconds) and scores a text by summing
/// a few hundred table look-ups, and it holds up with few examples per category. Keywords are the
/// administrator's lever over it: a text containing one of a category's keywords gets a fixed
/// boost, so a new phrasing can be taught without retraining.
public struct CategoryClassifier: Sendable {
    public struct Example: Sendable {
        public var text: String
        public var categoryID: Int64

        public init(text: String, categoryID: Int64) {
            self.text = text
            self.categoryID = categoryID
        }
    }

    public struct Proposal: Sendable, Equatable {
        public var categoryID: Int64
        /// The model's probability for this category, 0–1; over all categories they sum to 1.
        public var confidence: Double
    }

    /// The categories the model knows, in the order of its score arrays.
    public private(set) var categoryIDs: [Int64]
    /// N-gram → (category index, log of how much likelier the n-gram is in that category than
    /// unseen). Only categories that saw the n-gram are listed; the rest score zero for it.
    private var weights: [UInt64: [Entry]]
    /// Per category: what a known n-gram it never saw costs it, log(smoothed total / smoothing),
    /// paid once per known n-gram of a text; `weights` give back what it did see.
    private var norms: [Double]
    /// Keyword → category indexes it points to, keyed by `keyStep` over the keyword's scalars so
    /// a proposal looks up substrings without making strings.
    private var keywordKeys: [UInt64: [Int]]
    /// The longest keyword, in scalars.
    private var keywordLength: Int
    /// How many training examples each category had.
    public private(set) var exampleCounts: [Int]
    /// What the model was counted from, kept so it can be stored and loaded (see `Stored`).
    private var stored: Stored

    struct Entry: Sendable {
        var category: Int
        var weight: Double
    }

    /// Additive (Laplace) smoothing of n-gram counts, for a category of the mean size.
    static let alpha = 1.0
    /// A keyword match adds this to a category's log score: about e⁴ ≈ 55 times likelier.
    static let keywordBoost = 4.0
    /// Naive Bayes treats overlapping n-grams as independent, which makes its probabilities far
    /// too sure; scores are divided by this before turning them into confidences.
    static let temperature = 4.0

    /// Trains on `examples` and the per-category `keywords`. Every category in `keywords` is
    /// known to the model, even one without examples (its keywords alone can propose it).
    public init(examples: [Example], keywords: [Int64: [String]]) {
        var ids = Set(examples.map(\.categoryID))
        ids.formUnion(keywords.keys)
        let categoryIDs = ids.sorted()
        let index = Dictionary(uniqueKeysWithValues: categoryIDs.enumerated().map { ($1, $0) })
        var counts: [UInt64: [Int: Int]] = [:]
        var totals = [Int](repeating: 0, count: categoryIDs.count)
        var exampleCounts = [Int](repeating: 0, count: categoryIDs.count)
        var scratch: [UInt64] = []
        func count(_ text: String, into category: Int, times: Int) {
            Self.ngrams(of: text, into: &scratch)
            for gram in scratch { counts[gram, default: [:]][category, default: 0] += times }
            totals[category] += scratch.count * times
        }
        for example in examples {
            let category = index[example.categoryID]!
            exampleCounts[category] += 1
            count(example.text, into: category, times: 1)
        }
        // A keyword also counts as a few short examples, so its n-grams help texts that contain
        // only part of it or a variant.
        var keywordIndex: [String: [Int]] = [:]
        for (categoryID, words) in keywords {
            let category = index[categoryID]!
            for word in words {
                let normalised = String(Self.normalisedScalars(of: word).map(Character.init))
                guard !normalised.isEmpty else { continue }
                keywordIndex[normalised, default: []].append(category)
                count(word, into: category, times: 3)
            }
        }
        // An n-gram seen once in all the cases is mostly a name or a typo: dropping those halves
        // the model and costs no accuracy.
        var grams: [UInt64] = []
        var entries: [Int] = []
        for (gram, byCategory) in counts where byCategory.count > 1 || byCategory.first!.value > 1 {
            grams.append(gram)
            entries.append(byCategory.count)
            for (category, count) in byCategory.sorted(by: { $0.key < $1.key }) { entries += [category, count] }
        }
        self.init(
            stored: Stored(
                categoryIDs: categoryIDs, exampleCounts: exampleCounts, totals: totals, vocabulary: counts.count,
                keywords: keywordIndex.mapValues { Array(Set($0)).sorted() }, grams: grams, entries: entries))
    }

    private init(stored: Stored) {
        self.stored = stored
        categoryIDs = stored.categoryIDs
        exampleCounts = stored.exampleCounts
        var keywordKeys: [UInt64: [Int]] = [:]
        for (word, categories) in stored.keywords {
            keywordKeys[Self.normalisedScalars(of: word).reduce(Self.keyBasis, Self.keyStep)] = categories
        }
        self.keywordKeys = keywordKeys
        keywordLength = stored.keywords.keys.map { Self.normalisedScalars(of: $0).count }.max() ?? 0
        // Past cases are skewed (two in three are convenience services), and a rare category's
        // few examples would otherwise be smoothed away by the same additive constant as a common
        // one's thousands. Scaling each category's counts to the mean total is the same as giving
        // it a smoothing in proportion to its total, so every category is estimated on equal terms.
        let vocabulary = Double(stored.vocabulary)
        let mean = Double(stored.totals.reduce(0, +)) / Double(max(stored.totals.count, 1))
        let smoothing = stored.totals.map { Self.alpha * max(Double($0), 1) / max(mean, 1) }
        norms = zip(stored.totals, smoothing).map { log(Double($0) + $1 * vocabulary) - log($1) }
        var weights: [UInt64: [Entry]] = [:]
        weights.reserveCapacity(stored.grams.count)
        var position = 0
        for gram in stored.grams {
            let count = stored.entries[position]
            weights[gram] = (0..<count).map {
                let at = position + 1 + 2 * $0
                let category = stored.entries[at]
                return Entry(
                    category: category,
                    weight: log((Double(stored.entries[at + 1]) + smoothing[category]) / smoothing[category]))
            }
            position += 1 + 2 * count
        }
        self.weights = weights
    }

    /// The counts a model is made from, in flat arrays: stored as JSON this is a few megabytes
    /// for a year of cases, where the weights as objects would be many times that.
    struct Stored: Codable, Sendable {
        var categoryIDs: [Int64]
        var exampleCounts: [Int]
        /// N-grams counted per category, pruned ones included (they are part of each total).
        var totals: [Int]
        /// Distinct n-grams before pruning, for the smoothing.
        var vocabulary: Int
        var keywords: [String: [Int]]
        var grams: [UInt64]
        /// Per gram in order: how many categories saw it, then (category index, count) pairs.
        var entries: [Int]
    }

    /// The `limit` likeliest categories for `text`, best first. Empty when the model knows no
    /// category or the text has no character it has seen.
    public func propose(_ text: String, limit: Int = 3) -> [Proposal] {
        guard !categoryIDs.isEmpty else { return [] }
        var grams: [UInt64] = []
        Self.ngrams(of: text, into: &grams)
        var scores = [Double](repeating: 0, count: categoryIDs.count)
        var known = 0
        for gram in grams {
            guard let entries = weights[gram] else { continue }
            known += 1
            for entry in entries { scores[entry.category] += entry.weight }
        }
        // Each known n-gram costs every category its normaliser; unseen ones are skipped, as
        // they would cost every category the same.
        for category in scores.indices { scores[category] -= Double(known) * norms[category] }
        var matched: Set<UInt64> = []
        let scalars = Self.normalisedScalars(of: text)
        for start in scalars.indices {
            var key = Self.keyBasis
            for end in start..<min(start + keywordLength, scalars.count) {
                key = Self.keyStep(key, scalars[end])
                // A keyword said twice is still one piece of evidence.
                guard let categories = keywordKeys[key], matched.insert(key).inserted else { continue }
                for category in categories { scores[category] += Self.keywordBoost }
            }
        }
        guard known > 0 || !matched.isEmpty else { return [] }
        let top = scores.max()!
        let exponentials = scores.map { exp(($0 - top) / Self.temperature) }
        let sum = exponentials.reduce(0, +)
        return exponentials.indices.sorted { exponentials[$0] > exponentials[$1] }.prefix(max(limit, 0)).map {
            Proposal(categoryID: categoryIDs[$0], confidence: exponentials[$0] / sum)
        }
    }

    /// FNV-1a over scalars: a 64-bit key for a keyword, built one scalar at a time.
    static let keyBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static func keyStep(_ key: UInt64, _ scalar: Unicode.Scalar) -> UInt64 {
        (key ^ UInt64(scalar.value)) &* 0x100_0000_01b3
    }

    /// The text as the model reads it: letters and digits only, digits folded to one symbol (a
    /// house number says nothing of the category), Latin letters lower-cased.
    static func normalisedScalars(of text: String) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.numericType != nil {
                if scalars.last != "0" { scalars.append("0") }
            } else if properties.isAlphabetic {
                scalars.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar)
            }
        }
        return scalars
    }

    /// The text's 1-, 2- and 3-grams, each packed into 63 bits (21 per scalar) so counting them
    /// hashes integers, not strings.
    static func ngrams(of text: String, into grams: inout [UInt64]) {
        grams.removeAll(keepingCapacity: true)
        let scalars = normalisedScalars(of: text).map { UInt64($0.value) }
        for start in scalars.indices {
            var packed: UInt64 = 0
            for length in 1...3 where start + length <= scalars.count {
                packed = packed << 21 | scalars[start + length - 1]
                // Scalars are never zero, so n-grams of different lengths never pack alike.
                grams.append(packed)
            }
        }
    }
}

extension CategoryClassifier: Codable {
    public init(from decoder: any Decoder) throws {
        let stored = try Stored(from: decoder)
        let categories = stored.categoryIDs.count
        // Walks the entries as `init(stored:)` will, so a damaged model fails here, not there.
        var position = 0
        var consistent = true
        for _ in stored.grams {
            guard position < stored.entries.count, stored.entries[position] >= 0 else {
                consistent = false
                break
            }
            let end = position + 1 + 2 * stored.entries[position]
            guard end <= stored.entries.count else {
                consistent = false
                break
            }
            for at in stride(from: position + 1, to: end, by: 2) where !(0..<categories).contains(stored.entries[at]) {
                consistent = false
            }
            position = end
        }
        guard consistent, position == stored.entries.count, stored.exampleCounts.count == categories,
            stored.totals.count == categories,
            stored.keywords.values.allSatisfy({ $0.allSatisfy { (0..<categories).contains($0) } })
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a category model whose arrays disagree in length with its categories"))
        }
        self.init(stored: stored)
    }

    public func encode(to encoder: any Encoder) throws {
        try stored.encode(to: encoder)
    }
}
