import SQLKit

/// How many reviews a petitioner asked for (复查, then 复核), which limits the next and sets the
/// review's own 30-day handling clock.
struct Migration006PetitionReview: Migration {
    let name = "006_petition_review"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "cases").column("review_count", type: .int, .notNull, .default(0)).run()
    }
}
