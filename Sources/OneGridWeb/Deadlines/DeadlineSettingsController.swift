import Foundation
import Hummingbird
import Logging
import OneGridDomain
import OneGridStore

/// The deadline settings an administrator tunes besides the calendar: the share of a limit
/// after which a clock turns yellow (and its holder is urged).
struct DeadlineSettingsController {
    let services: OneGridServices

    func register(on router: Router<OneGridRequestContext>) {
        router.on(APIRoute.deadlineSettings, use: show)
        router.on(APIRoute.deadlineSettingsReplace, use: replace)
    }

    struct DeadlineSettings: ResponseCodable {
        var yellowShare: Double
    }

    @Sendable func show(_ request: Request, context: OneGridRequestContext) async throws -> DeadlineSettings {
        _ = try context.principal()
        return DeadlineSettings(yellowShare: services.planner.yellowShare)
    }

    /// Stores the settings and puts them in force at once, for clocks started from now on: a
    /// running clock keeps the share it started with, so no clock changes colour by decree.
    @Sendable func replace(_ request: Request, context: OneGridRequestContext) async throws -> DeadlineSettings {
        let principal = try context.principal()
        guard principal.post.role == .administrator else {
            throw APIError(.forbidden, code: .forbidden, "only an administrator changes the deadline settings")
        }
        var request = request
        let settings = try await request.decodeJSON(DeadlineSettings.self, context: context)
        let shares = DeadlinePlanner.yellowShares
        guard shares.contains(settings.yellowShare) else {
            throw DomainError.invalid(
                field: "yellowShare", "yellowShare is the share of a limit after which a clock turns yellow: a number from \(shares.lowerBound) to \(shares.upperBound)")
        }
        try await services.settings.set(SQLSettingsStore.yellowShareKey, to: String(settings.yellowShare), at: services.clock.now)
        try await services.reloadDeadlineSettings()
        context.logger.notice("deadline settings changed", metadata: ["user": "\(principal.user.username)", "yellowShare": "\(settings.yellowShare)"])
        return DeadlineSettings(yellowShare: services.planner.yellowShare)
    }
}
