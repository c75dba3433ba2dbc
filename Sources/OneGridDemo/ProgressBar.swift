public import Foundation

/// A one-line progress bar, redrawn in place: `onegrid demo` and the benchmark show the
/// building of a big city with it, `onegrid import` the writing of a big file.
public final class ProgressBar: Sendable {
    public let started: Date
    /// What is counted: "cases", "rows".
    public let unit: String

    public init(started: Date, unit: String = "cases") {
        self.started = started
        self.unit = unit
    }

    public func show(done: Int, total: Int) {
        let share = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int(share * 30)
        let elapsed = Date().timeIntervalSince(started)
        let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] \(done)/\(total) \(unit)  \(String(format: "%.1f", elapsed)) s"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
