public import Foundation
public import OneGridStore

extension OneGridServices {
    /// Runs an administrator's change (or a reveal of personal data) so that it lands together
    /// with its entry in the administrators' log (`AdminLog`): both, or neither.
    func recording<T: Sendable>(
        _ act: String, subject: String, _ details: [String: String] = [:], by principal: Principal, _ change: () async throws -> T
    ) async throws -> T {
        try await AdminLog.recording(AdminAct(act: act, subject: subject, details: details, by: principal, at: clock.now), on: database, change)
    }

    /// The administrators' acts from `after` on, oldest first.
    public func adminActs(after: Int64 = 0, limit: Int = 100) async throws -> [AdminAct] {
        try await AdminLog.acts(after: after, limit: limit, in: database)
    }
}
