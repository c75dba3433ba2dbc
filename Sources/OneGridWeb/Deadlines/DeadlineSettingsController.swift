import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain

/// The deadline settings an administrator tunes besides the calendar: the share of a limit
/// after which a clock turns yellow (and its holder is urged).
struct DeadlineSettingsController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.deadlineSettings, use: show)
        api.on(.deadlineSettingsReplace, use: replace)
    }

    struct DeadlineSettingsJSON: ResponseCodable {
        var yellowShare: Double
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> DeadlineSettingsJSON {
        DeadlineSettingsJSON(yellowShare: services.planner.yellowShare)
    }

    @Sendable func replace(_ request: Request, context: SignedInContext) async throws -> DeadlineSettingsJSON {
        var request = request
        let settings = try await request.decodeJSON(DeadlineSettingsJSON.self, context: context)
        try await services.deadlineSettings.setYellowShare(settings.yellowShare, by: context.principal)
        return DeadlineSettingsJSON(yellowShare: services.planner.yellowShare)
    }
}
