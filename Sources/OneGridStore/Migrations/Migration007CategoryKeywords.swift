import SQLKit

/// The words an administrator keeps per category for proposing it from a report's text, as a
/// JSON array of strings; existing categories start with none.
struct Migration007CategoryKeywords: Migration {
    let name = "007_category_keywords"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.alter(table: "categories").column("keywords", type: .text, .notNull, .default(SQLLiteral.string("[]"))).run()
    }
}
