/// SplitMix64: a tiny generator fully determined by its seed, so one seed builds the same demo
/// city, and a test's random points fall the same way, on every machine and Swift version. The
/// standard library's generator can be neither seeded nor relied on to stay the same, and its
/// `random(in:)` algorithms may change between releases, so the helpers below draw from the raw
/// bits themselves.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<1.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Uniform in the range; the modulo bias over 64 bits is far below anything a demo shows.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func pick<Element>(_ items: [Element]) -> Element { items[int(0...items.count - 1)] }

    /// Milliseconds uniform between two durations in minutes.
    public mutating func minutes(_ range: ClosedRange<Double>) -> Int64 {
        Int64((range.lowerBound + unit() * (range.upperBound - range.lowerBound)) * 60_000)
    }
}
