import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension CaseController {
    /// Intake (see `CaseIntake`): 201 with the new case, or 200 with the first one when the
    /// Idempotency-Key was seen before.
    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let key = try Self.idempotencyKey(request)
        var request = request
        let form = try await request.decodeJSON(IntakeForm.self, context: context)
        let intake = try await services.intake.report(form, by: context.principal, idempotencyKey: key)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .location: "/api/v1/cases/\(intake.record.id)"]
        if intake.isReplay { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(
            status: intake.isReplay ? .ok : .created, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: json(intake.record, for: context.principal.post, detail: false).json)))
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw APIError(.badRequest, code: .invalid, "Idempotency-Key must be 1–200 visible ASCII characters", field: "Idempotency-Key")
        }
        return key
    }
}
