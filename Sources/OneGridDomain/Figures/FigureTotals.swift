/// The counts of one area over some months, and the rates of DOMAIN.md §6 built from them.
public struct FigureTotals: Sendable, Hashable {
    public struct Key: Sendable, Hashable {
        public var count: FigureCount
        public var dimension: String

        public init(_ count: FigureCount, _ dimension: String = "") {
            self.count = count
            self.dimension = dimension
        }
    }

    public private(set) var values: [Key: Int]

    public init(values: [Key: Int] = [:]) {
        self.values = values
    }

    public mutating func add(_ count: FigureCount, _ dimension: String = "", _ value: Int) {
        values[Key(count, dimension), default: 0] += value
    }

    public mutating func add(_ other: FigureTotals) {
        for (key, value) in other.values { values[key, default: 0] += value }
    }

    /// The count over every dimension.
    public subscript(count: FigureCount) -> Int {
        values.reduce(0) { $0 + ($1.key.count == count ? $1.value : 0) }
    }

    /// The count in one dimension (a channel, platform, level or rating).
    public subscript(count: FigureCount, dimension: String) -> Int {
        values[Key(count, dimension)] ?? 0
    }

    /// `part / whole`, nil when nothing was counted in the whole.
    public static func rate(_ part: Int, _ whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }

    /// Closed / accepted (办结率), of the cases reported in the period: never past 100 %.
    public var closureRate: Double? { Self.rate(self[.closedOfReported], self[.acceptedOfReported]) }
    /// Closed on time / closed.
    public var onTimeRate: Double? { Self.rate(self[.closedOnTime], self[.closed]) }
    /// Sent back at verification / verified.
    public var reworkRate: Double? { Self.rate(self[.reworked], self[.verified]) }
    /// Satisfied / rated.
    public var satisfaction: Double? { Self.rate(self[.rated, Rating.satisfied.rawValue], self[.rated]) }
    /// Handled / received (处置率), of the cases reported in the period.
    public var handlingRate: Double? { Self.rate(self[.handledOfReported], self[.received]) }

    /// Closed at `level` / closed: the seeds' headline ("97 % solved without leaving the village").
    public func shareClosed(at level: AdminLevel) -> Double? { Self.rate(self[.closed, level.rawValue], self[.closed]) }
    /// Closed at `level` or below / closed.
    public func shareClosed(atOrBelow level: AdminLevel) -> Double? {
        Self.rate(AdminLevel.allCases.filter { $0 >= level }.reduce(0) { $0 + self[.closed, $1.rawValue] }, self[.closed])
    }
    /// Dispatched to `platform` / dispatched.
    public func share(of platform: Platform) -> Double? { Self.rate(self[.dispatched, platform.rawValue], self[.dispatched]) }
    /// Handled / received for the cases of one channel.
    public func handlingRate(of channel: Channel) -> Double? {
        Self.rate(self[.handledOfReported, channel.rawValue], self[.received, channel.rawValue])
    }
    /// Rejected, guided and merged: cancellations, counted apart from the closed.
    public var cancelled: Int { self[.rejected] + self[.guided] + self[.merged] }
}
