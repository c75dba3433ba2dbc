import Foundation
import OneGridDomain
import Testing

/// Timeline hashes cover the hand-written canonical JSON; events sealed before it was written
/// by hand were hashed over `JSONEncoder`'s bytes, so the two must agree byte for byte.
@Suite struct CanonicalJSONTests {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let texts = [
        "", "路灯不亮", "a/b \"quoted\" back\\slash", "tab\tnew\nline\rcr", "\u{08}\u{0C}\u{01}\u{1F}\u{7F}",
        "emoji 🚨 and \u{2028} separator", "催办：案件即将到期（案件 42）",
    ]

    static let events: [TimelineEvent] = {
        var events: [TimelineEvent] = []
        for (index, text) in texts.enumerated() {
            events.append(
                TimelineEvent(
                    caseID: Int64(index) * 1_000_003, sequence: index + 1, action: CaseAction.allCases[index % CaseAction.allCases.count],
                    fromStatus: index.isMultiple(of: 2) ? nil : .accepted, toStatus: .assigned,
                    actorUserID: index.isMultiple(of: 3) ? nil : -Int64(index), actorPostID: Int64(index),
                    actorRole: index.isMultiple(of: 2) ? .dispatcher : nil, atMillis: 1_790_000_000_123 + Int64(index),
                    note: index.isMultiple(of: 2) ? text : nil,
                    details: [
                        "stage": "acceptance", "automatic": "true", "dueAt": "2026-11-23T08:00:00Z", "toLevel": text,
                        "categoryID": "17", "channel": "hotline", "extendBy": "10wd", "departmentID": "3", "Zeta": "upper",
                    ].merging(index.isMultiple(of: 2) ? [:] : ["note\(index)": text]) { $1 },
                    previousHash: String(repeating: "ab", count: 32)))
        }
        events.append(
            TimelineEvent(
                caseID: 1, sequence: 1, action: .report, fromStatus: nil, toStatus: .reported, actorUserID: nil,
                actorPostID: nil, actorRole: nil, atMillis: 0, note: nil, details: [:], previousHash: TimelineEvent.genesisHash))
        return events
    }()

    @Test func eventBytesAreWhatJSONEncoderWrites() throws {
        for event in Self.events {
            let expected = try Self.encoder.encode(event)
            #expect(String(decoding: event.canonicalBytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test func detailsAreWhatJSONEncoderWrites() throws {
        for event in Self.events {
            #expect(CanonicalJSON.object(event.details) == String(decoding: try Self.encoder.encode(event.details), as: UTF8.self))
        }
    }

    @Test func historyFieldsAreWhatJSONEncoderWrites() throws {
        let fields = Dictionary(uniqueKeysWithValues: Self.texts.enumerated().map { ("field\(9 - $0.offset)", [$0.element, "", "旧/新"]) })
            .merging(["empty": []]) { $1 }
        #expect(CanonicalJSON.object(fields) == String(decoding: try Self.encoder.encode(fields), as: UTF8.self))
    }
}
