import SQLKit

/// A mediation body an administrator retires stays, with its members, for the disputes it
/// mediated, but is offered for no new dispute: `retired_at` marks when (milliseconds since 1970).
struct Migration019MediationBodyRetirement: Migration {
    let name = "019_mediation_body_retirement"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "mediation_bodies").column("retired_at", type: .bigint).run()
    }
}
