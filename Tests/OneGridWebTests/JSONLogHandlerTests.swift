import Foundation
import Logging
@testable import OneGridWeb
import Synchronization
import Testing

/// What a log collector reads: one JSON object a line, with the line's level, label, message and
/// every metadata field (the request's id among them), whatever characters they hold.
@Suite struct JSONLogHandlerTests {
    @Test func eachLineIsOneJSONObjectWithItsMetadata() throws {
        let lines = Mutex<[[UInt8]]>([])
        var logger = Logger(label: "onegrid") { label in
            JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .debug
        logger[metadataKey: "hb.request.id"] = "4f2a"
        logger.warning("数据库不可用 \"quoted\"\nsecond line", metadata: ["caseID": "12", "message": "not the message"])
        logger.trace("below the level: not written")
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.last == UInt8(ascii: "\n") && line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") }, "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: String])
        #expect(object["level"] == "warning")
        #expect(object["label"] == "onegrid")
        #expect(object["message"] == "数据库不可用 \"quoted\"\nsecond line")
        #expect(object["hb.request.id"] == "4f2a")
        #expect(object["caseID"] == "12")
        #expect(object["time"].flatMap { try? Date($0, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) } != nil)
    }
}
