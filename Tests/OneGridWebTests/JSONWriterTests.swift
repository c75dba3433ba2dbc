import Foundation
import OneGridDomain
@testable import OneGridWeb
import Testing

/// Cases are written by hand (`JSONWriter`), everything else by `JSONEncoder.api`: the two must
/// read alike, so a client sees one format.
@Suite struct JSONWriterTests {
    struct Sample: Encodable, JSONWritable {
        var text: String?
        var number: Int64?
        var share: Double?
        var flag: Bool?
        var at: Date?
        var colour: ClockColour?
        var list: [String]?

        /// Keys in sorted order, so the bytes compare with a sorted-keys encoder's.
        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("at", at)
                json.field("colour", colour)
                json.field("flag", flag)
                json.field("list", list) { $0.element($1) }
                json.field("number", number)
                json.field("share", share)
                json.field("text", text)
            }
        }
    }

    static let samples: [Sample] = [
        Sample(),
        Sample(text: "路灯不亮 \"quoted\" a/b\n\t\u{01}", number: -42, share: 0.8, flag: true, at: Date(timeIntervalSince1970: 0), colour: .yellow, list: ["accept", "reject"]),
        Sample(text: "", number: Int64.max, share: 1, flag: false, at: Date(timeIntervalSince1970: 1_795_000_000.999), colour: .red, list: []),
        Sample(share: 117.552, at: Date(timeIntervalSince1970: 951_782_400)),  // 2000-02-29
        Sample(share: 0.123, at: Date(timeIntervalSince1970: 4_107_542_399)),  // 2100-02-28T23:59:59
        Sample(share: 1e-7, at: Date(timeIntervalSince1970: -86_401.5)),
        Sample(share: 34.862, at: Date(timeIntervalSince1970: 1_798_761_599)),  // 2026-12-31T23:59:59
    ]

    /// `JSONEncoder.api` with its keys sorted: the API's encoder leaves them in hash order.
    static let sortedEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = JSONEncoder.api.dateEncodingStrategy
        encoder.outputFormatting = JSONEncoder.api.outputFormatting.union(.sortedKeys)
        return encoder
    }()

    static func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test func writesWhatJSONEncoderWrites() throws {
        for sample in Self.samples {
            let expected = String(decoding: try Self.sortedEncoder.encode(sample), as: UTF8.self)
            #expect(String(decoding: sample.json, as: UTF8.self) == expected)
        }
    }

    @Test func directoryViewsReadAlikeBothWays() async throws {
        let directory = try await TestApp.run { _, city in city.directory }
        for area in directory.areas.values.prefix(50) {
            let view = AreaJSON(area)
            #expect(try Self.object(view.json) == Self.object(Array(try JSONEncoder.api.encode(view))))
        }
        for department in directory.departments.values.prefix(50) {
            let view = DepartmentJSON(department)
            #expect(try Self.object(view.json) == Self.object(Array(try JSONEncoder.api.encode(view))))
        }
    }
}
