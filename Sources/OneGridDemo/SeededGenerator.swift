/// SplitMix64: a tiny generator fully determined by its seed, so one seed builds the same city on
/// every machine and Swift version. The standard library's generator can be neither seeded nor
/// relied on to stay the same, and its `random(in:)` algorithms may change between releases, so
/// the helpers below draw from the raw bits themselves.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Uniform in the range; the modulo bias over 64 bits is far below anything a demo shows.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func pick<Element>(_ items: [Element]) -> Element { items[int(0...items.count - 1)] }

    /// Milliseconds uniform between two durations in minutes.
    mutating func minutes(_ range: ClosedRange<Double>) -> Int64 {
        Int64((range.lowerBound + unit() * (range.upperBound - range.lowerBound)) * 60_000)
    }
}

/// Picks an index with probability proportional to its weight, by binary search over the running
/// sums: one draw per pick whatever the number of choices.
struct WeightedChoice: Sendable {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        var sum = 0.0
        cumulative = weights.map {
            sum += $0
            return sum
        }
    }

    func pick(using rng: inout SeededGenerator) -> Int {
        let target = rng.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
