import Foundation
import Logging
import Synchronization

/// Writes the same error at most once per `interval`: during an outage every request fails
/// alike, and a line per request would bury the one line an operator needs under thousands. The
/// first of a kind is written at once; those that follow within the interval are only counted,
/// and the next one written after it says how many there were:
/// `database unavailable (repeated 1,234 times in 10 s)`.
final class RepeatedLog: Sendable {
    let interval: Duration
    private let clock = ContinuousClock()
    private let seen = Mutex<[String: Window]>([:])

    private struct Window {
        var written: ContinuousClock.Instant
        var suppressed: Int
    }

    /// Kinds remembered at most: errors that differ in every request (a bug naming an input)
    /// must not grow memory without bound; windows past their interval are dropped first.
    static let maxKinds = 1000

    init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// Writes `message` to `logger` unless the same message with the same `error` was written
    /// less than `interval` ago, in which case it is counted for the next line instead.
    func log(
        _ level: Logger.Level, _ message: String, error: any Error, metadata: Logger.Metadata = [:], to logger: Logger,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        let described = String(String(reflecting: error).prefix(500))
        let now = clock.now
        let suppressed: (count: Int, since: Duration)? = seen.withLock { seen in
            let key = message + "\u{0}" + described
            if var window = seen[key], now - window.written < interval {
                window.suppressed += 1
                seen[key] = window
                return nil
            }
            if seen.count >= Self.maxKinds { seen = seen.filter { now - $0.value.written < interval } }
            let before = seen[key].map { ($0.suppressed, now - $0.written) } ?? (0, .zero)
            seen[key] = Window(written: now, suppressed: 0)
            return before
        }
        guard let suppressed else { return }
        var metadata = metadata
        metadata["error"] = "\(described)"
        let repeated =
            suppressed.count > 0 ? " (repeated \(suppressed.count.formatted()) times in \(suppressed.since.components.seconds) s)" : ""
        logger.log(level: level, "\(message)\(repeated)", metadata: metadata, file: file, function: function, line: line)
    }
}
