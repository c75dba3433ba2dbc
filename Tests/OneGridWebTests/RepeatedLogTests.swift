import Logging
@testable import OneGridWeb
import Testing

/// During an outage every request fails alike: each kind of failure is written once per interval,
/// with how many were held back.
@Suite struct RepeatedLogTests {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }
    struct Full: Error {}

    @Test func theSameErrorIsWrittenOncePerIntervalWithACount() async throws {
        let log = CapturedLog()
        let repeated = RepeatedLog(interval: .milliseconds(300))
        for _ in 0..<1234 { repeated.log(.warning, "database unavailable", error: Refused(), to: log.logger) }
        // Another kind is written at once, beside the first.
        repeated.log(.warning, "database storage full", error: Full(), to: log.logger)
        #expect(log.lines == ["warning database unavailable", "warning database storage full"])

        try await Task.sleep(for: .milliseconds(400))
        repeated.log(.warning, "database unavailable", error: Refused(), to: log.logger)
        #expect(log.lines.count == 3)
        // The seconds are those since the line before, which a loaded machine stretches.
        #expect(log.lines.last?.hasPrefix("warning database unavailable (repeated 1,233 times in ") == true, "\(log.lines)")
    }
}
