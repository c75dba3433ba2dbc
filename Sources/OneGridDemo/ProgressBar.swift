public import Foundation

/// A one-line progress bar for `DemoCity.build`, redrawn in place: `onegrid demo` and the
/// benchmark show the building of a big city with it.
public final class ProgressBar: Sendable {
    public let started: Date

    public init(started: Date) {
        self.started = started
    }

    public func show(done: Int, total: Int) {
        let share = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int(share * 30)
        let elapsed = Date().timeIntervalSince(started)
        let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] \(done)/\(total) cases  \(String(format: "%.1f", elapsed)) s"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
