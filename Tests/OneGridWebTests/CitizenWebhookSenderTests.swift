import Foundation
import OneGridApplication
import OneGridDomain
import OneGridWeb
import Testing

/// The SMS / WeChat gateway's contract as the README gives it: a signed JSON POST per notice to a
/// reporter who left a phone; a refusal is an error, so the notifier asks again later.
@Suite struct CitizenWebhookSenderTests {
    static func message(phone: String?) -> CitizenMessage {
        CitizenMessage(
            noticeID: 42, caseID: 3001, caseNumber: "20261130-00003001", kind: .accepted,
            text: CitizenNoticeKind.accepted.message(caseNumber: "20261130-00003001"), at: Date(timeIntervalSince1970: 1_796_000_000),
            phone: phone, citizenUserID: nil)
    }

    @Test func aNoticeIsPostedSignedAndARefusalIsAnError() async throws {
        try await Receiver.serve { receiver, url in
            let sender = CitizenWebhookSender(url: url, secret: WebhookAPITests.secret)
            // The receiver answers its first request 500: the notifier must try again.
            await #expect(throws: (any Error).self) { try await sender.send(Self.message(phone: "13812345678")) }
            try await sender.send(Self.message(phone: "13812345678"))
            let received = await receiver.received
            #expect(received.count == 2)
            let last = try #require(received.last)
            #expect(last.headers["content-type"] == "application/json")
            #expect(last.headers["x-onegrid-event"] == "citizenNotice")
            #expect(last.headers["x-onegrid-signature"] == "sha256=" + WebhookAPITests.hmac(last.body))
            let body = try #require(try JSONSerialization.jsonObject(with: last.body) as? [String: Any])
            #expect(body["notice"] as? Int == 42)
            #expect(body["caseNumber"] as? String == "20261130-00003001")
            #expect(body["kind"] as? String == "accepted")
            #expect(body["phone"] as? String == "13812345678")
            #expect((body["text"] as? String)?.contains("已受理") == true)
            #expect(body["at"] as? String == "2026-11-30T00:53:20Z")
            #expect(Set(body.keys) == ["notice", "caseNumber", "kind", "phone", "text", "at"])
            // Nobody to text: nothing is sent, and that is no failure.
            try await sender.send(Self.message(phone: nil))
            #expect(await receiver.received.count == 2)
        }
    }
}
