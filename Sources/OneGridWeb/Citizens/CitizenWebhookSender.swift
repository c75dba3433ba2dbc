public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OneGridDomain
public import OneGridApplication

/// An SMS gateway or a WeChat template-message bridge behind one configured URL: each notice to a
/// reporter who left a phone is POSTed as JSON, signed like the webhooks (`X-OneGrid-Signature`),
/// and tried again with their back-off until the gateway answers 2xx. The README gives the body.
public struct CitizenWebhookSender: CitizenNoticeSender {
    let url: String
    let secret: String
    let client: HTTPClient

    public init(url: String, secret: String, client: HTTPClient = .shared) {
        self.url = url
        self.secret = secret
        self.client = client
    }

    public var name: String { "webhook" }

    /// The body the gateway receives: what to send to whom, and which notice it is (for its own
    /// de-duplication: a notice is sent again only when no 2xx came back).
    struct Body: Encodable {
        var notice: Int64
        var caseNumber: String
        var kind: String
        var phone: String
        var text: String
        var at: String
    }

    public func send(_ message: CitizenMessage) async throws {
        // Nobody to text: the follow page and the inbox carry it.
        guard let phone = message.phone else { return }
        let body = try JSONEncoder().encode(
            Body(
                notice: message.noticeID, caseNumber: message.caseNumber, kind: message.kind.rawValue, phone: phone, text: message.text,
                at: ISO8601DateFormatter().string(from: message.at)))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-OneGrid-Event", value: "citizenNotice")
        request.headers.add(name: "X-OneGrid-Signature", value: WebhookDeliveryService.signature(body: body, secret: secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: WebhookDeliveryService.timeout)
        _ = try? await response.body.collect(upTo: WebhookDeliveryService.maxResponseBytes)
        guard (200..<300).contains(response.status.code) else {
            throw Refused(description: "HTTP \(response.status.code) \(response.status.reasonPhrase)")
        }
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String
    }
}
